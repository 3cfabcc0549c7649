package io.funnelflow.aggregator.signin;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;

/**
 * The secret that signs dashboard sessions: {@code FUNNELFLOW_SESSION_SECRET} (the launcher keeps one per
 * data directory, so every aggregator instance of the stack shares it and a session survives a
 * restart), else a random one for this process only.
 */
@Singleton
public class SessionSecret {

    private static final Logger LOG = LoggerFactory.getLogger(SessionSecret.class);
    static final int MIN_LENGTH = 32;

    private final byte[] secret;

    public SessionSecret(@Value("${funnelflow.security.session-secret:}") String configured) {
        if (configured == null || configured.isBlank()) {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            this.secret = random;
            LOG.warn("No FUNNELFLOW_SESSION_SECRET: dashboard sessions are signed with a key of this process only "
                    + "(they end when it stops and another instance does not accept them)");
        } else if (configured.trim().length() < MIN_LENGTH) {
            throw new IllegalStateException("FUNNELFLOW_SESSION_SECRET must have at least " + MIN_LENGTH + " characters");
        } else {
            this.secret = configured.trim().getBytes(StandardCharsets.UTF_8);
        }
    }

    /** A key for one purpose, derived from the secret (HMAC-SHA256 of the purpose), so no two uses share a key. */
    public byte[] key(String purpose) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(purpose.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
