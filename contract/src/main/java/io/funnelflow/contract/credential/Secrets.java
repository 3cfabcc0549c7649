package io.funnelflow.contract.credential;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Making and hashing secrets. A token or write key is 256 random bits, so a plain SHA-256 is the right
 * hash: slow password hashes (bcrypt, Argon2) exist to make guessing low-entropy human passwords
 * expensive, and nobody guesses 2^256 values however cheap each guess is. A fast hash also keeps the
 * check of every request's credential in microseconds.
 */
public final class Secrets {

    /** Prefix of API tokens, so that a leaked one is recognisable (and scannable) as ours. */
    public static final String TOKEN_PREFIX = "ff_at_";
    /** Prefix of write keys made by the platform. */
    public static final String WRITE_KEY_PREFIX = "ff_wk_";

    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {
    }

    /** A new secret: the kind's prefix and 256 random bits, base64url without padding. */
    public static String newSecret(Credential.Kind kind) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return (kind == Credential.Kind.API_TOKEN ? TOKEN_PREFIX : WRITE_KEY_PREFIX)
                + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Lower-case hex SHA-256 of the secret's UTF-8 bytes. */
    public static String sha256(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /**
     * The public id of a credential: kind and the first 12 hex digits of its hash. It names the
     * credential in lists and revocations without revealing anything that helps to guess the secret,
     * and the same secret always has the same id (also one given in an environment variable).
     */
    public static String idOf(Credential.Kind kind, String sha256) {
        return (kind == Credential.Kind.API_TOKEN ? "tok_" : "key_") + sha256.substring(0, 12);
    }
}
