package io.funnelflow.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.funnelflow.contract.json.Json;
import io.funnelflow.launcher.Ports;
import io.funnelflow.launcher.ServiceProcess;
import io.funnelflow.testing.SharedKafka;
import io.funnelflow.testing.SharedPostgres;
import io.funnelflow.testing.TestAccess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code DELETE /api/users/{id}} through the whole running stack (ingest, aggregator, prediction service and
 * CRM as their jars, against one broker and one PostgreSQL): a customer's raw events, sessions, timelines,
 * predictions and lead are gone afterwards, the export before held them, the funnel and the KPIs (kept by the stream)
 * changed exactly by their sessions, and a later event of theirs is suppressed at ingest.
 */
class ErasureIT {

    static final String KEY = "e2e-erasure-key";
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final List<String> MODULES = List.of("ingest-service", "funnel-aggregator", "prediction-service", "crm-service");
    static final Map<String, ServiceProcess> services = new ConcurrentHashMap<>();
    static String jdbcUrl;

    @BeforeAll
    static void start() throws Exception {
        // the figures this IT compares are everything its services hold: no other IT's sessions may reach them, neither
        // through the platform's topics nor through a stream's state restored from another run's changelogs
        SharedKafka.freshTopics();
        jdbcUrl = SharedPostgres.newDatabase("e2e_erasure");
        Path data = Files.createTempDirectory("e2e-erasure");
        Map<String, Integer> ports = new HashMap<>();
        for (String module : MODULES) {
            ports.put(module, Ports.free());
        }
        Map<String, String> env = new HashMap<>();
        env.put("FUNNELFLOW_KAFKA_BOOTSTRAP", SharedKafka.bootstrapServers());
        env.put("FUNNELFLOW_JDBC_URL", jdbcUrl);
        env.put("FUNNELFLOW_JDBC_USER", SharedPostgres.user());
        env.put("FUNNELFLOW_JDBC_PASSWORD", SharedPostgres.password());
        env.put("FUNNELFLOW_WRITE_KEYS", KEY);
        env.put("FUNNELFLOW_AGGREGATOR_APPLICATION_ID", "erasure-it-aggregator");
        env.put("FUNNELFLOW_CRM_APPLICATION_ID", "erasure-it-crm");
        env.put("FUNNELFLOW_DATA_DIR", data.toString());
        env.put("FUNNELFLOW_INGEST_PORT", String.valueOf(ports.get("ingest-service")));
        env.put("FUNNELFLOW_AGGREGATOR_PORT", String.valueOf(ports.get("funnel-aggregator")));
        env.put("FUNNELFLOW_PREDICTION_PORT", String.valueOf(ports.get("prediction-service")));
        env.put("FUNNELFLOW_PREDICTION_URL", url(ports, "prediction-service"));
        env.put("FUNNELFLOW_CRM_PORT", String.valueOf(ports.get("crm-service")));
        env.put("FUNNELFLOW_CRM_URL", url(ports, "crm-service"));
        env.put("FUNNELFLOW_INSIGHTS_URL", "http://127.0.0.1:" + Ports.free());
        env.putAll(TestAccess.environment());
        ExecutorService pool = Executors.newFixedThreadPool(MODULES.size());
        try {
            Map<String, Future<ServiceProcess>> starting = new HashMap<>();
            for (String module : MODULES) {
                starting.put(module, pool.submit(() -> ServiceProcess.start(module, jar(module), url(ports, module), env, "256m",
                        Path.of("target", "it-logs", "erasure-" + module + ".log"), Duration.ofSeconds(180))));
            }
            for (Map.Entry<String, Future<ServiceProcess>> e : starting.entrySet()) {
                services.put(e.getKey(), e.getValue().get());
            }
        } finally {
            pool.shutdown();
        }
    }

    @AfterAll
    static void stop() {
        services.values().parallelStream().forEach(ServiceProcess::close);
    }

    static String url(Map<String, Integer> ports, String module) {
        return "http://127.0.0.1:" + ports.get(module);
    }

    static Path jar(String module) {
        return Path.of("..", module, "target", module + ".jar").toAbsolutePath().normalize();
    }

    static final AtomicInteger ids = new AtomicInteger();

    static String event(String session, String type, String userId, String anonymousId, Instant at, String extra) {
        return """
                {"event_id":"%s-%d","event_type":"%s","session_id":"%s",%s"anonymous_id":"%s","timestamp":"%s","sent_at":"%s"%s}"""
                .formatted(session, ids.incrementAndGet(), type, session, userId == null ? "" : "\"user_id\":\"" + userId + "\",",
                        anonymousId, at, at, extra);
    }

