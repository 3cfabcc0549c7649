package io.funnelflow.insights.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import io.funnelflow.contract.event.EventType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The seed tracker's metrics body, {@code {"ad_clicks":1000,"landings":500,"product_views":200,"adds":100,
 * "purchases":50}}: counts at each step of its funnel, read as the metrics the facts engine explains.
 * Each landing opens a session, so landings are the sessions, purchases the converted ones and adds the
 * sessions with a cart; revenue is not among these counts and is left unknown, so no fact speaks of it.
 * Ad clicks are the first step when there are at least as many as landings (every landing came from an
 * ad); with fewer, some visitors came another way and ad clicks are no step of the same funnel.
 */
public final class FlatMetrics {

    /** The seed's field names in funnel order, and the step each is here. */
    static final List<Map.Entry<String, String>> STEPS = List.of(
            Map.entry("ad_clicks", EventType.AD_CLICK.wireName()),
            Map.entry("landings", "landing"),
            Map.entry("product_views", EventType.PRODUCT_VIEW.wireName()),
            Map.entry("adds", EventType.ADD_TO_CART.wireName()),
            Map.entry("purchases", EventType.PURCHASE.wireName()));

    private FlatMetrics() {
    }

    /** Whether {@code metrics} is the seed's flat shape rather than ours ({@code funnel}, {@code current}). */
    public static boolean isFlat(JsonNode metrics) {
        if (metrics.has("funnel") || metrics.has("current")) {
            return false;
        }
        return STEPS.stream().anyMatch(s -> metrics.has(s.getKey()));
    }

    public static Metrics read(JsonNode metrics) {
        long[] counts = new long[STEPS.size()];
        for (int i = 0; i < STEPS.size(); i++) {
            String field = STEPS.get(i).getKey();
            JsonNode v = metrics.get(field);
            if (v == null || v.isNull()) {
                if (i == 0) {
                    counts[i] = -1;
                    continue;
                }
                throw new BadInputException("metrics." + field, "is required: a whole number of " + field.replace('_', ' '));
            }
            counts[i] = count("metrics." + field, v);
        }
        for (int i = 2; i < STEPS.size(); i++) {
            if (counts[i] > counts[i - 1]) {
                throw new BadInputException("metrics." + STEPS.get(i).getKey(),
                        "must not exceed " + STEPS.get(i - 1).getKey() + " (each step follows the one before)");
            }
        }
        List<Metrics.Step> funnel = new ArrayList<>();
        int first = counts[0] >= counts[1] ? 0 : 1;
        for (int i = first; i < STEPS.size(); i++) {
            funnel.add(new Metrics.Step(STEPS.get(i).getValue(), counts[i]));
        }
        long landings = counts[1];
        long adds = counts[3];
        long purchases = counts[4];
        Metrics.Period current = new Metrics.Period(landings, purchases, null, purchases, adds, adds - purchases);
        return new Metrics(null, null, funnel, current, null, null, null, null, null, null);
    }

    private static long count(String field, JsonNode v) {
        boolean whole = v.isIntegralNumber() || v.isFloatingPointNumber() && v.doubleValue() == Math.rint(v.doubleValue());
        if (!v.isNumber() || !whole || !v.canConvertToLong()) {
            throw new BadInputException(field, "must be a whole number");
        }
        long n = v.longValue();
        if (n < 0) {
            throw new BadInputException(field, "must not be negative");
        }
        return n;
    }
}
