package io.funnelflow.service.security;

/**
 * The role names of the scopes, as constants for {@code @Secured} on a route that deviates from the
 * policy (GET/HEAD read, everything else admin). Admin tokens hold both roles.
 */
public final class Roles {

    /** Queries, the dashboard, the live feed; and routes that compute without changing anything. */
    public static final String READ = "read";
    /** Changes, spending (LLM calls) and personal data. */
    public static final String ADMIN = "admin";

    private Roles() {
    }
}
