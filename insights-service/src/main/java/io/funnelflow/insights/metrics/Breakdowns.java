package io.funnelflow.insights.metrics;

import java.util.List;
import java.util.Locale;

/** The dimensions the aggregator breaks a funnel down by. */
public final class Breakdowns {

    public static final String DEFAULT = "utm_source";
    public static final String DEVICE = "device";
    public static final List<String> ALL = List.of("utm_source", "utm_medium", "utm_campaign", DEVICE, "platform");

    private Breakdowns() {
    }

    /** The dimension named by {@code value}, {@link #DEFAULT} when absent. */
    public static String parse(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT;
        }
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (!ALL.contains(v)) {
            throw new BadInputException("breakdown", "must be one of " + String.join(", ", ALL));
        }
        return v;
    }
}
