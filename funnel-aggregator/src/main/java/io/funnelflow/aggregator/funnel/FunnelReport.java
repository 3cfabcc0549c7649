package io.funnelflow.aggregator.funnel;

import io.funnelflow.contract.funnel.FunnelDefinition;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A funnel's numbers over a set of sessions: one {@link Step} per funnel step, for all sessions and,
 * when asked for, for the sessions of each breakdown value.
 *
 * @param funnel    the funnel's name
 * @param mode      the {@link FunnelMode} wire name
 * @param count     the {@link FunnelCount} wire name
 * @param steps     the steps over all sessions, step 1 first
 * @param breakdown each breakdown value's steps, the value with the most step-1 sessions (or events)
 *                  first, ties by name; empty when no breakdown was asked for. Iteration order is
 *                  that order.
 */
public record FunnelReport(String funnel, String mode, String count, List<Step> steps,
                           Map<String, List<Step>> breakdown) {

    /** The breakdown value of sessions that have none. */
    public static final String NO_BREAKDOWN_VALUE = "(none)";

    public FunnelReport {
        steps = List.copyOf(steps);
        breakdown = copyInOrder(breakdown);
    }

    /**
     * The steps of a funnel from each step's count and median time from the previous step: the one
     * place conversion and drop-off are worked out, for the reference evaluation and for the figures
     * the stream keeps alike.
     */
    public static List<Step> steps(FunnelDefinition funnel, long[] counts, Double[] medianSeconds) {
        List<Step> steps = new ArrayList<>(counts.length);
        for (int i = 0; i < counts.length; i++) {
            long count = counts[i];
            if (i == 0) {
                double entered = count > 0 ? 1.0 : 0.0;
                steps.add(new Step(1, funnel.steps().get(0), funnel.label(0), count, entered, entered, 0, 0.0, null));
                continue;
            }
            long previous = counts[i - 1];
            double fromPrevious = ratio(count, previous);
            steps.add(new Step(i + 1, funnel.steps().get(i), funnel.label(i), count, fromPrevious, ratio(count, counts[0]),
                    previous - count, previous == 0 ? 0.0 : 1.0 - fromPrevious, medianSeconds[i]));
        }
        return steps;
    }

    private static double ratio(long numerator, long denominator) {
        return denominator == 0 ? 0.0 : (double) numerator / denominator;
    }

    private static Map<String, List<Step>> copyInOrder(Map<String, List<Step>> breakdown) {
        if (breakdown == null || breakdown.isEmpty()) {
            return Map.of();
        }
        Map<String, List<Step>> copy = new LinkedHashMap<>();
        breakdown.forEach((value, steps) -> copy.put(value, List.copyOf(steps)));
        return Collections.unmodifiableMap(copy);
    }

    /**
     * One funnel step. Any rate whose denominator is 0 is 0.0.
     *
     * @param index                     1-based position in the funnel
     * @param eventType                 the step's event type
     * @param label                     the step as shown to people ("landing" for a first page view)
     * @param count                     sessions reaching the step, or step events, per the report's count
     * @param conversionFromPrevious    {@code count / previous count}; for step 1, 1.0 (0.0 when nobody
     *                                  entered)
     * @param conversionFromStart       {@code count / step-1 count}
     * @param dropOff                   {@code previous count - count}; 0 for step 1. Negative when
     *                                  counting events and a step has more events than the one before
     * @param dropOffRate               {@code 1 - conversionFromPrevious}; 0.0 for step 1
     * @param medianSecondsFromPrevious median time in seconds from the previous step to this one over
     *                                  the sessions reaching this step; null for step 1 or when none
     *                                  reached it
     */
    public record Step(int index, String eventType, String label, long count,
                       double conversionFromPrevious, double conversionFromStart,
                       long dropOff, double dropOffRate, Double medianSecondsFromPrevious) {
    }
}
