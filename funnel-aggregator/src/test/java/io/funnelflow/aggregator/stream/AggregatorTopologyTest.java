package io.funnelflow.aggregator.stream;

import io.funnelflow.aggregator.aggregate.Dimension;
import io.funnelflow.aggregator.aggregate.FunnelAggregate;
import io.funnelflow.aggregator.aggregate.Granularity;
import io.funnelflow.aggregator.aggregate.SessionAggregate;
import io.funnelflow.aggregator.funnel.FunnelMode;
import io.funnelflow.contract.event.RejectedEvent;
import io.funnelflow.contract.event.TrackedEvent;
import io.funnelflow.contract.funnel.SavedFunnel;
import io.funnelflow.contract.session.Erasure;
import io.funnelflow.contract.session.LateEvent;
import io.funnelflow.contract.session.SessionSummary;
import io.funnelflow.contract.session.SessionTimeline;
import io.funnelflow.contract.topic.Topic;
import io.funnelflow.contract.topic.Topics;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class AggregatorTopologyTest {

    static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    static final StreamSettings SETTINGS = StreamSettings.defaults();

    TopologyTestDriver driver;
    TestInputTopic<String, TrackedEvent> events;
    TestInputTopic<String, SavedFunnel> funnels;
    TestInputTopic<String, Erasure> erasures;
    TestOutputTopic<String, SessionSummary> sessions;
    TestOutputTopic<String, byte[]> aggregates;
    TestOutputTopic<String, SessionTimeline> timelines;
    TestOutputTopic<String, LateEvent> late;
    TestOutputTopic<String, TrackedEvent> unique;
    TestOutputTopic<String, RejectedEvent> rejected;
    final Figures figures = new Figures();

    @BeforeEach
    void start() {
        start(SETTINGS);
    }

    void start(StreamSettings settings) {
        driver = new TopologyTestDriver(AggregatorTopology.build(settings), props(), T0);
        events = input(Topics.EVENTS);
        funnels = input(Topics.FUNNELS);
        erasures = input(Topics.ERASURES);
        sessions = output(Topics.SESSIONS);
        aggregates = output(Topics.AGGREGATES);
        timelines = output(Topics.SESSION_TIMELINES);
        late = output(Topics.LATE_EVENTS);
        unique = output(Topics.UNIQUE_EVENTS);
        rejected = output(Topics.EVENTS_REJECTED);
    }

    static Properties props() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "aggregator-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, RejectingExceptionHandler.class);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, RejectingExceptionHandler.class);
        return props;
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
        return event(id, session, type, at, "google", "mobile");
    }

    static TrackedEvent event(String id, String session, String type, Instant at, String source, String device) {
        return TrackedEvent.builder().eventId(id).eventType(type).at(at).sessionId(session).anonymousId("anon-" + session)
                .utmSource(source).utmMedium("cpc").utmCampaign("winter").platform("web").device(device)
                .price(type.equals("add_to_cart") ? new BigDecimal("25.00") : null)
                .quantity(type.equals("add_to_cart") ? 2 : null)
                .revenue(type.equals("purchase") ? new BigDecimal("50.00") : null).build();
    }

    void send(TrackedEvent e) {
        events.pipeInput(new TestRecord<>(e.sessionKey(), e, e.receivedAt()));
    }

    void flush() {
        driver.advanceWallClockTime(SETTINGS.flushInterval());
        figures.read(aggregates);
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

    FunnelAggregate defaultFunnel(FunnelMode mode) {
        return figures.funnel(0, mode, Dimension.ALL, Granularity.HOUR, 5).getOrDefault("", new FunnelAggregate(5));
    }

    @Test
    void aSessionIsSummarisedOncePerFlushWithItsFurthestStepAndCountedInTheFunnel() {
        journey("s1", T0).forEach(this::send);
        assertThat(sessions.isEmpty()).as("nothing before the flush").isTrue();
        flush();
        List<KeyValue<String, SessionSummary>> published = sessions.readKeyValuesToList();
        assertThat(published).as("six events, one flush: one summary").hasSize(1);
        SessionSummary s = published.get(0).value;
        assertThat(s.events()).isEqualTo(6);
        assertThat(s.furthestStep()).isEqualTo(5);
        assertThat(s.purchases()).isEqualTo(1);
        assertThat(s.revenue()).isEqualByComparingTo("50.00");
        assertThat(s.durationSeconds()).isEqualTo(180);
        assertThat(s.cartValue()).isEqualByComparingTo("0");
        assertThat(s.lastEventType()).isEqualTo("purchase");
        assertThat(defaultFunnel(FunnelMode.ORDERED).sessions).containsExactly(1, 1, 1, 1, 1);
        assertThat(defaultFunnel(FunnelMode.ORDERED).durations[0].median()).isCloseTo(30_000, org.assertj.core.data.Percentage.withPercentage(1));
        SessionAggregate kpis = figures.sessions(Dimension.ALL, Granularity.DAY).get("");
        assertThat(kpis.sessions).isEqualTo(1);
        assertThat(kpis.converted).isEqualTo(1);
        assertThat(kpis.revenue).isEqualByComparingTo("50.00");
        assertThat(kpis.visitors().getEstimate()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(0.01));
        assertThat(figures.sessions(Dimension.UTM_SOURCE, Granularity.HOUR)).containsOnlyKeys("google");
        assertThat(figures.eventsByType(Granularity.HOUR)).containsEntry("page_view", 1L).containsEntry("custom_wishlist", 1L);
    }

    /**
     * The erasure IT's three sessions with their own times: a customer's two (one signs in midway) and another
     * customer's cart. (Through ingest that IT sends {@code sent_at} equal to {@code timestamp} 40 minutes back, so
     * clock-skew correction moves every event to its receive time; tied times are ordered by event id, and its
     * ids "-8", "-9", "-10" put the other customer's add_to_cart first: [3, 3, 1, 1, 1] there is right.)
     */
    @Test
    void twoCustomersThreeSessionsAreCountedStepByStep() {
        java.util.function.BiFunction<TrackedEvent, String, TrackedEvent> as = (e, user) -> e.toBuilder().userId(user)
                .anonymousId(user == null || user.equals("u-erased") ? "a-erased" : "a-kept").build();
        List.of(as.apply(event("e1", "s-e1", "page_view", T0), "u-erased"),
                as.apply(event("e2", "s-e1", "product_view", T0.plusSeconds(10)), "u-erased"),
                as.apply(event("e3", "s-e1", "add_to_cart", T0.plusSeconds(20)), "u-erased"),
                as.apply(event("e4", "s-e1", "checkout_start", T0.plusSeconds(30)), "u-erased"),
                as.apply(event("e5", "s-e1", "purchase", T0.plusSeconds(40)), "u-erased"),
                as.apply(event("e6", "s-e2", "page_view", T0.plusSeconds(600)), null),
                as.apply(event("e7", "s-e2", "product_view", T0.plusSeconds(610)), "u-erased"),
                as.apply(event("k1", "s-k1", "page_view", T0.plusSeconds(5)), "u-kept"),
                as.apply(event("k2", "s-k1", "product_view", T0.plusSeconds(15)), "u-kept"),
                as.apply(event("k3", "s-k1", "add_to_cart", T0.plusSeconds(25)), "u-kept")).forEach(this::send);
        flush();
        assertThat(defaultFunnel(FunnelMode.ORDERED).sessions).containsExactly(3, 3, 2, 1, 1);
    }

    @Test
    void anEventAfterTheFoldCostsOneMoreSummaryAndMovesTheFigures() {
        List<TrackedEvent> j = journey("s1", T0);
        j.subList(0, 3).forEach(this::send);
        flush();
        assertThat(defaultFunnel(FunnelMode.ORDERED).sessions).containsExactly(1, 1, 0, 0, 0);
        j.subList(3, 6).forEach(this::send);
        flush();
        assertThat(defaultFunnel(FunnelMode.ORDERED).sessions).as("the session's old contribution is subtracted")
                .containsExactly(1, 1, 1, 1, 1);
        assertThat(figures.sessions(Dimension.ALL, Granularity.HOUR).get("").sessions).isEqualTo(1);
    }

    @Test
    void aClosedSessionsOrderedEventsArePublishedOnceItStaysUnchanged() {
        Instant past = T0.minus(Duration.ofHours(5));
        journey("old", past).forEach(this::send);
        flush();
        assertThat(timelines.isEmpty()).isTrue();
        driver.advanceWallClockTime(SETTINGS.timelineDelay().plusSeconds(1));
        SessionTimeline t = timelines.readValue();
        assertThat(t.sessionId()).isEqualTo("old");
        assertThat(t.eventTypes()).containsExactly("page_view", "product_view", "custom_wishlist", "add_to_cart",
                "checkout_start", "purchase");
        assertThat(t.eventTimes()).hasSize(6).isSorted();
    }

    @Test
    void shuffledArrivalGivesTheSameSessionsAndFiguresAsOrderedArrival() {
        List<TrackedEvent> all = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            all.addAll(journey("v" + i, T0.plusSeconds(i * 7L)).subList(0, 1 + i % 6));
        }
        all.forEach(this::send);
        flush();
        Map<String, SessionSummary> ordered = latestSessions();
        Map<String, List<Long>> orderedFigures = Figures.counts(figures.funnel(0, FunnelMode.STRICT, Dimension.ALL,
                Granularity.HOUR, 5), false);
        driver.close();
        start();
        Figures shuffledFigures = new Figures();
        List<TrackedEvent> shuffled = new ArrayList<>(all);
        Collections.shuffle(shuffled, new Random(7));
        // in small bites, so that many events land before what was folded already
        for (int i = 0; i < shuffled.size(); i += 3) {
            shuffled.subList(i, Math.min(i + 3, shuffled.size())).forEach(this::send);
            driver.advanceWallClockTime(SETTINGS.flushInterval());
            shuffledFigures.read(aggregates);
        }
        Map<String, SessionSummary> fromShuffled = latestSessions();
        assertThat(fromShuffled).isEqualTo(ordered);
        assertThat(Figures.counts(shuffledFigures.funnel(0, FunnelMode.STRICT, Dimension.ALL, Granularity.HOUR, 5), false))
                .isEqualTo(orderedFigures);
        assertThat(ordered.values()).extracting(SessionSummary::furthestStep).contains(1, 2, 3, 4, 5);
    }

    @Test
    void thirtyMinutesOfSilenceSplitsASessionAndALateEventCanJoinThemAgain() {
        send(event("a", "k", "page_view", T0));
        send(event("b", "k", "product_view", T0.plus(Duration.ofMinutes(40))));
        flush();
        Map<String, SessionSummary> split = latestSessions();
        assertThat(split.keySet()).containsExactly("k", "k#2");
        assertThat(split.get("k#2").start()).isEqualTo(T0.plus(Duration.ofMinutes(40)));
        assertThat(split.get("k#2").furthestStep()).isZero();
        assertThat(figures.sessions(Dimension.ALL, Granularity.DAY).get("").sessions).isEqualTo(2);

        // an event at minute 20, arriving last, bridges the gap: one session again, k#2 is withdrawn
        send(event("c", "k", "page_view", T0.plus(Duration.ofMinutes(20))));
        flush();
        List<KeyValue<String, SessionSummary>> changes = sessions.readKeyValuesToList();
        assertThat(changes).anySatisfy(kv -> {
            assertThat(kv.key).isEqualTo("k#2");
            assertThat(kv.value).isNull();
        });
        SessionSummary merged = changes.stream().filter(kv -> kv.key.equals("k") && kv.value != null)
                .reduce((a, b) -> b).orElseThrow().value;
        assertThat(merged.events()).isEqualTo(3);
        assertThat(merged.furthestStep()).isEqualTo(2);
        assertThat(figures.sessions(Dimension.ALL, Granularity.DAY).get("").sessions).as("the vanished session is subtracted").isEqualTo(1);
        assertThat(defaultFunnel(FunnelMode.ORDERED).sessions).containsExactly(1, 1, 0, 0, 0);
    }

    @Test
    void aRetriedEventIsCountedOnce() {
        TrackedEvent e = event("dup", "s", "page_view", T0);
        send(e);
        send(e.toBuilder().receivedAt(e.receivedAt().plusSeconds(3)).eventTime(e.eventTime().plusMillis(3)).build());
        flush();
        assertThat(unique.readValuesToList()).hasSize(1);
        assertThat(latestSessions().get("s").events()).isEqualTo(1);
        assertThat(figures.eventsByType(Granularity.HOUR)).containsExactly(Map.entry("page_view", 1L));
    }

    @Test
    void aLateEventIsCountedInItsOwnHourAndReportedWithTheReason() {
        TrackedEvent onTime = event("m1", "a", "page_view", T0);
        TrackedEvent lateOne = event("m2", "b", "purchase", T0.minus(Duration.ofHours(26))).toBuilder()
                .receivedAt(T0).build();
        send(onTime);
        send(lateOne);
        flush();
        LateEvent reported = late.readValue();
        assertThat(reported.eventId()).isEqualTo("m2");
        assertThat(reported.delaySeconds()).isEqualTo(26 * 3600);
        assertThat(reported.reason()).contains("counted");
        assertThat(figures.eventsByType(Granularity.DAY)).containsEntry("purchase", 1L).containsEntry("page_view", 1L);
        assertThat(figures.lateEvents()).isEqualTo(1);
        assertThat(latestSessions()).containsKeys("a", "b");
    }

    @Test
    void aKeyOverTheCapKeepsItsFirstEventsSaysItIsTruncatedAndEveryEventIsStillCounted() {
        driver.close();
        start(SETTINGS.withMaxEventsPerKey(5));
        for (int i = 0; i < 8; i++) {
            send(event("e" + i, "busy", "page_view", T0.plusSeconds(i)));
        }
        flush();
        SessionSummary s = latestSessions().get("busy");
        assertThat(s.events()).isEqualTo(5);
        assertThat(s.truncated()).isTrue();
        assertThat(unique.readValuesToList()).hasSize(8);
        assertThat(figures.eventsByType(Granularity.HOUR)).containsEntry("page_view", 8L);
    }

    @Test
    void anErasureTakesTheKeysSessionsOutOfEveryFigureAndPublishesTombstones() {
        journey("keep", T0).forEach(this::send);
        journey("gone", T0.plusSeconds(5)).forEach(this::send);
        flush();
        assertThat(defaultFunnel(FunnelMode.ORDERED).sessions).containsExactly(2, 2, 2, 2, 2);
        latestSessions();
        erasures.pipeInput("gone", new Erasure("gone", "u-gone", T0));
        flush();
        assertThat(sessions.readKeyValuesToList()).containsExactly(new KeyValue<>("gone", null));
        assertThat(defaultFunnel(FunnelMode.ORDERED).sessions).containsExactly(1, 1, 1, 1, 1);
        assertThat(figures.sessions(Dimension.ALL, Granularity.HOUR).get("").sessions).isEqualTo(1);
        // a later event for the erased key starts from nothing
        send(event("again", "gone", "page_view", T0.plusSeconds(600)));
        flush();
        assertThat(latestSessions().get("gone").events()).isEqualTo(1);
    }

    @Test
    void aFunnelSavedLaterIsCountedOverEverySessionHeldAndEachPartitionSaysWhenItIsDone() {
        for (int i = 0; i < 12; i++) {
            journey("h" + i, T0.plusSeconds(i)).subList(0, 2 + i % 5).forEach(this::send);
        }
        flush();
        SavedFunnel cartToBuy = new SavedFunnel(7, "cart-to-buy", List.of("add_to_cart", "purchase"), 3, T0);
        funnels.pipeInput("cart-to-buy", cartToBuy);
        flush();
        flush();
        assertThat(figures.progress(3)).containsEntry(0, true);
        Map<String, FunnelAggregate> f = figures.funnel(7, FunnelMode.ORDERED, Dimension.ALL, Granularity.HOUR, 2);
        // sessions with an add: i % 5 >= 2 (4 events or more); with a purchase: i % 5 == 4
        long carts = java.util.stream.IntStream.range(0, 12).filter(i -> 2 + i % 5 >= 4).count();
        long bought = java.util.stream.IntStream.range(0, 12).filter(i -> 2 + i % 5 >= 6).count();
        assertThat(f.get("").sessions).containsExactly(carts, bought);
        // the default funnel's figures did not move
        assertThat(defaultFunnel(FunnelMode.ORDERED).sessions[0]).isEqualTo(12);
    }

    @Test
    void aPoisonRecordIsRejectedWithItsReasonAndTheStreamGoesOn() {
        TestInputTopic<String, byte[]> raw = driver.createInputTopic(Topics.EVENTS.name(), new StringSerializer(),
                new ByteArraySerializer());
        raw.pipeInput("x", "{\"event_id\":\"p1\",\"price\":\"cheap\"}".getBytes(StandardCharsets.UTF_8), T0);
        raw.pipeInput("y", "not json at all".getBytes(StandardCharsets.UTF_8), T0);
        send(event(null, "s", "page_view", T0));
        send(event("ok", "s", "page_view", T0));
        flush();

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
