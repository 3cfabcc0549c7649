package io.funnelflow.ingest;

import io.funnelflow.contract.event.EventValidator;
import io.funnelflow.contract.event.RejectedEvent;
import io.funnelflow.contract.event.TrackedEvent;
import io.funnelflow.contract.json.Json;
import io.funnelflow.contract.privacy.Suppression;
import io.funnelflow.ingest.privacy.SuppressionList;
import io.funnelflow.ingest.privacy.UrlPolicy;
import io.funnelflow.ingest.track.Bodies;
import io.funnelflow.ingest.track.EventIntake;
import io.funnelflow.ingest.track.EventSink;
import io.funnelflow.ingest.track.IntakeResult;
import io.funnelflow.ingest.track.TrackFormat;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventIntakeTest {

    static final Instant RECEIVED = Instant.parse("2026-11-22T12:00:00Z");

    static final class MemorySink implements EventSink {
        final List<TrackedEvent> accepted = new ArrayList<>();
        final List<RejectedEvent> rejected = new ArrayList<>();
        Throwable failure;

        @Override
        public void accept(TrackedEvent event, Ack ack) {
            accepted.add(event);
            ack.done(failure);
        }

        @Override
        public void reject(String key, RejectedEvent r, Ack ack) {
            rejected.add(r);
            ack.done(failure);
        }
    }

    static IntakeResult submit(MemorySink sink, String json) {
        var envelope = TrackFormat.batch(json.getBytes(StandardCharsets.UTF_8), 1 << 20, 500);
        return new EventIntake(new EventValidator(), sink).submit(envelope, "key", RECEIVED).join();
    }

    @Test
    void batchLevelSentAtCorrectsEventsThatHaveNoneOfTheirOwn() {
        MemorySink sink = new MemorySink();
        submit(sink, """
                {"sent_at":"2026-11-22T10:00:05Z","events":[
                  {"event_id":"a","event_type":"page_view","session_id":"s","timestamp":"2026-11-22T10:00:00Z"},
                  {"event_id":"b","event_type":"page_view","session_id":"s","timestamp":"2026-11-22T10:00:00Z","sent_at":"2026-11-22T10:00:01Z"}
                ]}""");
        assertThat(sink.accepted).extracting(TrackedEvent::eventTime)
                .containsExactly(Instant.parse("2026-11-22T11:59:55Z"), Instant.parse("2026-11-22T11:59:59Z"));
        assertThat(sink.accepted).allSatisfy(e -> assertThat(e.receivedAt()).isEqualTo(RECEIVED));
    }

    static IntakeResult submit(MemorySink sink, SuppressionList suppressions, String json) {
        var envelope = TrackFormat.batch(json.getBytes(StandardCharsets.UTF_8), 1 << 20, 500);
        return new EventIntake(new EventValidator(), new UrlPolicy(""), suppressions, sink).submit(envelope, "key", RECEIVED).join();
    }

    static final String OF_ERASED_AND_OTHERS = """
            {"events":[
              {"event_id":"1","event_type":"page_view","session_id":"s1","user_id":"u-erased"},
              {"event_id":"2","event_type":"page_view","session_id":"s2","anonymous_id":"a-erased"},
              {"event_id":"3","event_type":"product_view","session_id":"s3","user_id":"u-erased","price":-1},
              {"event_id":"4","event_type":"page_view","session_id":"s4","user_id":"u-other","anonymous_id":"a-other"},
              {"event_id":"5","event_type":"page_view","session_id":"s5","anonymous_id":"a-erased","quantity":"many"}
            ]}""";

    @Test
    void anErasedPersonsEventsArePublishedNowhereAndCounted() {
        SuppressionList suppressions = SuppressionList.on();
        suppressions.apply("u-erased", new Suppression("u-erased", List.of("a-erased"), RECEIVED));
        MemorySink sink = new MemorySink();
        IntakeResult r = submit(sink, suppressions, OF_ERASED_AND_OTHERS);
        assertThat(r.suppressed()).isEqualTo(4);
        assertThat(r.rejected()).isEmpty();
        assertThat(r.accepted()).extracting(IntakeResult.Accepted::eventId).containsExactly("4");
        assertThat(sink.accepted).extracting(TrackedEvent::eventId).containsExactly("4");
        // not even the invalid ones go to the rejected topic: that would keep their data
        assertThat(sink.rejected).isEmpty();

        // a tombstone lifts the suppression
        suppressions.apply("u-erased", null);
        MemorySink after = new MemorySink();
        IntakeResult lifted = submit(after, suppressions, OF_ERASED_AND_OTHERS);
        assertThat(lifted.suppressed()).isZero();
        assertThat(after.accepted).extracting(TrackedEvent::eventId).containsExactly("1", "2", "4");
        assertThat(after.rejected).hasSize(2);
    }

    @Test
    void switchedOffNothingIsSuppressed() {
        SuppressionList suppressions = SuppressionList.off();
        suppressions.apply("u-erased", new Suppression("u-erased", List.of("a-erased"), RECEIVED));
        MemorySink sink = new MemorySink();
        IntakeResult r = submit(sink, suppressions, OF_ERASED_AND_OTHERS);
        assertThat(r.suppressed()).isZero();
        assertThat(sink.accepted).extracting(TrackedEvent::eventId).containsExactly("1", "2", "4");
    }

    @Test
    void anEventInTheFutureAfterCorrectionIsRejectedWithTheReason() {
        MemorySink sink = new MemorySink();
        IntakeResult r = submit(sink, """
                {"events":[{"event_id":"f","event_type":"page_view","session_id":"s","timestamp":"2026-11-22T14:00:00Z"}]}""");
        assertThat(r.accepted()).isEmpty();
        assertThat(r.rejected()).singleElement().satisfies(x -> {
            assertThat(x.field()).isEqualTo("timestamp");
            assertThat(x.reason()).contains("7200 s in the future");
        });
        assertThat(sink.rejected).singleElement().satisfies(x -> {
            assertThat(x.payload().get("event_id").asText()).isEqualTo("f");
            assertThat(x.receivedAt()).isEqualTo(RECEIVED);
        });
    }

    @Test
    void generatedIdsAreStableForTimestampedEventsAndFreshOtherwise() {
        String timed = """
                {"events":[{"event_type":"page_view","session_id":"s","timestamp":"2026-11-22T11:00:00Z"}]}""";
        String untimed = """
                {"events":[{"event_type":"page_view","session_id":"s"}]}""";
        MemorySink sink = new MemorySink();
        String a = submit(sink, timed).accepted().get(0).eventId();
        String b = submit(sink, timed).accepted().get(0).eventId();
        String c = submit(sink, untimed).accepted().get(0).eventId();
        String d = submit(sink, untimed).accepted().get(0).eventId();
        assertThat(a).isEqualTo(b);
        assertThat(c).isNotEqualTo(d);
        assertThat(submit(sink, timed).accepted().get(0).generatedId()).isTrue();
    }

    @Test
    void theOnePassAndTheCarefulReadingAgree() {
        byte[] body = """
                {"writeKey":"k","sentAt":"2026-11-22T10:00:05Z","events":[
                  {"event_id":"a","event_type":"add_to_cart","session_id":"s","price":"12.50","quantity":2,"metadata":{"x":[1,2]}},
                  {"event_id":"b","event_type":"page_view","anonymous_id":"v","timestamp":"2026-11-22T10:00:00Z"}
                ]}""".getBytes(StandardCharsets.UTF_8);
        var fast = TrackFormat.batch(body, 1 << 20, 500);
        var careful = TrackFormat.batch(Bodies.parse(body, 1 << 20), 500);
        assertThat(fast.candidates()).extracting(c -> c.event()).isEqualTo(careful.candidates().stream().map(c -> c.event()).toList());
        assertThat(fast.writeKey()).isEqualTo("k").isEqualTo(careful.writeKey());
        assertThat(fast.sentAt()).isEqualTo(careful.sentAt()).isEqualTo(Instant.parse("2026-11-22T10:00:05Z"));
    }

    @Test
    void theResultFailsWhenTheSinkDoesNotStoreAnEvent() {
        MemorySink sink = new MemorySink();
        sink.failure = new IllegalStateException("broker gone");
        assertThatThrownBy(() -> submit(sink, """
                {"events":[{"event_type":"page_view","session_id":"s"}]}"""))
                .isInstanceOf(CompletionException.class).hasRootCauseMessage("broker gone");
    }

    @Test
    void unreadableEventsKeepTheirIdAndRawJson() throws Exception {
        MemorySink sink = new MemorySink();
        IntakeResult r = submit(sink, """
                {"events":[{"event_id":"x","event_type":"page_view","session_id":"s","timestamp":"yesterday"}]}""");
        assertThat(r.rejected()).singleElement().satisfies(x -> {
            assertThat(x.eventId()).isEqualTo("x");
            assertThat(x.field()).isEqualTo("timestamp");
            assertThat(x.reason()).contains("ISO-8601");
        });
        assertThat(Json.mapper().writeValueAsString(sink.rejected.get(0).payload())).contains("yesterday");
    }
}