    static HttpResponse<String> batch(List<String> events) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(services.get("ingest-service").url() + "/api/batch"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((KEY + ":").getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"events\":[" + String.join(",", events) + "]}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> aggregator(String method, String path) throws Exception {
        return HTTP.send(TestAccess.request(services.get("funnel-aggregator").url() + path)
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> crm(String path) throws Exception {
        return HTTP.send(TestAccess.request(services.get("crm-service").url() + path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.mapper().readTree(r.body());
    }

    static long count(String sql, Object... params) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl, SharedPostgres.user(), SharedPostgres.password());
             PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                if (params[i] instanceof String[] array) {
                    ps.setArray(i + 1, c.createArrayOf("text", array));
                } else {
                    ps.setObject(i + 1, params[i]);
                }
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The counts of the default funnel's steps. */
    static List<Long> funnel() throws Exception {
        List<Long> out = new ArrayList<>();
        json(aggregator("GET", "/api/funnel?hours=6")).get("steps").forEach(s -> out.add(s.get("count").asLong()));
        return out;
    }

    @Test
    void aCustomerIsGoneEverywhereAfterTheirErasureAndTheFiguresLoseExactlyTheirSessions() throws Exception {
        Instant t = Instant.now().minus(40, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
        String erased = "u-erased-" + System.nanoTime();
        String kept = "u-kept-" + System.nanoTime();
        String[] erasedSessions = {"s-e1-" + System.nanoTime(), "s-e2-" + System.nanoTime()};
        String keptSession = "s-k1-" + System.nanoTime();
        String purchase = ",\"revenue\":30.00,\"currency\":\"EUR\"";
        List<String> events = List.of(
                // the customer's first session: the whole funnel and a purchase
                event(erasedSessions[0], "page_view", erased, "a-erased", t, ""),
                event(erasedSessions[0], "product_view", erased, "a-erased", t.plusSeconds(10), ",\"product_id\":\"p-1\""),
                event(erasedSessions[0], "add_to_cart", erased, "a-erased", t.plusSeconds(20), ",\"product_id\":\"p-1\",\"price\":30,\"quantity\":1"),
                event(erasedSessions[0], "checkout_start", erased, "a-erased", t.plusSeconds(30), ""),
                event(erasedSessions[0], "purchase", erased, "a-erased", t.plusSeconds(40), purchase),
                // their second session: anonymous at first, signed in later (the session's user_ids name them)
                event(erasedSessions[1], "page_view", null, "a-erased", t.plusSeconds(600), ""),
                event(erasedSessions[1], "product_view", erased, "a-erased", t.plusSeconds(610), ",\"product_id\":\"p-2\""),
                // someone else, who stays
                event(keptSession, "page_view", kept, "a-kept", t.plusSeconds(5), ""),
                event(keptSession, "product_view", kept, "a-kept", t.plusSeconds(15), ",\"product_id\":\"p-1\""),
                event(keptSession, "add_to_cart", kept, "a-kept", t.plusSeconds(25), ",\"product_id\":\"p-1\",\"price\":30,\"quantity\":1"));
        assertThat(batch(events).statusCode()).isEqualTo(200);

        String[] all = {erasedSessions[0], erasedSessions[1], keptSession};
        await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> {
            assertThat(count("SELECT count(*) FROM events WHERE session_key = ANY(?)", (Object) all)).isEqualTo(10);
            assertThat(count("SELECT count(*) FROM sessions WHERE session_key = ANY(?)", (Object) all)).isEqualTo(3);
            assertThat(count("SELECT count(DISTINCT session_id) FROM predictions WHERE session_id = ANY(?)", (Object) erasedSessions))
                    .isEqualTo(2);
            // every session has landed and the purchase is counted
            assertThat(funnel().get(0)).isEqualTo(3L);
            assertThat(funnel().get(4)).isEqualTo(1L);
            // the CRM made a lead of each signed-in customer
            assertThat(crm("/api/leads/" + erased).statusCode()).isEqualTo(200);
            assertThat(crm("/api/leads/" + kept).statusCode()).isEqualTo(200);
        });
        List<Long> funnelBefore = funnel();
        // what the erased sessions contributed, step by step: the first went all the way, the second to product_view
        List<Long> theirs = List.of(2L, 2L, 1L, 1L, 1L);
        JsonNode kpisBefore = json(aggregator("GET", "/api/analytics?hours=6"));
        assertThat(kpisBefore.get("sessions").asLong()).isEqualTo(3);
        assertThat(kpisBefore.get("purchases").asLong()).isEqualTo(1);

        // the export holds everything about them, and nothing about anyone else
        JsonNode export = json(aggregator("GET", "/api/users/" + erased + "/export"));
        assertThat(export.get("session_ids")).extracting(JsonNode::asText).containsExactlyInAnyOrder(erasedSessions);
        assertThat(export.at("/data/aggregator/events")).hasSize(7);
        assertThat(export.at("/data/aggregator/sessions")).hasSize(2);
        assertThat(export.at("/data/prediction/predictions")).isNotEmpty()
                .allSatisfy(p -> assertThat(p.get("session_id").asText()).isIn((Object[]) erasedSessions));
        assertThat(export.at("/data/crm/lead/lead_id").asText()).isEqualTo(erased);
        assertThat(export.at("/data/crm/transitions")).isNotEmpty();
        assertThat(export.toString()).doesNotContain(kept, keptSession);

        JsonNode answer = json(aggregator("DELETE", "/api/users/" + erased));
        assertThat(answer.get("sessions").asInt()).isEqualTo(2);
        assertThat(answer.get("complete").asBoolean()).isTrue();
        assertThat(answer.at("/erased/suppression_list/anonymous_ids").asInt()).isEqualTo(1);
        assertThat(answer.at("/erased/aggregator/events").asInt()).isEqualTo(7);
        assertThat(answer.at("/erased/stream/session_keys").asInt()).isEqualTo(2);
        assertThat(answer.at("/erased/prediction/predictions").asInt()).isPositive();
        assertThat(answer.at("/erased/crm/leads").asInt()).isEqualTo(1);

        await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
            assertThat(count("SELECT count(*) FROM events WHERE user_id = ? OR session_key = ANY(?)", erased, erasedSessions)).isZero();
            assertThat(count("SELECT count(*) FROM sessions WHERE user_id = ? OR ? = ANY(user_ids) OR session_key = ANY(?)",
                    erased, erased, erasedSessions)).isZero();
            assertThat(count("SELECT count(*) FROM predictions WHERE user_id = ? OR session_id = ANY(?)", erased, erasedSessions)).isZero();
            assertThat(count("SELECT count(*) FROM session_timelines WHERE session_id = ANY(?)", (Object) erasedSessions)).isZero();
            assertThat(count("SELECT count(*) FROM late_events WHERE session_key = ANY(?)", (Object) erasedSessions)).isZero();
            assertThat(count("SELECT count(*) FROM leads WHERE lead_id = ?", erased)).isZero();
            assertThat(count("SELECT count(*) FROM lead_transitions WHERE lead_id = ?", erased)).isZero();
            assertThat(crm("/api/leads/" + erased).statusCode()).isEqualTo(404);
            assertThat(crm("/api/leads/" + kept).statusCode()).isEqualTo(200);
            // the other customer's session is untouched; the figures lost exactly the erased sessions
            assertThat(count("SELECT count(*) FROM events WHERE session_key = ?", keptSession)).isEqualTo(3);
            List<Long> expected = new ArrayList<>();
            for (int i = 0; i < funnelBefore.size(); i++) {
                expected.add(funnelBefore.get(i) - theirs.get(i));
            }
            assertThat(funnel()).isEqualTo(expected);
            JsonNode kpis = json(aggregator("GET", "/api/analytics?hours=6"));
            assertThat(kpis.get("sessions").asLong()).isEqualTo(kpisBefore.get("sessions").asLong() - 2);
            assertThat(kpis.get("purchases").asLong()).isEqualTo(kpisBefore.get("purchases").asLong() - 1);
            assertThat(kpis.get("revenue").decimalValue())
                    .isEqualByComparingTo(kpisBefore.get("revenue").decimalValue().subtract(new java.math.BigDecimal("30.00")));
        });
        // the export has nothing left
        JsonNode after = json(aggregator("GET", "/api/users/" + erased + "/export"));
        assertThat(after.get("session_ids")).isEmpty();
        assertThat(after.at("/data/aggregator/events")).isEmpty();
        assertThat(after.at("/data/crm/lead/lead_id").isMissingNode()).as(after.toString()).isTrue();   // no lead left

        // a later event of theirs, by user id or by anonymous id, is taken and published nowhere
        String later = "s-e3-" + System.nanoTime();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode suppressed = json(batch(List.of(event(later, "page_view", erased, "a-other", Instant.now(), ""),
                    event(later, "page_view", null, "a-erased", Instant.now(), ""))));
            assertThat(suppressed.get("suppressed").asInt()).isEqualTo(2);
            assertThat(suppressed.get("accepted").asInt()).isZero();
        });
        assertThat(batch(List.of(event(keptSession, "checkout_start", kept, "a-kept", t.plusSeconds(35), ""))).statusCode())
                .isEqualTo(200);
        // once the other customer's later event is stored, the erased one's would have been too
        await().atMost(Duration.ofMinutes(1)).until(() -> count("SELECT count(*) FROM events WHERE session_key = ?", keptSession) == 4);
        assertThat(count("SELECT count(*) FROM events WHERE session_key = ?", later)).isZero();
    }
}
