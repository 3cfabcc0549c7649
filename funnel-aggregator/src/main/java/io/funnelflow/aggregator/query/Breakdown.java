package io.funnelflow.aggregator.query;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The session dimensions a funnel can be broken down by, each a column of the sessions table. */
public enum Breakdown {
    UTM_SOURCE("utm_source"),
    UTM_MEDIUM("utm_medium"),
    UTM_CAMPAIGN("utm_campaign"),
    DEVICE("device"),
    PLATFORM("platform");

    private final String column;

    Breakdown(String column) {
        this.column = column;
    }

    public String column() {
        return column;
    }

    /** Null for no breakdown. */
    public static Breakdown parse(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadParameterException("breakdown", "must be one of " + Arrays.stream(values())
                    .map(Breakdown::column).collect(Collectors.joining(", ")));
        }
    }
}
