package io.funnelflow.contract.credential;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.time.Instant;
import java.util.Objects;

/**
 * One API token or write key as kept on {@code funnelflow.credentials} (key: its id): never the secret,
 * only its SHA-256. A revocation is the same record again with {@code revokedAt} set, so that the
 * compacted topic keeps one record per credential and every reader sees the revocation.
 *
 * @param id           public identifier, shown in lists and used to revoke; derived from the hash
 * @param kind         API token or write key
 * @param scope        what an API token may do; {@code null} for a write key, which may only send events
 * @param label        a note of who or what uses it
 * @param secretSha256 lower-case hex SHA-256 of the secret
 * @param createdAt    when it was made
 * @param revokedAt    when it was revoked, {@code null} while it is valid
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Credential(
        String id,
        Kind kind,
        Scope scope,
        String label,
        String secretSha256,
        Instant createdAt,
        Instant revokedAt) {

    /** What a credential is for. */
    public enum Kind {
        /** {@code Authorization: Bearer …} for the query and admin APIs, with a scope. */
        API_TOKEN,
        /** The public key a site sends events with; nothing else. */
        WRITE_KEY
    }

    public Credential {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(secretSha256, "secretSha256");
        Objects.requireNonNull(createdAt, "createdAt");
        if (kind == Kind.API_TOKEN && scope == null) {
            throw new IllegalArgumentException("an API token needs a scope");
        }
        if (kind == Kind.WRITE_KEY && scope != null) {
            throw new IllegalArgumentException("a write key has no scope");
        }
    }

    /** A new credential for {@code secret}; the secret itself is not kept. */
    public static Credential issue(Kind kind, Scope scope, String label, String secret, Instant now) {
        String hash = Secrets.sha256(secret);
        return new Credential(Secrets.idOf(kind, hash), kind, scope, label, hash, now, null);
    }

    public boolean revoked() {
        return revokedAt != null;
    }

    public Credential revoke(Instant at) {
        return revoked() ? this : new Credential(id, kind, scope, label, secretSha256, createdAt, at);
    }
}
