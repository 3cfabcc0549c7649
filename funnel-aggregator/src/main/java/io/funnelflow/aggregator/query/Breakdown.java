package io.funnelflow.aggregator.query;

import io.funnelflow.aggregator.aggregate.Dimension;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The session dimensions a funnel can be broken down by, each a column of the sessions table. */
public enum Breakdown {
    UTM_SOURCE("utm_source", Dimension.UTM_SOURCE),
    UTM_MEDIUM("utm_medium", Dimension.UTM_MEDIUM),
    UTM_CAMPAIGN("utm_campaign", Dimension.UTM_CAMPAIGN),
    DEVICE("device", Dimension.DEVICE),
    PLATFORM("platform", Dimension.PLATFORM);

    private final String column;
    private final Dimension dimension;

    Breakdown(String column, Dimension dimension) {
        this.column = column;
        this.dimension = dimension;
    }

    public String column() {
        return column;
    }

    /** The dimension the stream keeps this breakdown's figures under. */
    public Dimension dimension() {
        return dimension;
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
