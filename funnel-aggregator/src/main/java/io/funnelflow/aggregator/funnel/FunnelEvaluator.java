package io.funnelflow.aggregator.funnel;

import io.funnelflow.contract.funnel.FunnelDefinition;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Computes how far visitors get through a funnel (for example landing, product view, add to cart,
 * checkout start, purchase) and where they drop off.
 *
 * <p>A session enters the funnel when it has an event of step 1; a session without one is left out
 * of every number. How far an entering session gets depends on the {@link FunnelMode}:
 *
 * <ul>
 *   <li><b>ordered</b>: the session reaches step k when it did steps 1..k at non-decreasing times, with
 *       anything in between. Each step is matched to the earliest event that can follow the previous
 *       step's matched event, which reaches the furthest step possible.</li>
 *   <li><b>strict</b>: as ordered, but between two consecutive matched steps there may be no event of
 *       another step of this funnel (events outside the funnel are ignored). The journey may start
 *       over at any later step-1 event; the session counts with its best journey, and the times are
 *       those of the earliest journey that got that far.</li>
 *   <li><b>any_order</b>: the session reaches step k when it did each of steps 1..k at least once. Step
 *       times are the first time each step was done; a step done before the previous one converted in
 *       zero seconds.</li>
 * </ul>
 *
 * <p>Events are ordered by time; events with the same time keep the order in which the session lists
 * them, and equal times count as in order. Step k's {@link FunnelCount} is either the number of sessions
 * reaching it, or the number of step-k events from the moment the session reached step k - 1 (all
 * step-1 events of entering sessions for step 1; in any_order, all step-k events of sessions that
 * reached step k - 1). The median time from the previous step is taken over the sessions that reached
 * the step.
 *
 * <p>Pure and stateless: it only reads its arguments, so one instance can serve any number of threads.
 */
public final class FunnelEvaluator {

    /**
     * The funnel's numbers over {@code sessions}.
     *
     * @param withBreakdown whether to also compute the numbers for each breakdown value's sessions
     */
    public FunnelReport evaluate(FunnelDefinition funnel, FunnelMode mode, FunnelCount count,
                                 Collection<FunnelSession> sessions, boolean withBreakdown) {
        Objects.requireNonNull(funnel, "funnel");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(count, "count");
        List<Outcome> outcomes = new ArrayList<>(sessions.size());
        for (FunnelSession session : sessions) {
            outcomes.add(outcome(funnel.steps(), mode, count, session));
        }
        Map<String, List<FunnelReport.Step>> breakdown =
                withBreakdown ? breakdown(funnel, mode, count, outcomes) : Map.of();
        return new FunnelReport(funnel.name(), mode.wireName(), count.wireName(),
                steps(funnel, mode, count, outcomes), breakdown);
    }

    /** How far {@code session} got in {@code funnel} and when it did each step it reached. */
    public static SessionFunnel match(FunnelDefinition funnel, FunnelMode mode, FunnelSession session) {
        Objects.requireNonNull(mode, "mode");
        return match(funnel.steps(), mode, Timeline.of(session));
    }

    /** The number of steps of {@code funnel} that {@code session} reached; 0 when it did not enter. */
    public static int reachedDepth(FunnelDefinition funnel, FunnelMode mode, FunnelSession session) {
        return match(funnel, mode, session).depth();
    }

    private static SessionFunnel match(List<String> steps, FunnelMode mode, Timeline timeline) {
        return switch (mode) {
            case ORDERED -> matchOrdered(steps, timeline);
            case STRICT -> matchStrict(steps, timeline);
            case ANY_ORDER -> matchAnyOrder(steps, timeline);
        };
    }

    private static SessionFunnel matchOrdered(List<String> steps, Timeline timeline) {
        long[] times = new long[steps.size()];
        int depth = 0;
        int position = -1;
        while (depth < steps.size()) {
            position = timeline.next(steps.get(depth), position + 1);
            if (position < 0) {
                break;
            }
            times[depth++] = timeline.times[position];
        }
        return new SessionFunnel(depth, Arrays.copyOf(times, depth));
    }

    private static SessionFunnel matchStrict(List<String> steps, Timeline timeline) {
        int[] stepEvents = timeline.positionsOf(Set.copyOf(steps));
        int bestStart = -1;
        int bestDepth = 0;
        for (int start = 0; start < stepEvents.length && bestDepth < steps.size(); start++) {
            int depth = strictDepthFrom(steps, timeline, stepEvents, start);
            if (depth > bestDepth) {
                bestDepth = depth;
                bestStart = start;
            }
        }
        long[] times = new long[bestDepth];
        for (int i = 0; i < bestDepth; i++) {
            times[i] = timeline.times[stepEvents[bestStart + i]];
        }
        return new SessionFunnel(bestDepth, times);
    }

    /** Steps reached by the journey that starts at funnel event {@code start} and never deviates. */
    private static int strictDepthFrom(List<String> steps, Timeline timeline, int[] stepEvents, int start) {
        int depth = 0;
        while (depth < steps.size() && start + depth < stepEvents.length
                && timeline.types[stepEvents[start + depth]].equals(steps.get(depth))) {
            depth++;
        }
        return depth;
    }

    private static SessionFunnel matchAnyOrder(List<String> steps, Timeline timeline) {
        long[] times = new long[steps.size()];
        int depth = 0;
        while (depth < steps.size()) {
            int first = timeline.next(steps.get(depth), 0);
            if (first < 0) {
                break;
            }
            times[depth++] = timeline.times[first];
        }
        return new SessionFunnel(depth, Arrays.copyOf(times, depth));
    }

