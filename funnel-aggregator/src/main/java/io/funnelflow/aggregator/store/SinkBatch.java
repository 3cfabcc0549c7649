package io.funnelflow.aggregator.store;

import io.funnelflow.aggregator.aggregate.AggregateKey;
import io.funnelflow.contract.event.TrackedEvent;
import io.funnelflow.contract.session.LateEvent;
import io.funnelflow.contract.session.SessionSummary;
import io.funnelflow.contract.session.SessionTimeline;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one poll of the aggregator's output topics brings, reduced to what PostgreSQL needs: for keyed
 * absolute values only the latest per key counts (a session's last summary, a bucket's last figures, a
 * session's last timeline; a null summary or timeline deletes).
 */
public final class SinkBatch {

    final List<TrackedEvent> events = new ArrayList<>();
    final Map<String, SessionSummary> sessions = new LinkedHashMap<>();
    final Map<String, SessionTimeline> timelines = new LinkedHashMap<>();
    final Map<AggregateKey, byte[]> aggregates = new LinkedHashMap<>();
    final List<LateEvent> late = new ArrayList<>();

    public SinkBatch event(TrackedEvent e) {
        events.add(e);
        return this;
    }

    public SinkBatch session(String id, SessionSummary s) {
        sessions.remove(id);
        sessions.put(id, s);
        return this;
    }

    public SinkBatch timeline(String id, SessionTimeline t) {
        timelines.remove(id);
        timelines.put(id, t);
        return this;
    }

    public SinkBatch aggregate(AggregateKey key, byte[] value) {
        aggregates.remove(key);
        aggregates.put(key, value);
        return this;
    }

    public SinkBatch late(LateEvent e) {
        late.add(e);
        return this;
    }

    /** The unique events of the batch (late ones among them), in the order read. */
    public List<TrackedEvent> events() {
        return Collections.unmodifiableList(events);
    }

    public boolean isEmpty() {
        return events.isEmpty() && sessions.isEmpty() && timelines.isEmpty() && aggregates.isEmpty() && late.isEmpty();
    }
}
