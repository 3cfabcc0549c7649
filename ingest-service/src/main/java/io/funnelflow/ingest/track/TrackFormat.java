package io.funnelflow.ingest.track;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.funnelflow.contract.event.TrackedEvent;
import io.funnelflow.contract.event.Violation;
import io.funnelflow.contract.json.Json;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** FunnelFlow's own body formats: one event ({@code /api/track}) or {@code {"events": [...]}} ({@code /api/batch}). */
public final class TrackFormat {

    private static final ObjectReader EVENT = Json.mapper().readerFor(TrackedEvent.class);
    private static final String[] WRITE_KEY = {"write_key", "writeKey"};

    /** {@code /api/track}: the body is one event. */
    public static final BodyFormat SINGLE = new BodyFormat() {
        @Override
        public String eventsField() {
            return null;
        }

        @Override
        public Envelope read(byte[] json, int maxEvents) {
            return single(Bodies.parse(json));
        }
    };

    /** {@code /api/batch}: {@code {"events": [...]}}. */
    public static final BodyFormat BATCH_FORMAT = new BodyFormat() {
        @Override
        public String eventsField() {
            return "events";
        }

        @Override
        public Envelope read(byte[] json, int maxEvents) {
            return batch(json, json.length, maxEvents);
        }
    };

    private TrackFormat() {
    }

    public static Envelope single(JsonNode root) {
        return new Envelope(List.of(candidate(0, root)), Bodies.text(root, WRITE_KEY), null);
    }

    /** The whole batch in one pass, for the common case where every event maps. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record BatchBody(List<TrackedEvent> events,
                     @JsonAlias("writeKey") String writeKey,
                     @JsonAlias("sentAt") Instant sentAt) {
    }

    private static final ObjectReader BATCH = Json.mapper().readerFor(BatchBody.class);

    /**
     * {@code /api/batch}: reads the body straight into events in one pass when every event maps, and
     * falls back to judging event by event (with each one's field and reason) when one does not.
     *
     * @param body the body, gzip or not
     */
    public static Envelope batch(byte[] body, int maxBytes, int maxEvents) {
        if (body != null && body.length > 0 && body.length <= maxBytes && body[0] == '{') {
            try {
                BatchBody batch = BATCH.readValue(body);
                if (batch.events() != null && !batch.events().isEmpty() && batch.events().size() <= maxEvents
                        && batch.events().stream().allMatch(java.util.Objects::nonNull)) {
                    List<Candidate> candidates = new ArrayList<>(batch.events().size());
                    for (int i = 0; i < batch.events().size(); i++) {
                        candidates.add(Candidate.of(i, batch.events().get(i), null));
                    }
                    return new Envelope(candidates, blankToNull(batch.writeKey()), batch.sentAt());
                }
            } catch (java.io.IOException e) {
                // not every event maps, or not JSON: the careful path below says which and why
            }
        }
        return batch(Bodies.parse(body, maxBytes), maxEvents);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    public static Envelope batch(JsonNode root, int maxEvents) {
        JsonNode events = root.get("events");
        if (events == null || !events.isArray()) {
            throw BodyRejectedException.invalid("events", "is required: a JSON array of events");
        }
        if (events.isEmpty()) {
            throw BodyRejectedException.invalid("events", "is empty");
        }
        if (events.size() > maxEvents) {
            throw BodyRejectedException.tooLarge("events", "holds " + events.size() + " events; at most " + maxEvents + " per batch");
        }
        List<Candidate> candidates = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            candidates.add(candidate(i, events.get(i)));
        }
        return new Envelope(candidates, Bodies.text(root, WRITE_KEY), Bodies.instant(root, "sent_at", "sentAt"));
    }

    static Candidate candidate(int index, JsonNode node) {
        if (!node.isObject()) {
            return Candidate.unreadable(index, node, new Violation("event", "must be a JSON object"));
        }
        try {
            return Candidate.of(index, EVENT.readValue(node), node);
        } catch (JsonProcessingException e) {
            return Candidate.unreadable(index, node, Json.violationOf(e));
        } catch (java.io.IOException e) {
            return Candidate.unreadable(index, node, new Violation("event", e.getMessage()));
        }
    }
}