    private static Outcome outcome(List<String> steps, FunnelMode mode, FunnelCount count, FunnelSession session) {
        Timeline timeline = Timeline.of(session);
        SessionFunnel reached = match(steps, mode, timeline);
        long[] events = count == FunnelCount.EVENTS ? stepEvents(steps, mode, timeline, reached) : null;
        return new Outcome(session.breakdownKey(), reached, events);
    }

    /** Per step, the step events this session contributes when counting events. */
    private static long[] stepEvents(List<String> steps, FunnelMode mode, Timeline timeline, SessionFunnel reached) {
        long[] events = new long[steps.size()];
        if (!reached.entered()) {
            return events;
        }
        for (int i = 0; i <= reached.depth() && i < steps.size(); i++) {
            boolean anyTime = i == 0 || mode == FunnelMode.ANY_ORDER;
            long from = anyTime ? Long.MIN_VALUE : reached.stepTimeMillis(i);
            events[i] = timeline.countFrom(steps.get(i), from);
        }
        return events;
    }

    private static Map<String, List<FunnelReport.Step>> breakdown(FunnelDefinition funnel, FunnelMode mode,
                                                                  FunnelCount count, List<Outcome> outcomes) {
        Map<String, List<Outcome>> byValue = new HashMap<>();
        for (Outcome outcome : outcomes) {
            byValue.computeIfAbsent(outcome.breakdownKey(), key -> new ArrayList<>()).add(outcome);
        }
        Map<String, List<FunnelReport.Step>> stepsByValue = new HashMap<>();
        byValue.forEach((value, group) -> {
            List<FunnelReport.Step> steps = steps(funnel, mode, count, group);
            // a value none of whose sessions entered the funnel says nothing about it
            if (steps.stream().anyMatch(s -> s.count() != 0)) {
                stepsByValue.put(value, steps);
            }
        });
        Comparator<Map.Entry<String, List<FunnelReport.Step>>> order =
                Comparator.<Map.Entry<String, List<FunnelReport.Step>>>comparingLong(e -> -e.getValue().get(0).count())
                        .thenComparing(Map.Entry::getKey);
        Map<String, List<FunnelReport.Step>> sorted = new LinkedHashMap<>();
        stepsByValue.entrySet().stream().sorted(order).forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    private static List<FunnelReport.Step> steps(FunnelDefinition funnel, FunnelMode mode, FunnelCount count,
                                                 List<Outcome> outcomes) {
        int size = funnel.steps().size();
        long[] counts = new long[size];
        Double[] medians = new Double[size];
        for (int i = 0; i < size; i++) {
            counts[i] = count(count, outcomes, i);
            medians[i] = medianSecondsFromPrevious(mode, outcomes, i);
        }
        return FunnelReport.steps(funnel, counts, medians);
    }

    private static long count(FunnelCount count, List<Outcome> outcomes, int stepIndex) {
        long total = 0;
        for (Outcome outcome : outcomes) {
            if (count == FunnelCount.EVENTS) {
                total += outcome.stepEvents()[stepIndex];
            } else if (outcome.reached().depth() > stepIndex) {
                total++;
            }
        }
        return total;
    }

    private static Double medianSecondsFromPrevious(FunnelMode mode, List<Outcome> outcomes, int stepIndex) {
        if (stepIndex == 0) {
            return null;
        }
        double[] seconds = outcomes.stream()
                .map(Outcome::reached)
                .filter(reached -> reached.depth() > stepIndex)
                .mapToDouble(reached -> secondsFromPrevious(reached, stepIndex))
                .sorted()
                .toArray();
        return median(seconds);
    }

    private static double secondsFromPrevious(SessionFunnel reached, int stepIndex) {
        long millis = reached.stepTimeMillis(stepIndex + 1) - reached.stepTimeMillis(stepIndex);
        return Math.max(0L, millis) / 1000.0;
    }

    /** The median of sorted values; the mean of the middle two for an even count; null for none. */
    private static Double median(double[] sorted) {
        int n = sorted.length;
        if (n == 0) {
            return null;
        }
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    }

    /** What one session contributes: its breakdown value, its match and, when counting events, its step events. */
    private record Outcome(String breakdownKey, SessionFunnel reached, long[] stepEvents) {
    }

    /** A session's events in time order, ties in the order the session lists them. */
    private static final class Timeline {
        private final String[] types;
        private final long[] times;

        private Timeline(String[] types, long[] times) {
            this.types = types;
            this.times = times;
        }

        static Timeline of(FunnelSession session) {
            List<String> eventTypes = session.eventTypes();
            long[] eventTimes = session.eventTimesMillis();
            Integer[] order = new Integer[eventTimes.length];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            Arrays.sort(order, Comparator.<Integer>comparingLong(i -> eventTimes[i]).thenComparingInt(i -> i));
            String[] types = new String[order.length];
            long[] times = new long[order.length];
            for (int i = 0; i < order.length; i++) {
                types[i] = eventTypes.get(order[i]);
                times[i] = eventTimes[order[i]];
            }
            return new Timeline(types, times);
        }

        /** The first position at or after {@code from} with event type {@code type}, or -1. */
        int next(String type, int from) {
            for (int i = from; i < types.length; i++) {
                if (types[i].equals(type)) {
                    return i;
                }
            }
            return -1;
        }

        /** The positions, in order, of the events whose type is in {@code wanted}. */
        int[] positionsOf(Set<String> wanted) {
            return IntStream.range(0, types.length).filter(i -> wanted.contains(types[i])).toArray();
        }

        /** The number of events of {@code type} at or after time {@code fromMillis}. */
        long countFrom(String type, long fromMillis) {
            long n = 0;
            for (int i = 0; i < types.length; i++) {
                if (times[i] >= fromMillis && types[i].equals(type)) {
                    n++;
                }
            }
            return n;
        }
    }
}
