package io.funnelflow.ingest.track;

import java.util.List;

/**
 * What became of each event of a request.
 *
 * @param accepted the events now on {@code funnelflow.events}
 * @param rejected   the events refused, each with field and reason (and now on the rejected topic)
 * @param suppressed how many events were of erased people: published nowhere
 */
public record IntakeResult(List<Accepted> accepted, List<Rejected> rejected, int suppressed) {

    /** @param generatedId true when the client sent no event_id and the server made one */
    public record Accepted(int index, String eventId, boolean generatedId) {
    }

    public record Rejected(int index, String eventId, String field, String reason) {
    }
}
