package io.funnelflow.aggregator;

import com.fasterxml.jackson.databind.JsonNode;
import io.funnelflow.contract.event.RejectedEvent;
import io.funnelflow.contract.event.TrackedEvent;
import io.funnelflow.contract.json.Json;
import io.funnelflow.contract.topic.Topics;
import io.funnelflow.launcher.Ports;
import io.funnelflow.launcher.ServiceProcess;
import io.funnelflow.testing.SharedKafka;
import io.funnelflow.testing.SharedPostgres;
import io.funnelflow.testing.TestAccess;
import io.funnelflow.testing.TopicReader;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.quicktheories.core.Gen;
import org.quicktheories.impl.Constraint;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.quicktheories.QuickTheory.qt;

/**
 * Thousands of generated hostile and malformed requests ({@link HostileRequests}) against the running
 * ingest service (its jar) over HTTP: every answer is a 2xx, or a 4xx with a reason (and the field where
 * it is about one), and none takes more than a second. Then everything ingest accepted goes through the
 * real broker, the aggregator's stream and PostgreSQL, the aggregator refuses none of it, and a canary
 * event sent last reaches {@code /api/sessions/{id}}: no input stopped a writer.
 *
 * <p>On time: this machine is shared and noisy, so a request slower than a second is sent once more, and
 * the test fails only if it is slow again — a hang is deterministic, a busy neighbour is not.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileInputIT {

    static final String KEY = "hostile-it-key";
    static final int TRIES = 2400;
    static final Duration SLOW = Duration.ofSeconds(1);
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static ServiceProcess ingest;
    static EmbeddedServer aggregator;
    static String jdbcUrl;
    static Set<String> eventsBefore;
    static final Map<String, AtomicInteger> answered = new ConcurrentHashMap<>();
    static final AtomicInteger acceptedEvents = new AtomicInteger();
    static final AtomicInteger retriedSlow = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        jdbcUrl = SharedPostgres.newDatabase("hostile_it");
        int port = Ports.free();
        Path jar = Path.of("..", "ingest-service", "target", "ingest-service.jar").toAbsolutePath().normalize();
        ingest = ServiceProcess.start("ingest-service", jar, "http://127.0.0.1:" + port,
                Map.of("FUNNELFLOW_KAFKA_BOOTSTRAP", SharedKafka.bootstrapServers(), "FUNNELFLOW_WRITE_KEYS", KEY,
                        "FUNNELFLOW_INGEST_PORT", String.valueOf(port), "FUNNELFLOW_RATE_LIMIT_EPS", "10000000",
                        "FUNNELFLOW_RATE_LIMIT_BURST", "10000000"),
                "256m", Path.of("target", "it-logs", "ingest-service-hostile.log"), Duration.ofSeconds(120));
        Map<String, Object> props = new HashMap<>();
        props.put("micronaut.server.port", -1);
        props.put("funnelflow.kafka.bootstrap", SharedKafka.bootstrapServers());
        props.put("datasources.default.url", jdbcUrl);
        props.put("datasources.default.username", SharedPostgres.user());
        props.put("datasources.default.password", SharedPostgres.password());
        props.put("funnelflow.aggregator.application-id", "hostile-it");
        props.put("funnelflow.aggregator.state-dir", Files.createTempDirectory("hostile-it-state").toString());
        props.putAll(TestAccess.properties());
        aggregator = ApplicationContext.run(EmbeddedServer.class, props);
        try (TopicReader<String, TrackedEvent> events = TopicReader.of(Topics.EVENTS)) {
            eventsBefore = positions(events.readToEnd());
        }
    }

    @AfterAll
    static void stop() {
        if (aggregator != null) {
            aggregator.getApplicationContext().close();
        }
        if (ingest != null) {
            ingest.close();
        }
    }

    static Set<String> positions(List<? extends ConsumerRecord<?, ?>> records) {
        Set<String> out = new HashSet<>();
        records.forEach(r -> out.add(r.partition() + ":" + r.offset()));
        return out;
    }

    record Answer(int status, String body, String contentType, Duration took) {
    }

    /** Our refusals that concern one field (the framework's own, such as an unsupported content type, name none). */
    static final Set<String> FIELD_PROBLEMS = Set.of("invalid event", "invalid request", "unauthorized", "too large");

    static Answer send(HostileRequests.Request r) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(ingest.url() + r.path()))
                .timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofByteArray(r.body()));
        if (!r.headers().containsKey("Content-Type")) {
            b.header("Content-Type", "application/json");
        }
        r.headers().forEach(b::header);
        long t0 = System.nanoTime();
        HttpResponse<String> response = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body(), response.headers().firstValue("Content-Type").orElse(""),
                Duration.ofNanos(System.nanoTime() - t0));
    }

    /** The engine draws the request; the answer must be bounded in time and say what was wrong. */
    static void check(HostileRequests.Request request) {
        try {
            Answer a = send(request);
            if (a.took().compareTo(SLOW) > 0) {
                // noise or a hang? a hang is slow every time
                retriedSlow.incrementAndGet();
                a = send(request);
                assertThat(a.took()).as("answered twice in more than a second: " + request).isLessThanOrEqualTo(SLOW);
            }
            answered.computeIfAbsent(request.kind() + " -> " + a.status(), k -> new AtomicInteger()).incrementAndGet();
            assertThat(a.status()).as(request + "\n answered " + a.body()).satisfiesAnyOf(
                    s -> assertThat(s).isBetween(200, 299), s -> assertThat(s).isBetween(400, 499));
            JsonNode body = Json.mapper().readTree(a.body());
            assertThat(body).as("a JSON answer to " + request + "\n answered " + a.body()).isNotNull();
            if (a.status() >= 400) {
                // every refusal is a problem (RFC 7807) with its reason; ours name the field wherever it is about one
                assertThat(a.contentType()).as(request + "\n answered " + a.body()).startsWith("application/problem+json");
                assertThat(body.path("reason").asText()).as(request + "\n answered " + a.body()).isNotBlank();
                if (FIELD_PROBLEMS.contains(body.path("title").asText()) && !body.has("rejected")) {
                    assertThat(body.path("field").asText()).as("the field, " + request + "\n answered " + a.body()).isNotBlank();
                }
            }
            for (JsonNode x : body.path("rejected")) {
                assertThat(x.path("field").asText()).as(request + "\n answered " + a.body()).isNotBlank();
                assertThat(x.path("reason").asText()).as(request + "\n answered " + a.body()).isNotBlank();
            }
            if (a.status() == 200 && body.has("event_id")) {
                acceptedEvents.incrementAndGet();
            } else if (a.status() / 100 == 2) {
                acceptedEvents.addAndGet(body.path("accepted").asInt());
            }
        } catch (IOException e) {
            throw new AssertionError("no answer to " + request + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    @Order(1)
    void everyHostileRequestIsAnsweredWithinASecondByA2xxOrA4xxWithItsReason() {
        HostileRequests requests = new HostileRequests(KEY, Instant.now());
        Gen<HostileRequests.Request> hostile = in -> requests.next(bound -> (int) in.next(Constraint.between(0, bound - 1)));
        // a fixed seed keeps the suite deterministic; -Dhostile.seed=<n> explores other requests (a failure prints its seed)
        long seed = Long.getLong("hostile.seed", 20_261_201L);
        // shrinking re-sends requests: a few cycles are enough to point at the field that matters
        qt().withFixedSeed(seed).withExamples(TRIES).withShrinkCycles(20).forAll(hostile).checkAssert(HostileInputIT::check);

        int total = answered.values().stream().mapToInt(AtomicInteger::get).sum();
        assertThat(total).isGreaterThanOrEqualTo(2000);
        Map<String, Integer> byClass = new TreeMap<>();
        answered.forEach((k, v) -> byClass.put(k, v.get()));
        System.out.println("hostile requests by class and answer (" + total + ", " + retriedSlow.get() + " sent again after a slow answer): " + byClass);
        for (String kind : HostileRequests.CLASSES) {
            assertThat(byClass.keySet()).as("every class was tried").anyMatch(k -> k.startsWith(kind + " -> "));
        }
        assertThat(byClass.keySet()).as("some were accepted, to go on through the pipeline").anyMatch(k -> k.endsWith("-> 200"));
    }

    @Test
    @Order(2)
    void everythingAcceptedIsStoredAndTheAggregatorRefusesNoneOfItThenACanaryArrives() throws Exception {
        List<TrackedEvent> accepted = new ArrayList<>();
        try (TopicReader<String, TrackedEvent> events = TopicReader.of(Topics.EVENTS)) {
            for (ConsumerRecord<String, TrackedEvent> r : events.readToEnd()) {
                if (!eventsBefore.contains(r.partition() + ":" + r.offset())) {
                    accepted.add(r.value());
                }
            }
        }
        assertThat(accepted).as("a 2xx means Kafka has every event it counts, and nothing else is there")
                .hasSize(acceptedEvents.get());
        Set<String> ids = new HashSet<>();
        accepted.forEach(e -> ids.add(e.eventId()));

        String canary = "canary-" + Instant.now().toEpochMilli();
        HttpResponse<String> sent = HTTP.send(HttpRequest.newBuilder(URI.create(ingest.url() + "/api/track"))
                .header("Content-Type", "application/json").header("Authorization", HostileRequests.basic(KEY))
                .POST(HttpRequest.BodyPublishers.ofString("{\"event_id\":\"" + canary + "\",\"event_type\":\"page_view\","
                        + "\"session_id\":\"" + canary + "\",\"page_url\":\"https://shop.example/\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);

        String aggregatorUrl = "http://127.0.0.1:" + aggregator.getPort();
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            HttpResponse<String> s = HTTP.send(TestAccess.request(aggregatorUrl + "/api/sessions/" + canary).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(s.statusCode()).as(s.body()).isEqualTo(200);
            assertThat(s.body()).contains(canary);
        });
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                assertThat(storedIds(ids)).as("every accepted event is in PostgreSQL").isEqualTo(ids));
        try (TopicReader<String, RejectedEvent> rejected = TopicReader.of(Topics.EVENTS_REJECTED)) {
            List<RejectedEvent> byAggregator = rejected.valuesToEnd(r -> RejectedEvent.STAGE_AGGREGATOR.equals(r.value().stage())
                    && ids.contains(r.value().eventId()));
            assertThat(byAggregator).as("the stream's check refuses nothing that ingest accepted").isEmpty();
        }
        HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(URI.create(aggregatorUrl + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
    }

    static Set<String> storedIds(Set<String> ids) throws Exception {
        Set<String> out = new HashSet<>();
        try (Connection c = DriverManager.getConnection(jdbcUrl, SharedPostgres.user(), SharedPostgres.password());
             PreparedStatement ps = c.prepareStatement("SELECT event_id FROM events WHERE event_id = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("text", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }
}
