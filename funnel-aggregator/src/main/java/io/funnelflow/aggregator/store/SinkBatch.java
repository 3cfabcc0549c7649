package io.funnelflow.aggregator.store;

import io.funnelflow.contract.event.TrackedEvent;
import io.funnelflow.contract.session.MinuteCount;
import io.funnelflow.contract.session.SessionSummary;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one poll of the aggregator's output topics brings, reduced to what PostgreSQL needs: for keyed
 * absolute values only the latest per key counts (a session's last summary, a bucket's last count; a
 * null summary deletes the session).
 */
public final class SinkBatch {

    final List<TrackedEvent> events = new ArrayList<>();
    final Map<String, SessionSummary> sessions = new LinkedHashMap<>();
    final Map<String, MinuteCount> counts = new LinkedHashMap<>();
    final List<TrackedEvent> late = new ArrayList<>();

    public SinkBatch event(TrackedEvent e) {
        events.add(e);
        return this;
    }

    public SinkBatch session(String id, SessionSummary s) {
        sessions.remove(id);
        sessions.put(id, s);
        return this;
    }

    public SinkBatch count(MinuteCount c) {
        counts.put(c.bucketKey(), c);
        return this;
    }

    public SinkBatch late(TrackedEvent e) {
        late.add(e);
        return this;
    }

    /** The unique events of the batch (late ones among them), in the order read. */
    public List<TrackedEvent> events() {
        return Collections.unmodifiableList(events);
    }

    public boolean isEmpty() {
        return events.isEmpty() && sessions.isEmpty() && counts.isEmpty() && late.isEmpty();
    }
}
