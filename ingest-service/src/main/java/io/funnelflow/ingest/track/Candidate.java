package io.funnelflow.ingest.track;

import com.fasterxml.jackson.databind.JsonNode;
import io.funnelflow.contract.event.TrackedEvent;
import io.funnelflow.contract.event.Violation;

/**
 * One event of a request, as read from its body: either mapped to an event, or refused already at
 * mapping with the reason.
 *
 * @param index     its position in the request
 * @param event     the event as the client sent it, null when it could not be read
 * @param raw       the JSON the client sent for it
 * @param unreadable why it could not be read, or null
 */
public record Candidate(int index, TrackedEvent event, JsonNode raw, Violation unreadable) {

    public static Candidate of(int index, TrackedEvent event, JsonNode raw) {
        return new Candidate(index, event, raw, null);
    }

    public static Candidate unreadable(int index, JsonNode raw, Violation why) {
        return new Candidate(index, null, raw, why);
    }
}
