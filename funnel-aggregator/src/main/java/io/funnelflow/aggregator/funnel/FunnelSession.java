package io.funnelflow.aggregator.funnel;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One visitor session as a funnel sees it: the type and time of each of its events, and the value of
 * the dimension the report is broken down by (traffic source, device, country, ...).
 *
 * <p>{@code eventTypes} and {@code eventTimesMillis} are parallel: event {@code i} has type
 * {@code eventTypes.get(i)} and happened at {@code eventTimesMillis[i]} (epoch milliseconds). They may
 * be in any order; the evaluator orders events by time, and events with the same time by their index
 * here, so give events that share a millisecond in the order they happened. A {@code null}
 * {@code breakdownValue} means the session has no value for the dimension; reports show it as
 * {@value FunnelReport#NO_BREAKDOWN_VALUE}.
 *
 * <p>Immutable: the list and the array are copied in and the array is copied out.
 */
public record FunnelSession(String breakdownValue, List<String> eventTypes, long[] eventTimesMillis) {

    /**
     * @throws NullPointerException when a list, the array or an event type is null
     * @throws IllegalArgumentException when the list and the array differ in length
     */
    public FunnelSession {
        eventTypes = List.copyOf(Objects.requireNonNull(eventTypes, "eventTypes"));
        eventTimesMillis = Objects.requireNonNull(eventTimesMillis, "eventTimesMillis").clone();
        if (eventTypes.size() != eventTimesMillis.length) {
            throw new IllegalArgumentException("eventTypes and eventTimesMillis differ in length: "
                    + eventTypes.size() + " and " + eventTimesMillis.length);
        }
    }

    /** A copy of the event times. */
    @Override
    public long[] eventTimesMillis() {
        return eventTimesMillis.clone();
    }

    /** The number of events. */
    public int size() {
        return eventTypes.size();
    }

    /** The breakdown value as reported: {@link FunnelReport#NO_BREAKDOWN_VALUE} when there is none. */
    public String breakdownKey() {
        return breakdownValue == null ? FunnelReport.NO_BREAKDOWN_VALUE : breakdownValue;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof FunnelSession that
                && Objects.equals(breakdownValue, that.breakdownValue)
                && eventTypes.equals(that.eventTypes)
                && Arrays.equals(eventTimesMillis, that.eventTimesMillis);
    }

    @Override
    public int hashCode() {
        return Objects.hash(breakdownValue, eventTypes, Arrays.hashCode(eventTimesMillis));
    }

    @Override
    public String toString() {
        return "FunnelSession[breakdownValue=" + breakdownValue + ", eventTypes=" + eventTypes
                + ", eventTimesMillis=" + Arrays.toString(eventTimesMillis) + "]";
    }
}
