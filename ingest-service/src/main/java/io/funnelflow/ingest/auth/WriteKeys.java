package io.funnelflow.ingest.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The write keys that may send events: those of {@code FUNNELFLOW_WRITE_KEYS} and those stored (hashed)
 * on {@code funnelflow.credentials} by {@code ./funnelflow keys create}. A key identifies a site; like
 * Segment's, it is not a secret from the browser, but nothing is taken without one.
 */
public final class WriteKeys {

    private final List<byte[]> keys;
    private final String first;
    private final Predicate<String> stored;

    /** Only the keys given; none stored. */
    public WriteKeys(String commaSeparated) {
        this(commaSeparated, key -> false);
    }

    /**
     * @param commaSeparated the keys of the environment (at least one: the demo store sends with the first)
     * @param stored         whether a key is a valid stored one
     */
    public WriteKeys(String commaSeparated, Predicate<String> stored) {
        this.stored = stored;
        if (commaSeparated == null || commaSeparated.isBlank()) {
            throw new IllegalStateException("No write keys are configured: set FUNNELFLOW_WRITE_KEYS (comma-separated)");
        }
        this.keys = Arrays.stream(commaSeparated.split(","))
                .map(String::trim)
                .filter(k -> !k.isEmpty())
                .map(k -> k.getBytes(StandardCharsets.UTF_8))
                .toList();
        if (keys.isEmpty()) {
            throw new IllegalStateException("FUNNELFLOW_WRITE_KEYS holds no key: set it to comma-separated keys");
        }
        this.first = new String(keys.get(0), StandardCharsets.UTF_8);
    }

    /** The first configured key: the one the built-in demo store sends with. */
    public String first() {
        return first;
    }

    /** Whether {@code key} is one of ours: configured ones compared in constant time, stored ones by hash. */
    public boolean isValid(String key) {
        if (key == null || key.isEmpty()) {
            return false;
        }
        byte[] candidate = key.getBytes(StandardCharsets.UTF_8);
        boolean found = false;
        for (byte[] k : keys) {
            found |= MessageDigest.isEqual(k, candidate);
        }
        return found || stored.test(key);
    }

    /**
     * The key of an {@code Authorization} header: HTTP Basic with the key as user and an empty password
     * (as Segment's SDKs send it), or {@code Bearer <key>}.
     */
    public static Optional<String> fromAuthorization(String header) {
        if (header == null) {
            return Optional.empty();
        }
        String h = header.trim();
        if (h.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(Base64.getDecoder().decode(h.substring(6).trim()), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                String user = colon >= 0 ? decoded.substring(0, colon) : decoded;
                return user.isEmpty() ? Optional.empty() : Optional.of(user);
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        if (h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String token = h.substring(7).trim();
            return token.isEmpty() ? Optional.empty() : Optional.of(token);
        }
        return Optional.empty();
    }
}
