package io.funnelflow.ingest;

import io.funnelflow.contract.event.EventValidator;
import io.funnelflow.contract.event.TrackedEvent;
import io.funnelflow.ingest.segment.SegmentFormat;
import io.funnelflow.ingest.track.Bodies;
import io.funnelflow.ingest.track.BodyRejectedException;
import io.funnelflow.ingest.track.BodyScan;
import io.funnelflow.ingest.track.Candidate;
import io.funnelflow.ingest.track.EventIntake;
import io.funnelflow.ingest.track.IntakeResult;
import io.funnelflow.ingest.track.TrackFormat;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * What a hostile body can make ingest do before and while its events are mapped: nothing unbounded.
 * Each case that once hung is held to a preemptive timeout, so that a regression fails instead of hanging.
 */
class HostileInputTest {

    static final Duration HANG = Duration.ofSeconds(2);

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static Candidate segment(String json) {
        return SegmentFormat.single(SegmentFormat.Call.TRACK, Bodies.parse(utf8(json), 1 << 20)).candidates().get(0);
    }

    @Test
    void theScanFindsTheKeyAndCountsEventsWithoutReadingThem() {
        StringBuilder hostile = new StringBuilder("{\"batch\":[");
        for (int i = 0; i < 400; i++) {
            hostile.append(i == 0 ? "" : ",").append("{\"properties\":{\"products\":[{\"price\":1e100000000}],\"x\":[[[[1e999999999]]]]}}");
        }
        hostile.append("],\"sentAt\":1e100000000,\"writeKey\":\"wk\"}");
        BodyScan scan = assertTimeoutPreemptively(HANG, () -> BodyScan.of(utf8(hostile.toString()), "batch", List.of("writeKey", "write_key")));
        assertThat(scan).isEqualTo(new BodyScan("wk", 400));
        assertThat(BodyScan.of(utf8("{\"event_type\":\"x\",\"write_key\":\" \"}"), null, List.of("write_key", "writeKey")))
                .as("a blank key is no key").isEqualTo(new BodyScan(null, 1));
    }

    @Test
    void theScanRefusesWhatIsNoJsonObject() {
        for (String bad : new String[]{"[1,2]", "{\"a\":1", "{\"a\":1} trailing", "{\"batch\":[1,2", "nul", "\"text\""}) {
            assertThatThrownBy(() -> BodyScan.of(utf8(bad), "batch", List.of("writeKey")))
                    .as(bad).isInstanceOf(BodyRejectedException.class)
                    .satisfies(e -> assertThat(((BodyRejectedException) e).violation().field()).isEqualTo("body"));
        }
    }

    /** Found by HostileInputIT: the parser's own limits (here its nesting depth) come without a location. */
    @Test
    void nestingDeeperThanTheParserTakesIsA400NotAnError() {
        String deep = "{\"event_type\":\"x\",\"metadata\":" + "{\"d\":".repeat(3000) + "1" + "}".repeat(3000) + "}";
        assertThatThrownBy(() -> BodyScan.of(utf8(deep), null, List.of("write_key")))
                .isInstanceOf(BodyRejectedException.class).hasMessageContaining("is not valid JSON").hasMessageContaining("depth");
        assertThatThrownBy(() -> Bodies.parse(utf8(deep), 1 << 20))
                .isInstanceOf(BodyRejectedException.class).hasMessageContaining("is not valid JSON");
    }

    @Test
    void aProductPriceWithAHugeExponentIsRefusedInsteadOfSummed() {
        // the order total of the products used to be summed from 1e100000000: a hundred million digits, for ever
        Candidate c = assertTimeoutPreemptively(HANG, () -> segment("""
                {"event":"Order Completed","anonymousId":"a","properties":{"products":[{"price":9.5},{"price":1e100000000}]}}"""));
        assertThat(c.unreadable()).isNotNull();
        assertThat(c.unreadable().field()).isEqualTo("properties.products[1].price");
        assertThat(c.unreadable().reason()).isEqualTo("has more than 15 integer digits");
        Candidate q = assertTimeoutPreemptively(HANG, () -> segment("""
                {"event":"Order Completed","anonymousId":"a","properties":{"products":[{"price":9.5,"quantity":1e-100000000}]}}"""));
        assertThat(q.unreadable().field()).isEqualTo("properties.products[0].quantity");
    }

    @Test
    void numbersAndTimesAreBoundedBeforeTheyAreConverted() {
        Candidate revenue = assertTimeoutPreemptively(HANG, () -> segment("""
                {"event":"Order Completed","anonymousId":"a","properties":{"revenue":"%s"}}""".formatted("9".repeat(900_000))));
        assertThat(revenue.unreadable().field()).isEqualTo("properties.revenue");
        assertThat(revenue.unreadable().reason()).isEqualTo("must be a number");
        Candidate time = assertTimeoutPreemptively(HANG, () -> segment("""
                {"event":"Video Played","anonymousId":"a","timestamp":1e100000000}"""));
        assertThat(time.unreadable().field()).isEqualTo("timestamp");
        assertThatThrownBy(() -> assertTimeoutPreemptively(HANG, () -> TrackFormat.batch(utf8("""
                {"sent_at":1e100000000,"events":[{"event_type":"page_view","session_id":"s"}]}"""), 1 << 20, 500)))
                .isInstanceOf(BodyRejectedException.class).hasMessageContaining("sent_at");
    }

    @Test
    void freeTextIsStrippedAndIdentifiersWithControlCharactersAreRefused() {
        EventIntakeTest.MemorySink sink = new EventIntakeTest.MemorySink();
        var envelope = TrackFormat.batch(utf8("""
                {"events":[
                  {"event_id":"a","event_type":"page_view","session_id":"s","page_url":"https://shop.example/\\u0000x",
                   "product_name":"So\\u0007cks","metadata":{"note":"line\\none\\ud800"}},
                  {"event_id":"b","event_type":"page_view","session_id":"s\\u0000"}
                ]}"""), 1 << 20, 500);
        IntakeResult r = new EventIntake(new EventValidator(), sink).submit(envelope, "key", Instant.parse("2026-11-22T12:00:00Z")).join();
        assertThat(r.accepted()).extracting(IntakeResult.Accepted::eventId).containsExactly("a");
        TrackedEvent a = sink.accepted.get(0);
        assertThat(a.pageUrl()).isEqualTo("https://shop.example/x");
        assertThat(a.productName()).isEqualTo("Socks");
        assertThat(a.metadata()).containsEntry("note", "lineone");
        assertThat(r.rejected()).singleElement().satisfies(x -> {
            assertThat(x.field()).isEqualTo("session_id");
            assertThat(x.reason()).contains("control characters");
        });
    }
}
