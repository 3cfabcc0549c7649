package io.funnelflow.contract.credential;

import java.util.List;
import java.util.Locale;

/**
 * What an API token may do. {@code read}: queries, the dashboard, the live feed. {@code admin}:
 * everything, including changes and spending; admin implies read.
 */
public enum Scope {
    READ,
    ADMIN;

    /** The role name a route asks for, as in {@code @Secured("read")}. */
    public String role() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The roles a token of this scope holds: admin holds read too. */
    public List<String> roles() {
        return this == ADMIN ? List.of(READ.role(), ADMIN.role()) : List.of(READ.role());
    }

    /** {@code read} or {@code admin}, in any case. */
    public static Scope parse(String value) {
        for (Scope s : values()) {
            if (s.role().equalsIgnoreCase(value == null ? "" : value.trim())) {
                return s;
            }
        }
        throw new IllegalArgumentException("scope must be read or admin, not '" + value + "'");
    }
}
