package io.funnelflow.ingest.track;

import java.time.Instant;
import java.util.List;

/**
 * What a request body holds: its events, and what it says of all of them.
 *
 * @param candidates  the events, in order
 * @param writeKey    the write key given in the body, or null
 * @param sentAt      the client's send time given for the whole request, or null
 */
public record Envelope(List<Candidate> candidates, String writeKey, Instant sentAt) {
}
