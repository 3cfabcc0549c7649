package io.funnelflow.simulator;

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
import picocli.CommandLine;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Seeded runs through the real stack (the ingest and aggregator jars as processes, the shared broker
 * and PostgreSQL): the simulator's own ground truth equals what the query API says, valid events only,
 * duplicates once, whatever the clients' clocks, retries and shuffles.
 */
class SimulatorIT {

    static final String KEY = "simulator-it-key";
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static ServiceProcess ingest;
    static ServiceProcess aggregator;
    static Path config;

    @BeforeAll
    static void start() throws Exception {
        String bootstrap = SharedKafka.bootstrapServers();
        String jdbc = SharedPostgres.newDatabase("simulator_it");
        Path data = Files.createTempDirectory("simulator-it");
        int ingestPort = Ports.free();
        int aggregatorPort = Ports.free();
        Map<String, String> env = new java.util.HashMap<>(Map.of(
                "FUNNELFLOW_KAFKA_BOOTSTRAP", bootstrap, "FUNNELFLOW_WRITE_KEYS", KEY,
                "FUNNELFLOW_INGEST_PORT", String.valueOf(ingestPort), "FUNNELFLOW_AGGREGATOR_PORT", String.valueOf(aggregatorPort),
                "FUNNELFLOW_JDBC_URL", jdbc, "FUNNELFLOW_JDBC_USER", SharedPostgres.user(),
                "FUNNELFLOW_JDBC_PASSWORD", SharedPostgres.password(), "FUNNELFLOW_DATA_DIR", data.toString()));
        env.putAll(TestAccess.environment());
        Path logs = Path.of("target", "it-logs");
        ingest = ServiceProcess.start("ingest-service", jar("ingest-service"), "http://127.0.0.1:" + ingestPort, env, "256m",
                logs.resolve("ingest-service.log"), Duration.ofSeconds(120));
        aggregator = ServiceProcess.start("funnel-aggregator", jar("funnel-aggregator"), "http://127.0.0.1:" + aggregatorPort,
                env, "384m", logs.resolve("funnel-aggregator.log"), Duration.ofSeconds(180));
        // clients at their worst: many wrong clocks, retries, shuffles and broken events
        config = data.resolve("rough-clients.yml");
        Files.writeString(config, """
                realism:
                  clock_skew_share: 0.3
                  retry_share: 0.1
                  out_of_order_share: 0.4
                  malformed_share: 0.1
                """);
    }

    @AfterAll
    static void stop() {
        if (aggregator != null) {
            aggregator.close();
        }
        if (ingest != null) {
            ingest.close();
        }
    }

    static Path jar(String module) {
        return Path.of("..", module, "target", module + ".jar").toAbsolutePath().normalize();
    }

    @Test
    void aSeededLiveRunThroughOurApiMatchesItsGroundTruth() throws Exception {
        Path truth = Path.of("target", "it", "live-truth.json");
        int exit = new CommandLine(new SimulatorCommand()).execute("live", "--seed", "5", "--sessions", "150", "--rate", "400",
                "--speed", "400", "--url", ingest.url(), "--write-key", KEY, "--config", config.toString(),
                "--ground-truth", truth.toString(), "--quiet");
        assertThat(exit).isZero();
        assertMatches(Json.mapper().readTree(truth.toFile()));
    }

    @Test
    void aSeededBackfillThroughTheSegmentApiMatchesItsGroundTruth() throws Exception {
        Path truth = Path.of("target", "it", "backfill-truth.json");
        int exit = new CommandLine(new SimulatorCommand()).execute("backfill", "--seed", "6", "--days", "2", "--sessions", "120",
                "--target", "segment", "--url", ingest.url(), "--write-key", KEY, "--config", config.toString(),
                "--ground-truth", truth.toString(), "--quiet");
        assertThat(exit).isZero();
        assertMatches(Json.mapper().readTree(truth.toFile()));
    }

    static void assertMatches(JsonNode run) {
        JsonNode truth = run.get("ground_truth");
        assertThat(run.get("malformed_events").asLong()).isPositive();
        assertThat(run.get("retried_requests").asLong()).isPositive();
        assertThat(run.get("rejected").asLong()).as("every broken event was refused").isGreaterThanOrEqualTo(run.get("malformed_events").asLong());
        Instant first = Instant.parse(truth.get("first_session_start").asText());
        Instant last = Instant.parse(truth.get("last_event_time").asText());
        String range = "from=" + first.minusSeconds(30).truncatedTo(ChronoUnit.SECONDS) + "&to="
                + last.plusSeconds(31).truncatedTo(ChronoUnit.SECONDS);
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            JsonNode kpis = get("/api/analytics?" + range);
            assertThat(kpis.get("sessions").asLong()).isEqualTo(truth.get("sessions").asLong());
            assertThat(kpis.get("unique_visitors").asLong()).isEqualTo(truth.get("unique_visitors").asLong());
            assertThat(kpis.get("purchases").asLong()).isEqualTo(truth.get("purchases").asLong());
            assertThat(kpis.get("converted_sessions").asLong()).isEqualTo(truth.get("converted_sessions").asLong());
            assertThat(kpis.get("cart_sessions").asLong()).isEqualTo(truth.get("cart_sessions").asLong());
            assertThat(new BigDecimal(kpis.get("revenue").asText())).isEqualByComparingTo(new BigDecimal(truth.get("revenue").asText()));
            assertThat(map(kpis.get("events_by_type"))).isEqualTo(map(truth.get("events_by_type")));

            JsonNode funnel = get("/api/funnel?breakdown=utm_source&" + range);
            assertThat(counts(funnel.get("steps"))).isEqualTo(Json.mapper().convertValue(truth.get("funnel"), long[].class));
            truth.get("funnel_by_utm_source").fields().forEachRemaining(source ->
                    assertThat(counts(funnel.get("breakdown").get(source.getKey()))).as(source.getKey())
                            .isEqualTo(Json.mapper().convertValue(source.getValue(), long[].class)));
            JsonNode byDevice = get("/api/funnel?breakdown=device&" + range);
            truth.get("funnel_by_device").fields().forEachRemaining(device ->
                    assertThat(counts(byDevice.get("breakdown").get(device.getKey()))).as(device.getKey())
                            .isEqualTo(Json.mapper().convertValue(device.getValue(), long[].class)));
        });
    }

    static long[] counts(JsonNode steps) {
        long[] out = new long[steps.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = steps.get(i).get("count").asLong();
        }
        return out;
    }

    static Map<String, Long> map(JsonNode node) {
        Map<String, Long> out = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), e.getValue().asLong());
        }
        return out;
    }

    static JsonNode get(String path) throws Exception {
        HttpResponse<String> r = HTTP.send(TestAccess.request(aggregator.url() + path).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.mapper().readTree(r.body());
    }
}
