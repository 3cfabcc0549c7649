package io.funnelflow.aggregator.funnel;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * What a funnel step counts.
 *
 * <ul>
 *   <li>{@link #SESSIONS} (the default): the number of sessions that reached the step.</li>
 *   <li>{@link #EVENTS}: the number of step events, repeats included, that happened once the session
 *       had reached the previous step. A visitor who views four products after landing adds four to
 *       the product-view step, so a step can exceed the one before it (conversion above 100%).</li>
 * </ul>
 */
public enum FunnelCount {
    SESSIONS("sessions"),
    EVENTS("events");

    /** The count used when a request names none. */
    public static final FunnelCount DEFAULT = SESSIONS;

    private final String wireName;

    FunnelCount(String wireName) {
        this.wireName = wireName;
    }

    /** The name as used in requests and reports. */
    public String wireName() {
        return wireName;
    }

    /**
     * The count with wire name {@code value}.
     *
     * @throws IllegalArgumentException when {@code value} is not one of the accepted names
     */
    public static FunnelCount parse(String value) {
        for (FunnelCount count : values()) {
            if (count.wireName.equals(value)) {
                return count;
            }
        }
        throw new IllegalArgumentException("count: must be one of " + accepted() + " (got '" + value + "')");
    }

    private static String accepted() {
        return Arrays.stream(values()).map(FunnelCount::wireName).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return wireName;
    }
}
