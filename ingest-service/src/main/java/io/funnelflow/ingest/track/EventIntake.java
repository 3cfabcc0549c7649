package io.funnelflow.ingest.track;

import com.fasterxml.jackson.databind.JsonNode;
import io.funnelflow.contract.event.EventValidator;
import io.funnelflow.contract.event.RejectedEvent;
import io.funnelflow.contract.event.TrackedEvent;
import io.funnelflow.contract.event.Violation;
import io.funnelflow.contract.json.Json;
import io.funnelflow.ingest.privacy.SuppressionList;
import io.funnelflow.ingest.privacy.UrlPolicy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Judges the events of one request one by one: a valid event is stamped (id, receive time, corrected
 * event time, page URLs stripped by the {@link UrlPolicy}) and accepted, an invalid one is rejected with
 * its field and reason. An event of an erased person ({@link SuppressionList}) is neither: it is counted
 * as suppressed and goes nowhere, not even to the rejected topic. The result completes only when the sink
 * has stored every event, accepted and rejected alike.
 */
public final class EventIntake {

    /** A refused event is kept whole on the rejected topic up to this size as JSON, else its first characters. */
    static final int MAX_REJECTED_PAYLOAD_CHARS = 64 * 1024;

    private final EventValidator validator;
    private final UrlPolicy urls;
    private final SuppressionList suppressions;
    private final EventSink sink;

    /** With the default URL policy (only {@code utm_*} query parameters are kept) and nobody suppressed. */
    public EventIntake(EventValidator validator, EventSink sink) {
        this(validator, new UrlPolicy(""), SuppressionList.on(), sink);
    }

    public EventIntake(EventValidator validator, UrlPolicy urls, SuppressionList suppressions, EventSink sink) {
        this.validator = validator;
        this.urls = urls;
        this.suppressions = suppressions;
        this.sink = sink;
    }

    public CompletableFuture<IntakeResult> submit(Envelope envelope, String writeKey, Instant receivedAt) {
        List<IntakeResult.Accepted> accepted = new ArrayList<>(envelope.candidates().size());
        List<IntakeResult.Rejected> rejected = new ArrayList<>();
        int suppressed = 0;
        Acks writes = new Acks(envelope.candidates().size());
        for (Candidate c : envelope.candidates()) {
            if (suppressed(c)) {
                suppressed++;
                writes.done(null); // nothing to write for it
                continue;
            }
            if (c.unreadable() != null) {
                String id = c.raw() != null && c.raw().path("event_id").isTextual() ? c.raw().path("event_id").asText() : null;
                rejected.add(reject(c, id, null, c.unreadable(), receivedAt, writes));
                continue;
            }
            // free text loses its control characters here; identifiers and names keep theirs for the validator to refuse
            TrackedEvent sent = EventValidator.stripFreeText(c.event());
            boolean generated = sent.eventId() == null;
            String id = generated ? EventIds.generate(writeKey, sent) : sent.eventId();
            TrackedEvent event = urls.apply(sent.accepted(id, receivedAt, envelope.sentAt()));
            List<Violation> violations = validator.validate(event);
            if (violations.isEmpty()) {
                sink.accept(event, writes);
                accepted.add(new IntakeResult.Accepted(c.index(), id, generated));
            } else {
                rejected.add(reject(c, sent.eventId(), event.sessionKey(), violations.get(0), receivedAt, writes));
            }
        }
        IntakeResult result = new IntakeResult(List.copyOf(accepted), List.copyOf(rejected), suppressed);
        return writes.all().thenApply(done -> result);
    }

    /** An erased person's event, read or not: its ids as sent (an unreadable event's, where they are text). */
    private boolean suppressed(Candidate c) {
        if (c.event() != null) {
            return suppressions.suppresses(c.event().userId(), c.event().anonymousId());
        }
        if (c.raw() == null) {
            return false;
        }
        var userId = c.raw().path("user_id");
        var anonymousId = c.raw().path("anonymous_id");
        return suppressions.suppresses(userId.isTextual() ? userId.asText() : null,
                anonymousId.isTextual() ? anonymousId.asText() : null);
    }

    private IntakeResult.Rejected reject(Candidate c, String eventId, String key, Violation why, Instant receivedAt,
                                         Acks writes) {
        JsonNode payload = c.raw() != null ? c.raw() : Json.mapper().valueToTree(c.event());
        String rawText = null;
        String text = payload.toString();
        if (text.length() > MAX_REJECTED_PAYLOAD_CHARS) {
            // a refused event of nearly a megabyte would not fit a Kafka record with its envelope: keep its start
            payload = null;
            rawText = text.substring(0, MAX_REJECTED_PAYLOAD_CHARS) + "…";
        }
        sink.reject(key != null ? key : eventId,
                new RejectedEvent(RejectedEvent.STAGE_INGEST, eventId, why.field(), why.reason(), receivedAt, payload, rawText), writes);
        return new IntakeResult.Rejected(c.index(), eventId, why.field(), why.reason());
    }
}
