package io.funnelflow.prediction;

import com.fasterxml.jackson.databind.JsonNode;
import io.funnelflow.contract.event.RejectedEvent;
import io.funnelflow.contract.json.Json;
import io.funnelflow.contract.session.SessionSummary;
import io.funnelflow.contract.topic.Topics;
import io.funnelflow.testing.SharedKafka;
import io.funnelflow.testing.SharedPostgres;
import io.funnelflow.testing.TcpProxy;
import io.funnelflow.testing.TestAccess;
import io.funnelflow.testing.TopicReader;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The prediction service's writes and reports against what can go wrong below them, with the real broker
 * and PostgreSQL (reached through a {@link TcpProxy} the test can cut): an update PostgreSQL refuses, and
 * PostgreSQL taken away while updates arrive.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PredictionWritesIT {

    static final HttpClient HTTP = HttpClient.newHttpClient();
    static String jdbcUrl;
    static TcpProxy proxy;
    static EmbeddedServer prediction;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        jdbcUrl = SharedPostgres.newDatabase("prediction_writes_it");
        proxy = TcpProxy.toJdbc(jdbcUrl);
        Map<String, Object> props = new HashMap<>();
        props.putAll(TestAccess.properties());
        props.put("micronaut.server.port", -1);
        props.put("funnelflow.kafka.bootstrap", SharedKafka.bootstrapServers());
        props.put("datasources.default.url", proxy.jdbcUrl(jdbcUrl));
        props.put("datasources.default.username", SharedPostgres.user());
        props.put("datasources.default.password", SharedPostgres.password());
        props.put("funnelflow.data-dir", Files.createTempDirectory("prediction-writes-it").toString());
        props.put("funnelflow.prediction.group-id", "prediction-writes-it");
        props.put("funnelflow.prediction.health.stall-after", "5s");
        props.put("funnelflow.query.statement-timeout", "1s");
        prediction = ApplicationContext.run(EmbeddedServer.class, props);
        base = "http://127.0.0.1:" + prediction.getPort();
        await().atMost(Duration.ofSeconds(90)).until(() -> get("/health").statusCode() == 200);
    }

    @AfterAll
    static void stop() throws Exception {
        if (prediction != null) {
            prediction.getApplicationContext().close();
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    @Order(1)
    void anUpdatePostgresRefusesIsSetAsideWithItsReasonAndTheOthersArePredicted() throws Exception {
        // the refusal is PostgreSQL's own, whatever the validators upstream let through: a constraint of this
        // test's database that one chosen session id violates
        sql("ALTER TABLE predictions ADD CONSTRAINT prediction_writes_it_refused CHECK (session_id NOT LIKE '%refused-by-postgres')");
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<SessionSummary> updates = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            updates.add(summary(run + "-s" + i + (i == 7 ? "-refused-by-postgres" : "")));
        }
        publish(updates);

        RejectedEvent rejected = await().atMost(Duration.ofSeconds(60)).until(() -> rejectedFor(run + "-s7-refused-by-postgres"),
                r -> r != null);
        assertThat(rejected.reason()).startsWith("PostgreSQL refused it (SQLState 23514)").contains("prediction_writes_it_refused");
        assertThat(rejected.origin().topic()).isEqualTo(Topics.SESSIONS.name());
        await().atMost(Duration.ofSeconds(60)).until(() -> count("SELECT count(DISTINCT session_id) FROM predictions WHERE session_id LIKE '"
                + run + "-%'") == 19);
        assertThat(json(get("/health")).at("/details/model/details/refused").asLong()).isEqualTo(1);
        assertThat(get("/health").statusCode()).isEqualTo(200);
    }

    @Test
    @Order(2)
    void withPostgresAwayReportsAre503AndHealthIsDownThenEveryUpdateIsPredicted() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        proxy.cut();
        try {
            List<SessionSummary> updates = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                updates.add(summary(run + "-s" + i));
            }
            publish(updates);
            HttpResponse<String> personas = get("/api/analytics/personas?hours=24");
            assertThat(personas.statusCode()).as(personas.body()).isEqualTo(503);
            assertThat(personas.headers().firstValue("Retry-After")).hasValue("5");
            assertThat(json(personas).get("reason").asText()).isNotBlank();
            assertThat(get("/api/analytics/incentives?hours=24").statusCode()).isEqualTo(503);
            assertThat(get("/api/model").statusCode()).isEqualTo(503);

            // the database's own indicator can turn /health 503 a moment before the model's does: wait for the model's
            HttpResponse<String> down = await().atMost(Duration.ofSeconds(40)).until(() -> get("/health"),
                    r -> r.statusCode() == 503 && "DOWN".equals(modelStatus(r)));
            assertThat(json(down).at("/details/model/status").asText()).isEqualTo("DOWN");
        } finally {
            proxy.restore();
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> count("SELECT count(DISTINCT session_id) FROM predictions WHERE session_id LIKE '"
                + run + "-%'") == 10);
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/health").statusCode() == 200);
        assertThat(get("/api/analytics/personas?hours=24").statusCode()).isEqualTo(200);
    }

    @Test
    @Order(3)
    void reportRangesAreCapped() throws Exception {
        for (String path : List.of("/api/analytics/personas?hours=1000000", "/api/analytics/incentives?from=2000-01-01T00:00:00Z",
                "/api/analytics/personas?from=0001-01-01T00:00:00Z&to=2026-01-01T00:00:00Z")) {
            HttpResponse<String> r = get(path);
            assertThat(r.statusCode()).as(path + " -> " + r.body()).isEqualTo(400);
        }
    }

    // ---- helpers -----------------------------------------------------------------------------------

    static SessionSummary summary(String id) {
        Instant start = Instant.now().minus(2, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS);
        return new SessionSummary(id, id, "v-" + id, start, start.plusSeconds(60), 60, 3, 1, 1, 1, 0, 0, 0,
                new BigDecimal("30.00"), BigDecimal.ZERO, 3, "google", "cpc", "winter", "desktop", "web", "/", null, "a-" + id,
                List.of(), "add_to_cart", false, false);
    }

    static void publish(List<SessionSummary> updates) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 20),
                new org.apache.kafka.common.serialization.StringSerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            List<Future<?>> sent = new ArrayList<>();
            for (SessionSummary s : updates) {
                sent.add(producer.send(new ProducerRecord<>(Topics.SESSIONS.name(), s.sessionId(),
                        Topics.SESSIONS.valueSerde().serializer().serialize(Topics.SESSIONS.name(), s))));
            }
            for (Future<?> f : sent) {
                f.get(10, TimeUnit.SECONDS);
            }
        }
    }

    static RejectedEvent rejectedFor(String sessionId) {
        try (TopicReader<String, RejectedEvent> reader = TopicReader.of(Topics.EVENTS_REJECTED)) {
            return reader.valuesToEnd(r -> r.value() != null && RejectedEvent.STAGE_PREDICTION.equals(r.value().stage())
                    && r.value().payload() != null && sessionId.equals(r.value().payload().path("session_id").asText()))
                    .stream().findFirst().orElse(null);
        }
    }

    static void sql(String statement) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl, SharedPostgres.user(), SharedPostgres.password());
             Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    static long count(String query) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl, SharedPostgres.user(), SharedPostgres.password());
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(TestAccess.request(URI.create(base + path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static String modelStatus(HttpResponse<String> health) {
        try {
            return Json.mapper().readTree(health.body()).at("/details/model/status").asText();
        } catch (java.io.IOException e) {
            return "unreadable";
        }
    }

    static JsonNode json(HttpResponse<String> response) throws Exception {
        return Json.mapper().readTree(response.body());
    }
}
