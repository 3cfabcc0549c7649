package io.funnelflow.service.security;

import io.funnelflow.contract.credential.Credential;
import io.funnelflow.contract.credential.Scope;
import io.funnelflow.contract.credential.Secrets;

import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What this service knows of credentials: the admin tokens of {@code FUNNELFLOW_API_TOKENS} and
 * every API token and write key of {@code funnelflow.credentials}, by the SHA-256 of their secret.
 * A secret is looked up by its hash, so neither the secrets nor a comparison that could leak them
 * through timing are ever held.
 */
public final class Credentials {

    /** The label of tokens given in the environment. */
    public static final String ENVIRONMENT = "FUNNELFLOW_API_TOKENS";

    private final Map<String, Credential> environment;
    private final Map<String, Credential> stored = new ConcurrentHashMap<>();
    private final Map<String, String> hashById = new ConcurrentHashMap<>();

    /** @param adminTokens comma-separated admin tokens from the environment; empty for none */
    public Credentials(String adminTokens) {
        Instant now = Instant.now();
        this.environment = Arrays.stream(adminTokens == null ? new String[0] : adminTokens.split(","))
                .map(String::trim)
                .filter(t -> !t.isEmpty())
                .map(t -> Credential.issue(Credential.Kind.API_TOKEN, Scope.ADMIN, ENVIRONMENT, t, now))
                .collect(Collectors.toUnmodifiableMap(Credential::secretSha256, Function.identity(), (a, b) -> a));
    }

    /** Takes a record of {@code funnelflow.credentials}: a new or revoked credential, or a tombstone ({@code null}). */
    public void apply(String id, Credential credential) {
        String previous = hashById.remove(id);
        if (previous != null) {
            stored.remove(previous);
        }
        if (credential != null) {
            stored.put(credential.secretSha256(), credential);
            hashById.put(credential.id(), credential.secretSha256());
        }
    }

    /** The valid API token with this secret, if there is one. */
    public Optional<Credential> apiToken(String secret) {
        return find(secret, Credential.Kind.API_TOKEN);
    }

    /** The valid stored write key with this secret, if there is one. */
    public Optional<Credential> writeKey(String secret) {
        return find(secret, Credential.Kind.WRITE_KEY);
    }

    /** Whether the credential with this id exists and is not revoked (a signed-in session asks on every request). */
    public boolean isActive(String id) {
        String hash = hashById.get(id);
        if (hash != null) {
            Credential c = stored.get(hash);
            return c != null && !c.revoked();
        }
        return environment.values().stream().anyMatch(c -> c.id().equals(id));
    }

    /** Every stored credential, revoked ones too. */
    public Collection<Credential> stored() {
        return List.copyOf(stored.values());
    }

    private Optional<Credential> find(String secret, Credential.Kind kind) {
        if (secret == null || secret.isEmpty() || secret.length() > 512) {
            return Optional.empty();
        }
        String hash = Secrets.sha256(secret);
        Credential c = stored.get(hash);
        if (c == null) {
            c = environment.get(hash);
        }
        return c != null && c.kind() == kind && !c.revoked() ? Optional.of(c) : Optional.empty();
    }
}
