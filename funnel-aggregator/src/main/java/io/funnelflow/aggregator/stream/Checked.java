package io.funnelflow.aggregator.stream;

import io.funnelflow.contract.event.EventValidator;
import io.funnelflow.contract.event.RejectedEvent;
import io.funnelflow.contract.event.TrackedEvent;
import io.funnelflow.contract.event.Violation;
import io.funnelflow.contract.json.Json;

import java.util.List;

/**
 * An event from {@code funnelflow.events} checked again on the way in: ingest validated it, but any
 * producer can write to the topic, and the aggregator needs an id to deduplicate by and a time to count by.
 */
record Checked(Received received, RejectedEvent rejected) {

    private static final EventValidator VALIDATOR = new EventValidator();

    static Checked of(Received r) {
        TrackedEvent e = r.event();
        if (e.eventId() == null || e.eventId().isBlank()) {
            return reject(e, new Violation("event_id", "is required: the aggregator counts each event id once"));
        }
        if (e.eventTime() == null) {
            return reject(e, new Violation("event_time", "is required on funnelflow.events: send events through ingest, or set it"));
        }
        List<Violation> violations = VALIDATOR.validate(e);
        return violations.isEmpty() ? new Checked(r, null) : reject(e, violations.get(0));
    }

    private static Checked reject(TrackedEvent e, Violation why) {
        return new Checked(null, new RejectedEvent(RejectedEvent.STAGE_AGGREGATOR, e.eventId(), why.field(), why.reason(),
                e.receivedAt(), Json.mapper().valueToTree(e), null));
    }
}
