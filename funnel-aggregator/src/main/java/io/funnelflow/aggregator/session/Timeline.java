package io.funnelflow.aggregator.session;

import java.util.ArrayList;
import java.util.List;

/**
 * Every event of one session key (a client session id, or a visitor) in time order, whatever order they
 * arrived in. Sessions are a pure function of it.
 *
 * @param touchedAt wall-clock time of the last change, to forget idle visitors
 */
public record Timeline(List<TimelineEvent> events, long touchedAt) {

    public Timeline {
        events = List.copyOf(events);
    }

    public static Timeline empty() {
        return new Timeline(List.of(), 0);
    }

    /** This timeline with {@code e} in its place; unchanged if an event with the same id is there already. */
    public Timeline with(TimelineEvent e, long now) {
        int low = 0;
        int high = events.size();
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (events.get(mid).compareTo(e) < 0) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        if (low < events.size() && events.get(low).eventId().equals(e.eventId())) {
            return this;
        }
        List<TimelineEvent> out = new ArrayList<>(events.size() + 1);
        out.addAll(events.subList(0, low));
        out.add(e);
        out.addAll(events.subList(low, events.size()));
        return new Timeline(out, now);
    }
}
