package io.funnelflow.aggregator.stream;

import io.funnelflow.contract.event.RejectedEvent;
import io.funnelflow.contract.event.TrackedEvent;
import io.funnelflow.contract.session.SessionSummary;
import io.funnelflow.contract.topic.Topic;
import io.funnelflow.contract.topic.Topics;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Events written straight to {@code funnelflow.events}, past ingest, that no writer could take: the
 * stream's check step applies the same validator as ingest and sends each to the rejected topic with the
 * field and the reason, and the next event is counted as if they had never come. A revenue of
 * 1e100000000 used to be summed into the session: a hundred million digits, and the stream thread stuck.
 */
class HostileEventsTopologyTest {

    static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

    TopologyTestDriver driver;
    TestInputTopic<String, TrackedEvent> events;
    TestOutputTopic<String, SessionSummary> sessions;
    TestOutputTopic<String, RejectedEvent> rejected;

    @BeforeEach
    void start() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "hostile-events-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, RejectingExceptionHandler.class);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, RejectingExceptionHandler.class);
        driver = new TopologyTestDriver(AggregatorTopology.build(StreamSettings.defaults()), props, T0);
        events = driver.createInputTopic(Topics.EVENTS.name(), Topics.EVENTS.keySerde().serializer(), Topics.EVENTS.valueSerde().serializer());
        sessions = output(Topics.SESSIONS);
        rejected = output(Topics.EVENTS_REJECTED);
    }

    <K, V> TestOutputTopic<K, V> output(Topic<K, V> t) {
        return driver.createOutputTopic(t.name(), t.keySerde().deserializer(), t.valueSerde().deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    static TrackedEvent event(String id, String type, String pageUrl, BigDecimal revenue, Instant timestamp, Map<String, Object> metadata) {
        return new TrackedEvent(id, type, timestamp, null, T0, T0.minusSeconds(60), "s-1", null, null, pageUrl, null, null, null,
                null, null, null, null, null, null, null, revenue, revenue == null ? null : "EUR", metadata);
    }

    @Test
    void whatNoWriterCouldTakeIsRejectedWithTheReasonAndTheStreamGoesOn() {
        List<TrackedEvent> hostile = List.of(
                event("e-huge", "purchase", null, new BigDecimal("1e100000000"), null, null),
                event("e-nul", "page_view", "https://shop.example/\u0000", null, null, null),
                event("e-surrogate", "page_view", null, null, null, Map.of("note", "x\uD800")),
                event("e-year", "page_view", null, null, Instant.parse("2200-01-01T00:00:00Z"), null));
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            hostile.forEach(e -> events.pipeInput(e.sessionKey(), e));
            events.pipeInput("s-1", event("e-ok", "page_view", "https://shop.example/", null, null, null));
            driver.advanceWallClockTime(StreamSettings.defaults().flushInterval());
        });
        assertThat(rejected.readValuesToList()).extracting(RejectedEvent::stage, RejectedEvent::eventId, RejectedEvent::field)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(RejectedEvent.STAGE_AGGREGATOR, "e-huge", "revenue"),
                        org.assertj.core.groups.Tuple.tuple(RejectedEvent.STAGE_AGGREGATOR, "e-nul", "page_url"),
                        org.assertj.core.groups.Tuple.tuple(RejectedEvent.STAGE_AGGREGATOR, "e-surrogate", "metadata.note"),
                        org.assertj.core.groups.Tuple.tuple(RejectedEvent.STAGE_AGGREGATOR, "e-year", "timestamp"));
        assertThat(sessions.readValuesToList()).last().satisfies(s -> {
            assertThat(s.events()).as("only the valid event is counted").isEqualTo(1);
            assertThat(s.revenue()).isEqualByComparingTo("0");
        });
    }
}
