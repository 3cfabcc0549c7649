package io.funnelflow.aggregator.stream;

import io.funnelflow.contract.event.RejectedEvent;
import io.funnelflow.contract.event.TrackedEvent;
import io.funnelflow.contract.session.MinuteCount;
import io.funnelflow.contract.session.SessionSummary;
import io.funnelflow.contract.topic.Topic;
import io.funnelflow.contract.topic.Topics;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class AggregatorTopologyTest {

    static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

    TopologyTestDriver driver;
    TestInputTopic<String, TrackedEvent> events;
    TestOutputTopic<String, SessionSummary> sessions;
    TestOutputTopic<String, MinuteCount> counts;
    TestOutputTopic<String, TrackedEvent> late;
    TestOutputTopic<String, TrackedEvent> unique;
    TestOutputTopic<String, RejectedEvent> rejected;

    @BeforeEach
    void start() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "aggregator-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, RejectingExceptionHandler.class);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, RejectingExceptionHandler.class);
        StreamSettings settings = new StreamSettings(Duration.ofMinutes(30), Duration.ofHours(24), Duration.ofMinutes(10),
                Duration.ofDays(7));
        driver = new TopologyTestDriver(AggregatorTopology.build(settings), props, T0);
        events = input(Topics.EVENTS);
        sessions = output(Topics.SESSIONS);
        counts = output(Topics.MINUTE_COUNTS);
        late = output(Topics.LATE_EVENTS);
        unique = output(Topics.UNIQUE_EVENTS);
        rejected = output(Topics.EVENTS_REJECTED);
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    <K, V> TestInputTopic<K, V> input(Topic<K, V> t) {
        return driver.createInputTopic(t.name(), t.keySerde().serializer(), t.valueSerde().serializer());
    }

    <K, V> TestOutputTopic<K, V> output(Topic<K, V> t) {
        return driver.createOutputTopic(t.name(), t.keySerde().deserializer(), t.valueSerde().deserializer());
    }

    static TrackedEvent event(String id, String session, String type, Instant at) {
        BigDecimal revenue = type.equals("purchase") ? new BigDecimal("50.00") : null;
        BigDecimal price = type.equals("add_to_cart") ? new BigDecimal("25.00") : null;
        return new TrackedEvent(id, type, at, null, at, at, session, null, "anon-" + session, null, null, "google", "cpc",
                "winter", "web", "mobile", null, null, price, type.equals("add_to_cart") ? 2 : null, revenue, null, null);
    }

    void send(TrackedEvent e) {
        events.pipeInput(new TestRecord<>(e.sessionKey(), e, e.receivedAt()));
    }

    /** The latest summary per session id, with tombstones removing ids. */
    Map<String, SessionSummary> latestSessions() {
        Map<String, SessionSummary> out = new LinkedHashMap<>();
        for (var kv : sessions.readKeyValuesToList()) {
            if (kv.value == null) {
                out.remove(kv.key);
            } else {
                out.put(kv.key, kv.value);
            }
        }
        return out;
    }

    static List<TrackedEvent> journey(String session, Instant start) {
        return List.of(
                event(session + "-1", session, "page_view", start),
                event(session + "-2", session, "product_view", start.plusSeconds(30)),
                event(session + "-3", session, "custom_wishlist", start.plusSeconds(40)),
                event(session + "-4", session, "add_to_cart", start.plusSeconds(60)),
                event(session + "-5", session, "checkout_start", start.plusSeconds(120)),
                event(session + "-6", session, "purchase", start.plusSeconds(180)));
    }

    @Test
    void aSessionIsSummarisedWithItsFurthestStepInOrder() {
        journey("s1", T0).forEach(this::send);
        SessionSummary s = latestSessions().get("s1");
        assertThat(s.events()).isEqualTo(6);
        assertThat(s.furthestStep()).isEqualTo(5);
        assertThat(s.purchases()).isEqualTo(1);
        assertThat(s.revenue()).isEqualByComparingTo("50.00");
        assertThat(s.durationSeconds()).isEqualTo(180);
        assertThat(s.cartAdds()).isEqualTo(1);
        assertThat(s.cartValue()).isEqualByComparingTo("0");
        assertThat(s.utmSource()).isEqualTo("google");
        assertThat(s.eventTypes()).containsExactly("page_view", "product_view", "custom_wishlist", "add_to_cart",
                "checkout_start", "purchase");
    }

    @Test
    void shuffledArrivalGivesTheSameSessionsAsOrderedArrival() {
        List<TrackedEvent> all = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            all.addAll(journey("v" + i, T0.plusSeconds(i * 7L)).subList(0, 1 + i % 6));
        }
        all.forEach(this::send);
        Map<String, SessionSummary> ordered = latestSessions();
        driver.close();
        start();
        List<TrackedEvent> shuffled = new ArrayList<>(all);
        Collections.shuffle(shuffled, new Random(7));
        shuffled.forEach(this::send);
        Map<String, SessionSummary> fromShuffled = latestSessions();
        assertThat(fromShuffled.keySet()).containsExactlyInAnyOrderElementsOf(ordered.keySet());
        ordered.forEach((id, s) -> assertThat(withoutClosed(fromShuffled.get(id))).isEqualTo(withoutClosed(s)));
        assertThat(ordered.values()).extracting(SessionSummary::furthestStep).contains(1, 2, 3, 4, 5);
    }

    static SessionSummary withoutClosed(SessionSummary s) {
        return new SessionSummary(s.sessionId(), s.sessionKey(), s.visitorId(), s.start(), s.end(), s.durationSeconds(),
                s.events(), s.pageViews(), s.productViews(), s.cartAdds(), s.cartRemoves(), s.checkouts(), s.purchases(),
                s.cartValue(), s.revenue(), s.furthestStep(), s.utmSource(), s.utmMedium(), s.utmCampaign(), s.device(),
                s.platform(), s.landingPage(), s.userId(), s.anonymousId(), s.userIds(), s.eventTypes(), s.eventTimes(), false);
    }

    @Test
    void thirtyMinutesOfSilenceSplitsASessionAndALateEventCanJoinThemAgain() {
        send(event("a", "k", "page_view", T0));
        send(event("b", "k", "product_view", T0.plus(Duration.ofMinutes(40))));
        Map<String, SessionSummary> split = latestSessions();
        assertThat(split.keySet()).containsExactly("k", "k#2");
        assertThat(split.get("k#2").start()).isEqualTo(T0.plus(Duration.ofMinutes(40)));
        assertThat(split.get("k#2").furthestStep()).isZero();

        // an event at minute 20, arriving last, bridges the gap: one session again, k#2 is withdrawn
        send(event("c", "k", "page_view", T0.plus(Duration.ofMinutes(20))));
        List<org.apache.kafka.streams.KeyValue<String, SessionSummary>> changes = sessions.readKeyValuesToList();
        assertThat(changes).anySatisfy(kv -> {
            assertThat(kv.key).isEqualTo("k#2");
            assertThat(kv.value).isNull();
        });
        SessionSummary merged = changes.stream().filter(kv -> kv.key.equals("k") && kv.value != null)
                .reduce((a, b) -> b).orElseThrow().value;
        assertThat(merged.events()).isEqualTo(3);
        assertThat(merged.furthestStep()).isEqualTo(2);
    }

    @Test
    void aRetriedEventIsCountedOnce() {
        TrackedEvent e = event("dup", "s", "page_view", T0);
        send(e);
        send(new TrackedEvent(e.eventId(), e.eventType(), e.timestamp(), null, e.receivedAt().plusSeconds(3),
                e.eventTime().plusMillis(3), e.sessionId(), null, e.anonymousId(), null, null, e.utmSource(), e.utmMedium(),
                e.utmCampaign(), e.platform(), e.device(), null, null, null, null, null, null, null));
        assertThat(unique.readValuesToList()).hasSize(1);
        assertThat(latestSessions().get("s").events()).isEqualTo(1);
        assertThat(counts.readValuesToList()).extracting(MinuteCount::events).containsExactly(1L);
    }

    @Test
    void windowsCountPerMinuteAndLateEventsGoAroundThem() {
        send(event("m1", "a", "page_view", T0.plusSeconds(5)));
        send(event("m2", "b", "page_view", T0.plusSeconds(50)));
        send(event("m3", "c", "purchase", T0.plusSeconds(65)));
        // stream time moves 20 minutes on: the 10:00 window (grace 10 min) is closed
        send(event("m4", "d", "page_view", T0.plus(Duration.ofMinutes(20))));
        send(event("m5", "e", "page_view", T0.plusSeconds(30)));

        Map<String, MinuteCount> latest = new HashMap<>();
        counts.readValuesToList().forEach(c -> latest.put(c.bucketKey(), c));
        assertThat(latest.values()).filteredOn(c -> c.minute().equals(T0) && c.eventType().equals("page_view"))
                .singleElement().satisfies(c -> assertThat(c.events()).isEqualTo(2));
        assertThat(latest.values()).filteredOn(c -> c.eventType().equals("purchase"))
                .singleElement().satisfies(c -> {
                    assertThat(c.minute()).isEqualTo(T0.plusSeconds(60));
                    assertThat(c.revenue()).isEqualByComparingTo("50.00");
                });
        assertThat(late.readKeyValuesToList()).singleElement().satisfies(kv -> {
            assertThat(kv.key).isEqualTo("m5");
            assertThat(kv.value.eventTime()).isEqualTo(T0.plusSeconds(30));
        });
        // the late event still belongs to its session and to the raw events
        assertThat(latestSessions()).containsKey("e");
        assertThat(unique.readValuesToList()).extracting(TrackedEvent::eventId).contains("m5");
    }

    @Test
    void aPoisonRecordIsRejectedWithItsReasonAndTheStreamGoesOn() {
        TestInputTopic<String, byte[]> raw = driver.createInputTopic(Topics.EVENTS.name(), new StringSerializer(),
                new ByteArraySerializer());
        raw.pipeInput("x", "{\"event_id\":\"p1\",\"price\":\"cheap\"}".getBytes(StandardCharsets.UTF_8), T0);
        raw.pipeInput("y", "not json at all".getBytes(StandardCharsets.UTF_8), T0);
        send(new TrackedEvent(null, "page_view", T0, null, T0, T0, "s", null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null));
        send(event("ok", "s", "page_view", T0));

        List<RejectedEvent> refused = rejected.readValuesToList();
        assertThat(refused).hasSize(3);
        assertThat(refused.get(0).stage()).isEqualTo("aggregator");
        assertThat(refused.get(0).reason()).contains("price");
        assertThat(refused.get(0).payload().get("event_id").asText()).isEqualTo("p1");
        assertThat(refused.get(1).rawText()).isEqualTo("not json at all");
        assertThat(refused.get(2).field()).isEqualTo("event_id");
        assertThat(latestSessions().get("s").events()).isEqualTo(1);
    }
}
