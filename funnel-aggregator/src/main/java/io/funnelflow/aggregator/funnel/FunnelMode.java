package io.funnelflow.aggregator.funnel;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * How strictly a visitor's journey must follow the funnel's steps to count as reaching a step.
 *
 * <ul>
 *   <li>{@link #ORDERED} (the default): the steps happen in funnel order; anything else may happen in
 *       between, e.g. a visitor may look at three products and search before adding to cart.</li>
 *   <li>{@link #STRICT}: the steps happen in funnel order and no other step of the same funnel happens
 *       between two consecutive steps; events that are not steps of the funnel (custom events, ad
 *       clicks, ...) are ignored. A journey that breaks the order may start over from a later
 *       step 1.</li>
 *   <li>{@link #ANY_ORDER}: the visitor did each of the steps at least once, in whatever order.</li>
 * </ul>
 */
public enum FunnelMode {
    ORDERED("ordered"),
    STRICT("strict"),
    ANY_ORDER("any_order");

    /** The mode used when a request names none. */
    public static final FunnelMode DEFAULT = ORDERED;

    private final String wireName;

    FunnelMode(String wireName) {
        this.wireName = wireName;
    }

    /** The name as used in requests and reports. */
    public String wireName() {
        return wireName;
    }

    /**
     * The mode with wire name {@code value}.
     *
     * @throws IllegalArgumentException when {@code value} is not one of the accepted names
     */
    public static FunnelMode parse(String value) {
        for (FunnelMode mode : values()) {
            if (mode.wireName.equals(value)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("mode: must be one of " + accepted() + " (got '" + value + "')");
    }

    private static String accepted() {
        return Arrays.stream(values()).map(FunnelMode::wireName).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return wireName;
    }
}
