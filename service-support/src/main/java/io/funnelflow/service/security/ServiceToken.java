package io.funnelflow.service.security;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.util.Arrays;
import java.util.Optional;

/**
 * The token this service sends when it calls another FunnelFlow service (the aggregator asking
 * insights and prediction, insights asking the aggregator): {@code FUNNELFLOW_SERVICE_TOKEN}, else the
 * first of {@code FUNNELFLOW_API_TOKENS}. The caller's own access is checked before, by the route it
 * called here.
 */
@Singleton
public class ServiceToken {

    private final String token;

    public ServiceToken(@Value("${funnelflow.security.service-token:}") String serviceToken,
                        @Value("${funnelflow.security.api-tokens:}") String apiTokens) {
        String t = serviceToken == null ? "" : serviceToken.trim();
        if (t.isEmpty() && apiTokens != null) {
            t = Arrays.stream(apiTokens.split(",")).map(String::trim).filter(s -> !s.isEmpty()).findFirst().orElse("");
        }
        this.token = t;
    }

    /** {@code Bearer <token>}, when one is configured. */
    public Optional<String> authorization() {
        return token.isEmpty() ? Optional.empty() : Optional.of("Bearer " + token);
    }
}
