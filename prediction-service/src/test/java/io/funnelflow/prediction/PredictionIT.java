package io.funnelflow.prediction;

import com.fasterxml.jackson.databind.JsonNode;
import io.funnelflow.contract.event.TrackedEvent;
import io.funnelflow.contract.json.Json;
import io.funnelflow.contract.prediction.Prediction;
import io.funnelflow.contract.topic.Topics;
import io.funnelflow.launcher.Ports;
import io.funnelflow.launcher.ServiceProcess;
import io.funnelflow.prediction.features.SessionState;
import io.funnelflow.prediction.model.LabelledSession;
import io.funnelflow.prediction.store.SessionHistory;
import io.funnelflow.testing.RouteAccess;
import io.funnelflow.testing.SharedKafka;
import io.funnelflow.testing.SharedPostgres;
import io.funnelflow.testing.metrics.DashboardAssertions;
import io.funnelflow.testing.metrics.Scrape;
import io.funnelflow.testing.TestAccess;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole prediction path on real parts: simulator history goes through Kafka and the real
 * aggregator (its jar) into PostgreSQL; the service trains on it, records the version, serves it to
 * live simulated shoppers whose predictions a plain consumer reads back, and after a restart serves
 * the very same version.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PredictionIT {

    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final String PROBE = """
            {"time_on_site": 420, "pages_visited": 4, "cart_value": 89.9, "previous_purchases": 1, "device_type": "desktop",
             "product_views": 5, "cart_adds": 2, "checkouts": 1, "utm_source": "google", "utm_medium": "cpc", "hour": 20, "weekday": 3}""";

    static ServiceProcess aggregator;
    static EmbeddedServer prediction;
    static String jdbcUrl;
    static Path dataDir;
    static String trainedVersion;
    static JsonNode probeBeforeRestart;
    static String readToken;

    @BeforeAll
    static void start() throws Exception {
        String bootstrap = SharedKafka.bootstrapServers();
        jdbcUrl = SharedPostgres.newDatabase("prediction_it");
        dataDir = Files.createTempDirectory("prediction-it");
        int port = Ports.free();
        readToken = TestAccess.readToken();
        Map<String, String> env = new HashMap<>(Map.of("FUNNELFLOW_KAFKA_BOOTSTRAP", bootstrap, "FUNNELFLOW_JDBC_URL", jdbcUrl,
                "FUNNELFLOW_JDBC_USER", SharedPostgres.user(), "FUNNELFLOW_JDBC_PASSWORD", SharedPostgres.password(),
                "FUNNELFLOW_AGGREGATOR_PORT", String.valueOf(port), "FUNNELFLOW_DATA_DIR", dataDir.toString()));
        env.putAll(TestAccess.environment());
        aggregator = ServiceProcess.start("funnel-aggregator", jar("funnel-aggregator"), "http://127.0.0.1:" + port, env,
                "384m", Path.of("target", "it-logs", "funnel-aggregator.log"), Duration.ofSeconds(180));
    }

    @AfterAll
    static void stop() {
        if (prediction != null) {
            prediction.getApplicationContext().close();
        }
        if (aggregator != null) {
            aggregator.close();
        }
    }

    static Path jar(String module) {
        return Path.of("..", module, "target", module + ".jar").toAbsolutePath().normalize();
    }

    static EmbeddedServer startPrediction() {
        return startPrediction("1m");
    }

    /** @param readyCheck how often the service looks whether the history can pass the serving gate yet */
    static EmbeddedServer startPrediction(String readyCheck) {
        Map<String, Object> props = new HashMap<>();
        props.put("funnelflow.prediction.ready-check", readyCheck);
        props.put("micronaut.server.port", -1);
        props.put("funnelflow.kafka.bootstrap", SharedKafka.bootstrapServers());
        props.put("datasources.default.url", jdbcUrl);
        props.put("datasources.default.username", SharedPostgres.user());
        props.put("datasources.default.password", SharedPostgres.password());
        props.put("funnelflow.data-dir", dataDir.toString());
        props.put("funnelflow.prediction.min-positives", 150);
        props.put("funnelflow.prediction.min-negatives", 150);
        props.putAll(TestAccess.properties());
        return ApplicationContext.run(EmbeddedServer.class, props);
    }

    static void simulate(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+ExitOnOutOfMemoryError", "-jar", jar("simulator").toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("--target", "kafka", "--bootstrap", SharedKafka.bootstrapServers(), "--quiet"));
        Path log = Path.of("target", "it-logs", "simulator-" + args[0] + ".log");
        Files.createDirectories(log.getParent());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(p.waitFor()).as("simulator exit, see " + log).isZero();
    }

    static String edgeRows() throws Exception {
        StringBuilder b = new StringBuilder("edge rows:");
        try (Connection c = DriverManager.getConnection(jdbcUrl, SharedPostgres.user(), SharedPostgres.password());
             ResultSet rs = c.createStatement().executeQuery("SELECT session_id, session_key, closed, events, ended_at FROM sessions WHERE session_key LIKE '%edge%'")) {
            while (rs.next()) {
                b.append(' ').append(rs.getString(1)).append('/').append(rs.getString(2)).append('/').append(rs.getBoolean(3)).append('/').append(rs.getInt(4)).append('/').append(rs.getTimestamp(5).toInstant());
            }
        }
        try (Connection c = DriverManager.getConnection(jdbcUrl, SharedPostgres.user(), SharedPostgres.password());
             ResultSet rs = c.createStatement().executeQuery("SELECT count(*), count(*) FILTER (WHERE closed) FROM sessions")) {
            rs.next();
            b.append(" all=").append(rs.getLong(1)).append(" closed=").append(rs.getLong(2));
        }
        return b.toString();
    }

    static long closedSessions() throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl, SharedPostgres.user(), SharedPostgres.password());
             ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM sessions WHERE closed")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Sessions whose last event lies in the last microsecond of a millisecond, as a receive time from
     * {@code Instant.now()} often does (the clock has nanoseconds): PostgreSQL stores microseconds and
     * JDBC rounds, so such an event was stored in the next millisecond, outside the session the stream had
     * summarised by the millisecond it truncates to, and the replay lost it (the suite failed by chance).
     */
    static final int EDGE_SESSIONS = 3;

    static void sendSessionsEndingAtAMillisecondsLastMicrosecond() throws Exception {
        Instant start = Instant.now().minus(Duration.ofDays(10)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        try (KafkaProducer<String, TrackedEvent> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), Topics.EVENTS.valueSerde().serializer())) {
            for (int i = 0; i < EDGE_SESSIONS; i++) {
                String key = "edge-" + i;
                Instant first = start.plusSeconds(3600L * i);
                Instant last = first.plusSeconds(50).plusNanos(123_999_700);
                for (TrackedEvent e : List.of(
                        new TrackedEvent(key + "-1", "page_view", first, null, null, null, key, null, "edge-visitor-" + i,
                                "https://shop.example/", null, null, null, null, "web", "desktop", null, null, null, null,
                                null, null, null),
                        new TrackedEvent(key + "-2", "product_view", last, null, null, null, key, null, "edge-visitor-" + i,
                                "https://shop.example/p/1", null, null, null, null, "web", "desktop", "p-1", "Socks", null,
                                null, null, null, null))) {
                    TrackedEvent accepted = e.accepted(e.eventId(), e.timestamp().plusMillis(5), null);
                    producer.send(new ProducerRecord<>(Topics.EVENTS.name(), accepted.sessionKey(), accepted)).get();
                }
            }
        }
    }

    @Test
    @Order(1)
    void trainsOnBackfilledHistoryAndServesAModelThatSeparatesBuyers() throws Exception {
        sendSessionsEndingAtAMillisecondsLastMicrosecond();
        Path truth = Path.of("target", "it", "backfill-truth.json");
        simulate("backfill", "--seed", "21", "--days", "12", "--sessions", "700", "--ground-truth", truth.toString());
        long sessions = Json.mapper().readTree(truth.toFile()).get("ground_truth").get("sessions").asLong() + EDGE_SESSIONS;
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(2))
                .untilAsserted(() -> assertThat(closedSessions()).as(edgeRows()).isEqualTo(sessions));

        // a fresh service over a history that can pass the serving gate trains by itself, without being asked
        // (no train-every, no POST /api/model/train): it looks at every base-rate refresh, here every 2 s
        prediction = startPrediction("2s");
        JsonNode before = get("/api/model");
        assertThat(before.get("model").asText()).isEqualTo("baseline");
        assertThat(before.get("baseline").get("rate").asDouble()).isBetween(0.01, 0.5);

        JsonNode served = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                .until(() -> get("/api/model"), m -> "trained".equals(m.get("model").asText()));
        JsonNode card = served.get("served");
        assertThat(card.get("status").asText()).as(card.path("reason").asText()).isEqualTo("served");
        assertThat(card.get("auc").asDouble()).as("AUC on the newer sessions").isGreaterThanOrEqualTo(0.75);
        assertThat(card.get("train_sessions").asLong() + card.get("test_sessions").asLong()).isEqualTo(sessions);
        assertThat(Instant.parse(card.get("test_from").asText())).isAfter(Instant.parse(card.get("train_from").asText()));
        assertThat(card.get("calibration")).hasSize(10);
        assertThat(card.get("personas")).hasSize(5);
        trainedVersion = card.get("version").asText();

        try (Connection c = DriverManager.getConnection(jdbcUrl, SharedPostgres.user(), SharedPostgres.password());
             PreparedStatement ps = c.prepareStatement("SELECT status, auc, positives, negatives, provenance, propensity_file, files_sha256 FROM models WHERE version = ?")) {
            ps.setString(1, trainedVersion);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("served");
                assertThat(rs.getDouble(2)).isEqualTo(card.get("auc").asDouble());
                assertThat(rs.getInt(3)).isGreaterThanOrEqualTo(150);
                assertThat(rs.getString(5)).contains("RandomForestTrainer");
                assertThat(Path.of(rs.getString(6))).exists();
                assertThat(rs.getString(7)).hasSize(64);
            }
        }
        JsonNode model = get("/api/model");
        assertThat(model.get("model_version").asText()).isEqualTo(trainedVersion);
        assertThat(model.get("recent").get(0).get("version").asText()).isEqualTo(trainedVersion);
        assertThat(get("/health").get("details").get("model").get("details").get("trained_model_served").asBoolean()).isTrue();
    }

    /**
     * Training replays sessions from their events; serving reads the aggregator's summaries. Both must
     * give the same state, or the model would be scored on numbers it never learned from. The sessions of
     * {@link #sendSessionsEndingAtAMillisecondsLastMicrosecond} are among them.
     */
    @Test
    @Order(2)
    void trainingReplaysEverySessionAsTheAggregatorSummarisedIt() throws Exception {
        List<LabelledSession> history = prediction.getApplicationContext().getBean(SessionHistory.class)
                .completedSessions(Instant.EPOCH, Integer.MAX_VALUE, Integer.MAX_VALUE, 42).sessions();
        Map<String, SessionState> replayed = new HashMap<>();
        for (LabelledSession s : history) {
            SessionState.Replay replay = new SessionState.Replay(s.sessionId(), s.sessionKey());
            s.events().forEach(replay::add);
            replayed.put(s.sessionId(), replay.state());
        }
        assertThat(replayed).hasSize((int) closedSessions());
        try (Connection c = DriverManager.getConnection(jdbcUrl, SharedPostgres.user(), SharedPostgres.password());
             ResultSet rs = c.createStatement().executeQuery("""
                     SELECT session_id, started_at, ended_at, events, page_views, product_views, cart_adds, cart_removes,
                            checkouts, purchases, cart_value, device, platform, utm_source, utm_medium, visitor_id, user_id
                     FROM sessions WHERE closed""")) {
            int compared = 0;
            while (rs.next()) {
                SessionState r = replayed.get(rs.getString(1));
                assertThat(r).as(rs.getString(1)).isNotNull();
                assertThat(r.start().toEpochMilli()).isEqualTo(rs.getTimestamp(2).toInstant().toEpochMilli());
                assertThat(r.moment().toEpochMilli()).isEqualTo(rs.getTimestamp(3).toInstant().toEpochMilli());
                assertThat(new int[]{r.events(), r.pageViews(), r.productViews(), r.cartAdds(), r.cartRemoves(), r.checkouts(),
                        r.purchases()}).as(rs.getString(1)).containsExactly(rs.getInt(4), rs.getInt(5), rs.getInt(6),
                        rs.getInt(7), rs.getInt(8), rs.getInt(9), rs.getInt(10));
                assertThat(r.cartValue()).isCloseTo(rs.getDouble(11), org.assertj.core.data.Offset.offset(1e-6));
                assertThat(new String[]{r.device(), r.platform(), r.utmSource(), r.utmMedium()})
                        .containsExactly(rs.getString(12), rs.getString(13), rs.getString(14), rs.getString(15));
                assertThat(new String[]{r.visitorId(), r.userId()}).as("who the visitor is")
                        .containsExactly(rs.getString(16), rs.getString(17));
                compared++;
            }
            assertThat(compared).isEqualTo(history.size());
        }
    }

    @Test
    @Order(3)
    void liveSessionsArePredictedOnTheTopicByTheServedModel() throws Exception {
        Instant liveStart = Instant.now().minusSeconds(5);
        simulate("live", "--seed", "22", "--sessions", "40", "--rate", "300", "--speed", "600");
        Set<String> liveSessions = new HashSet<>();
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            liveSessions.clear();
            try (Connection c = DriverManager.getConnection(jdbcUrl, SharedPostgres.user(), SharedPostgres.password());
                 PreparedStatement ps = c.prepareStatement("SELECT session_id FROM sessions WHERE started_at >= ?")) {
                ps.setTimestamp(1, java.sql.Timestamp.from(liveStart));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        liveSessions.add(rs.getString(1));
                    }
                }
            }
            assertThat(liveSessions).hasSizeGreaterThanOrEqualTo(40);
        });

        Map<String, List<Prediction>> bySession = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = consumer(Topics.PREDICTIONS.name())) {
            await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> {
                readInto(consumer, bySession);
                assertThat(bySession.keySet()).containsAll(liveSessions);
            });
            Set<String> personas = new HashSet<>();
            for (String id : liveSessions) {
                for (Prediction p : bySession.get(id)) {
                    assertThat(p.modelVersion()).isEqualTo(trainedVersion);
                    assertThat(p.purchaseProbability()).isBetween(0.0, 1.0);
                    assertThat(p.confidenceLow()).isLessThanOrEqualTo(p.purchaseProbability());
                    assertThat(p.confidenceHigh()).isGreaterThanOrEqualTo(p.purchaseProbability());
                    assertThat(p.incentive()).isIn("discount", "loyalty_points", "free_shipping", "urgency_message", "none");
                    assertThat(p.incentiveReason()).isNotBlank();
                    assertThat(p.scoredAt()).isAfter(liveStart);
                    personas.add(p.persona());
                }
            }
            assertThat(personas).as("live shoppers fall into named personas").isNotEmpty()
                    .allSatisfy(p -> assertThat(p).isNotEqualTo("unknown"));

            // the incentive report, read from PostgreSQL, counts what was published: each session under its first incentive
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                readInto(consumer, bySession);
                Map<String, Long> expected = new java.util.TreeMap<>();
                for (String id : liveSessions) {
                    bySession.get(id).stream().filter(p -> !p.incentive().equals("none")).findFirst()
                            .ifPresent(p -> expected.merge(p.incentive() + (p.heldOut() ? "/held_out" : "/offered"), 1L, Long::sum));
                }
                Map<String, Long> reported = new java.util.TreeMap<>();
                for (JsonNode i : get("/api/analytics/incentives?from=" + liveStart).get("incentives")) {
                    for (String arm : List.of("offered", "held_out")) {
                        long n = i.get(arm).get("sessions").asLong();
                        if (n > 0) {
                            reported.put(i.get("incentive").asText() + "/" + arm, n);
                        }
                    }
                }
                assertThat(expected).isNotEmpty();
                assertThat(reported).isEqualTo(expected);
            });
        }

        // only meaningful changes are published: fewer predictions than session updates
        Map<String, Integer> updates = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = consumer(Topics.SESSIONS.name())) {
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.value() != null && liveSessions.contains(r.key())) {
                        updates.merge(r.key(), 1, Integer::sum);
                    }
                }
                assertThat(updates.keySet()).containsAll(liveSessions);
            });
        }
        long published = liveSessions.stream().mapToLong(id -> bySession.get(id).size()).sum();
        long updated = liveSessions.stream().mapToLong(updates::get).sum();
        assertThat(published).as("predictions published for %d session updates", updated).isLessThan(updated);

        // predictions are kept in PostgreSQL too, and the persona report reads them
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode shares = get("/api/analytics/personas?from=" + liveStart).get("personas");
            long counted = 0;
            double share = 0;
            for (JsonNode p : shares) {
                counted += p.get("sessions").asLong();
                share += p.get("share").asDouble();
            }
            assertThat(counted).isEqualTo(liveSessions.size());
            assertThat(share).isCloseTo(1.0, org.assertj.core.data.Offset.offset(0.001));
        });
    }

    static KafkaConsumer<String, byte[]> consumer(String topic) {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "prediction-it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    static void readInto(KafkaConsumer<String, byte[]> consumer, Map<String, List<Prediction>> bySession) throws Exception {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
            if (r.value() != null) {
                Prediction p = Json.mapper().readValue(r.value(), Prediction.class);
                assertThat(r.key()).isEqualTo(p.sessionId());
                bySession.computeIfAbsent(p.sessionId(), k -> new ArrayList<>()).add(p);
            }
        }
    }

    @Test
    @Order(4)
    void aBadPredictRequestNamesTheField() throws Exception {
        HttpResponse<String> missing = post("/api/predict", "{\"time_on_site\": 10, \"pages_visited\": 1, \"cart_value\": 0, \"previous_purchases\": 0}");
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(Json.mapper().readTree(missing.body()).get("field").asText()).isEqualTo("device_type");
        HttpResponse<String> negative = post("/api/predict", PROBE.replace("89.9", "-5"));
        assertThat(negative.statusCode()).isEqualTo(400);
        assertThat(Json.mapper().readTree(negative.body()).get("field").asText()).isEqualTo("cart_value");
        HttpResponse<String> unknown = post("/api/predict", PROBE.replace("\"hour\"", "\"hours\""));
        assertThat(Json.mapper().readTree(unknown.body()).get("field").asText()).isEqualTo("hours");
        HttpResponse<String> notJson = post("/api/predict", "[1,2]");
        assertThat(notJson.statusCode()).isEqualTo(400);

        HttpResponse<String> ok = post("/api/predict", PROBE);
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        probeBeforeRestart = Json.mapper().readTree(ok.body());
        assertThat(probeBeforeRestart.get("model").asText()).isEqualTo("trained");
        assertThat(probeBeforeRestart.get("model_version").asText()).isEqualTo(trainedVersion);
    }

    /** Before the restart of order 6: the service that trained and scored the live sessions. */
    @Test
    @Order(4)
    void metricsShowTheServedModelsAucAndWhatWasScoredAndPublished() throws Exception {
        double auc = get("/api/model").get("served").get("auc").asDouble();
        Scrape scrape = Scrape.of(prediction.getURL().toString());
        assertThat(scrape.value("funnelflow_prediction_model_auc", "service", "prediction-service")).isEqualTo(auc);
        double published = scrape.value("funnelflow_prediction_predictions_published_total");
        assertThat(published).isPositive();
        assertThat(scrape.value("funnelflow_prediction_sessions_scored_total")).isGreaterThanOrEqualTo(published);
        assertThat(scrape.value("funnelflow_consumer_lag_records", "group", "funnelflow-prediction", "topic", Topics.SESSIONS.name()))
                .isFinite().isGreaterThanOrEqualTo(0);
        assertThat(scrape.value("kafka_producer_record_send_total")).isGreaterThanOrEqualTo(published);
        assertThat(scrape.value("kafka_consumer_fetch_manager_records_consumed_total")).isPositive();
        // the service trained by itself (no POST /api/model/train is sent): the requests counted are the model reads
        // of this test and of the training test
        assertThat(scrape.value("http_server_requests_seconds_count", "uri", "/api/model")).isPositive();
        DashboardAssertions.assertEverySeriesOfTheDashboardIsExported(scrape, "funnelflow_prediction_");
    }

    /** Seed 002's three documented calls, sent exactly as documented, answered with the documented fields. */
    @Test
    @Order(5)
    void theSeedShopperPredictorsApiIsAnsweredInItsOwnShapes() throws Exception {
        HttpResponse<String> r = post("/api/predict", """
                {
                  "session_id": 1234567890,
                  "time_on_site": 245,
                  "pages_visited": 8,
                  "cart_value": 150.50,
                  "previous_purchases": 3,
                  "device_type": "desktop"
                }""");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode answer = Json.mapper().readTree(r.body());
        assertThat(answer.get("session_id").isNumber()).isTrue();
        assertThat(answer.get("session_id").asLong()).isEqualTo(1234567890L);
        assertThat(Instant.parse(answer.get("timestamp").asText())).isAfter(Instant.now().minusSeconds(60));
        JsonNode p = answer.get("prediction");
        double probability = answer.get("purchase_probability").asDouble();
        assertThat(p.get("will_buy").isBoolean()).isTrue();
        assertThat(p.get("will_buy").asBoolean()).isEqualTo(probability >= 0.5);
        assertThat(p.get("confidence").isInt()).isTrue();
        assertThat(p.get("confidence").asInt()).isBetween(50, 100).isEqualTo((int) Math.round(100 * Math.max(probability, 1 - probability)));
        assertThat(p.get("probability").asDouble()).isCloseTo(probability, org.assertj.core.data.Offset.offset(1e-4));
        assertThat(answer.get("persona").get("type").asText())
                .isIn("VIP Loyalist", "Research Shopper", "Quick Buyer", "Browser", "Casual Visitor");
        assertThat(answer.get("persona").get("color").asText()).isNotBlank();
        JsonNode incentive = answer.get("incentive");
        assertThat(incentive.get("type").asText()).isIn("discount", "loyalty", "free_shipping", "urgency", "none");
        assertThat(incentive.get("message").isTextual()).isTrue();
        assertThat(incentive.get("discount").isInt()).isTrue();
        assertThat(incentive.get("priority").asText()).isIn("high", "medium", "low");
        // three earlier purchases: the rules offer loyalty points (or nothing to a likely buyer, or nothing when held out)
        if (!answer.get("held_out").asBoolean() && probability < 0.7) {
            assertThat(incentive.get("type").asText()).isEqualTo("loyalty");
        }
        assertThat(answer.get("model_version").asText()).as("today's fields are all still there").isEqualTo(trainedVersion);

        // the seed's curl example has no session id: today's answer, with the seed's prediction beside it
        JsonNode curl = Json.mapper().readTree(post("/api/predict", """
                {"time_on_site": 300, "pages_visited": 10, "cart_value": 120, "previous_purchases": 5, "device_type": "desktop"}""").body());
        assertThat(curl.get("persona").isTextual()).isTrue();
        assertThat(curl.get("incentive").isTextual()).isTrue();
        assertThat(curl.get("prediction").get("will_buy").isBoolean()).isTrue();

        JsonNode analytics = get("/api/analytics");
        long sessions;
        long converted;
        double duration;
        double revenue;
        try (Connection c = DriverManager.getConnection(jdbcUrl, SharedPostgres.user(), SharedPostgres.password());
             ResultSet rs = c.createStatement().executeQuery("""
                     SELECT count(*), count(*) FILTER (WHERE purchases > 0), coalesce(avg(duration_seconds), 0), coalesce(sum(revenue), 0)
                     FROM sessions WHERE started_at >= now() - interval '24 hours'""")) {
            rs.next();
            sessions = rs.getLong(1);
            converted = rs.getLong(2);
            duration = rs.getDouble(3);
            revenue = rs.getDouble(4);
        }
        assertThat(sessions).as("the live shoppers of an earlier step").isGreaterThanOrEqualTo(40);
        assertThat(analytics.get("total_sessions").asLong()).isEqualTo(sessions);
        assertThat(analytics.get("conversion_rate").asDouble()).isCloseTo(100.0 * converted / sessions, org.assertj.core.data.Offset.offset(0.05));
        assertThat(analytics.get("avg_session_time").asDouble()).isCloseTo(duration, org.assertj.core.data.Offset.offset(0.05));
        assertThat(analytics.get("total_revenue").asDouble()).isCloseTo(revenue, org.assertj.core.data.Offset.offset(0.005));
        assertThat(analytics.get("top_persona").asText()).isIn("VIP Loyalist", "Research Shopper", "Quick Buyer", "Browser", "Casual Visitor");

        JsonNode health = get("/api/health");
        assertThat(health.get("status").asText()).isEqualTo("healthy");
        assertThat(health.get("model_trained").asBoolean()).isTrue();
        assertThat(Instant.parse(health.get("timestamp").asText())).isAfter(Instant.now().minusSeconds(60));
    }

    @Test
    @Order(6)
    void aRestartServesTheSameVersionAndScoresAlike() throws Exception {
        prediction.getApplicationContext().close();
        prediction = startPrediction();
        assertThat(get("/api/model").get("model_version").asText()).isEqualTo(trainedVersion);
        JsonNode after = Json.mapper().readTree(post("/api/predict", PROBE).body());
        assertThat(after.get("purchase_probability").asDouble()).isEqualTo(probeBeforeRestart.get("purchase_probability").asDouble());
        assertThat(after.get("confidence_low").asDouble()).isEqualTo(probeBeforeRestart.get("confidence_low").asDouble());
        assertThat(after.get("persona").asText()).isEqualTo(probeBeforeRestart.get("persona").asText());
        assertThat(after.get("incentive").asText()).isEqualTo(probeBeforeRestart.get("incentive").asText());
    }

    @Test
    @Order(7)
    void alteredModelFilesAreNotServedAndTheServiceSaysWhy() throws Exception {
        prediction.getApplicationContext().close();
        Path file = dataDir.resolve("models").resolve(trainedVersion).resolve("propensity.tribuo.gz");
        Files.write(file, new byte[]{1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);
        prediction = startPrediction();
        JsonNode model = get("/api/model");
        assertThat(model.get("model").asText()).isEqualTo("baseline");
        assertThat(model.get("reason").asText()).contains("could not load the served model").contains("checksum");
        JsonNode answer = Json.mapper().readTree(post("/api/predict", PROBE).body());
        assertThat(answer.get("model_version").asText()).isEqualTo("baseline");
        assertThat(answer.get("purchase_probability").asDouble()).isEqualTo(model.get("baseline").get("rate").asDouble());
    }

    @Test
    @Order(7)
    void everyRouteButHealthNeedsATokenAndAReadTokenMayPredict() throws Exception {
        assertThat(RouteAccess.violations(prediction.getApplicationContext(), prediction.getURL().toString(), readToken,
                Set.of("/health", "/health/**"))).isEmpty();
        assertThat(RouteAccess.publicRoutes(prediction.getApplicationContext(), Set.of("/health", "/health/**")))
                .containsExactlyInAnyOrder("GET /health", "HEAD /health", "GET /health/{selector}", "HEAD /health/{selector}");
        HttpResponse<String> predicted = HTTP.send(HttpRequest.newBuilder(URI.create(prediction.getURL() + "/api/predict"))
                        .header("Authorization", TestAccess.bearer(readToken)).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(PROBE)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(predicted.statusCode()).as(predicted.body()).isEqualTo(200);
        assertThat(RouteAccess.health(prediction.getURL().toString(), null).body()).matches("\\{\"status\":\"(UP|DOWN)\"}");
        assertThat(RouteAccess.health(prediction.getURL().toString(), readToken).body()).contains("\"details\"");
    }

    @Test
    @Order(8)
    void anErasedPersonsPredictionsAreDeletedAndTombstonedAndTheExportHeldThem() throws Exception {
        String session;
        String userId;
        try (Connection c = DriverManager.getConnection(jdbcUrl, SharedPostgres.user(), SharedPostgres.password());
             ResultSet rs = c.createStatement().executeQuery(
                     "SELECT session_id, user_id FROM predictions ORDER BY user_id IS NULL, scored_at DESC LIMIT 1")) {
            assertThat(rs.next()).isTrue();
            session = rs.getString(1);
            userId = rs.getString(2) != null ? rs.getString(2) : "someone-" + session;
        }
        String body = "{\"session_ids\": [\"" + session + "\"]}";
        HttpResponse<String> export = post("/api/users/" + java.net.URLEncoder.encode(userId, StandardCharsets.UTF_8) + "/export", body);
        assertThat(export.statusCode()).as(export.body()).isEqualTo(200);
        assertThat(Json.mapper().readTree(export.body()).get("predictions")).isNotEmpty()
                .allSatisfy(p -> assertThat(p.get("session_id").asText().equals(session) || userId.equals(p.path("user_id").asText())).isTrue());

        try (KafkaConsumer<String, byte[]> consumer = consumer(Topics.PREDICTIONS.name())) {
            HttpResponse<String> read = HTTP.send(HttpRequest.newBuilder(URI.create(prediction.getURL() + "/api/users/" + userId))
                    .header("Authorization", TestAccess.bearer(readToken)).header("Content-Type", "application/json")
                    .method("DELETE", HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(read.statusCode()).isEqualTo(403);

            HttpResponse<String> erased = HTTP.send(TestAccess.request(prediction.getURL() + "/api/users/"
                            + java.net.URLEncoder.encode(userId, StandardCharsets.UTF_8))
                    .header("Content-Type", "application/json").method("DELETE", HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(erased.statusCode()).as(erased.body()).isEqualTo(200);
            JsonNode answer = Json.mapper().readTree(erased.body());
            assertThat(answer.get("predictions").asInt()).isPositive();
            assertThat(answer.get("tombstones").asInt()).isPositive();
            try (Connection c = DriverManager.getConnection(jdbcUrl, SharedPostgres.user(), SharedPostgres.password());
                 PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM predictions WHERE session_id = ? OR user_id = ?")) {
                ps.setString(1, session);
                ps.setString(2, userId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertThat(rs.getLong(1)).isZero();
                }
            }
            // the compacted topic gets a tombstone for the session: its predictions go at the next compaction
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (session.equals(r.key()) && r.value() == null) {
                        return true;
                    }
                }
                return false;
            });
        }
    }

    static JsonNode get(String path) throws Exception {
        HttpResponse<String> r = HTTP.send(TestAccess.request(prediction.getURL() + path).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + " " + r.body()).isEqualTo(200);
        return Json.mapper().readTree(r.body());
    }

    static HttpResponse<String> post(String path, String body) throws Exception {
        return HTTP.send(TestAccess.request(prediction.getURL() + path)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
