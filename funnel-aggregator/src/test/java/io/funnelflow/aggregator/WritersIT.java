package io.funnelflow.aggregator;

import com.fasterxml.jackson.databind.JsonNode;
import io.funnelflow.contract.event.RejectedEvent;
import io.funnelflow.contract.event.TrackedEvent;
import io.funnelflow.contract.json.Json;
import io.funnelflow.contract.topic.Topics;
import io.funnelflow.testing.SharedKafka;
import io.funnelflow.testing.SharedPostgres;
import io.funnelflow.testing.TcpProxy;
import io.funnelflow.testing.TestAccess;
import io.funnelflow.testing.TopicReader;
import io.funnelflow.testing.problem.ProblemAssertions;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The aggregator's writers against what can go wrong below them, with the real broker and PostgreSQL:
 * a record PostgreSQL refuses, a query that runs too long, PostgreSQL taken away in the middle of a load,
 * a stream thread that stops making progress. The aggregator reaches its database through a
 * {@link TcpProxy} that the test can cut.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WritersIT {

    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final Duration STALL_AFTER = Duration.ofSeconds(5);
    static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(1);
    static String jdbcUrl;
    static TcpProxy proxy;
    static EmbeddedServer aggregator;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        jdbcUrl = SharedPostgres.newDatabase("writers_it");
        SharedKafka.freshTopics();   // what this IT checks is everything its services stored
        proxy = TcpProxy.toJdbc(jdbcUrl);
        Map<String, Object> props = new HashMap<>();
        props.putAll(TestAccess.properties());
        props.put("micronaut.server.port", -1);
        props.put("funnelflow.kafka.bootstrap", SharedKafka.bootstrapServers());
        props.put("datasources.default.url", proxy.jdbcUrl(jdbcUrl));
        props.put("datasources.default.username", SharedPostgres.user());
        props.put("datasources.default.password", SharedPostgres.password());
        props.put("funnelflow.aggregator.application-id", "writers-it");
        props.put("funnelflow.aggregator.state-dir", Files.createTempDirectory("writers-it-state").toString());
        props.put("funnelflow.aggregator.health.stall-after", STALL_AFTER.toSeconds() + "s");
        props.put("funnelflow.aggregator.health.failing-after", "2s");
        props.put("funnelflow.aggregator.sink.max-backoff", "2s");
        props.put("funnelflow.query.statement-timeout", STATEMENT_TIMEOUT.toMillis() + "ms");
        props.put("funnelflow.aggregator.streams.main.consumer.interceptor.classes", StallingInterceptor.class.getName());
        aggregator = ApplicationContext.run(EmbeddedServer.class, props);
        base = "http://127.0.0.1:" + aggregator.getPort();
        await().atMost(Duration.ofSeconds(90)).until(() -> get("/health").statusCode() == 200);
    }

    @AfterAll
    static void stop() throws Exception {
        StallingInterceptor.release();
        if (aggregator != null) {
            aggregator.getApplicationContext().close();
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    @Order(1)
    void aRecordPostgresRefusesIsSetAsideWithItsReasonAndEveryOtherRecordOfItsPollIsStored() throws Exception {
        // The validators refuse more and more of what PostgreSQL cannot store (NUL characters, numbers and
        // times out of its range). So that this test does not depend on what they let through, the refusal
        // is PostgreSQL's own: a constraint of this test's database that one chosen, valid product id violates.
        sql("ALTER TABLE events ADD CONSTRAINT writers_it_refused CHECK (product_id IS DISTINCT FROM 'refused-by-postgres')");
        String run = UUID.randomUUID().toString().substring(0, 8);
        Instant at = Instant.now().minus(5, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS);
        List<TrackedEvent> events = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            events.add(event(run + "-e" + i, run + "-s" + (i % 4), at.plusSeconds(i), i == 17 ? "refused-by-postgres" : "p-" + i));
        }
        String poison = run + "-e17";
        publish(events);

        RejectedEvent rejected = await().atMost(Duration.ofSeconds(60)).until(() -> rejectedFor(poison), r -> r != null);
        assertThat(rejected.stage()).isEqualTo(RejectedEvent.STAGE_POSTGRES_SINK);
        assertThat(rejected.reason()).startsWith("PostgreSQL refused it (SQLState 23514)").contains("writers_it_refused");
        assertThat(rejected.origin().topic()).isEqualTo(Topics.UNIQUE_EVENTS.name());
        assertThat(rejected.payload().get("product_id").asText()).isEqualTo("refused-by-postgres");

        // every other event is stored, and so are the four sessions, the poisoned event's own included
        await().atMost(Duration.ofSeconds(60)).until(() -> count("SELECT count(*) FROM events WHERE event_id LIKE '" + run + "-%'") == 39);
        assertThat(count("SELECT count(*) FROM events WHERE event_id = '" + poison + "'")).isZero();
        await().atMost(Duration.ofSeconds(60)).until(() -> count("SELECT count(*) FROM sessions WHERE session_id LIKE '" + run + "-s%'") == 4);
        assertThat(get("/health").statusCode()).isEqualTo(200);
        assertThat(json(get("/health")).toString()).contains("\"refused\":1");
    }

    @Test
    @Order(2)
    void queriesThatRunPastTheirTimeoutAre503AndNeverHoldUpTheSink() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        // a query that cannot finish: the funnels it reads are locked by another transaction
        try (Connection locker = db(); Statement lock = locker.createStatement()) {
            locker.setAutoCommit(false);
            lock.execute("LOCK TABLE funnel_versions IN ACCESS EXCLUSIVE MODE");

            // more such queries at once than either pool has connections
            List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                answers.add(HTTP.sendAsync(TestAccess.request(URI.create(base + "/api/funnels")).timeout(Duration.ofSeconds(60)).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            Instant at = Instant.now().minus(1, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS);
            List<TrackedEvent> events = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                events.add(event(run + "-e" + i, run + "-s" + (i % 3), at.plusMillis(i), "p-" + i));
            }
            publish(events);

            // the writers have their own pool: the events are stored while the lock still holds the queries up
            await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT count(*) FROM events WHERE event_id LIKE '" + run + "-%'") == 30);

            for (CompletableFuture<HttpResponse<String>> answer : answers) {
                HttpResponse<String> r = answer.get(60, TimeUnit.SECONDS);
                assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
                assertThat(r.headers().firstValue("Retry-After")).hasValue("5");
                assertThat(ProblemAssertions.assertUnavailable(r).get("title").asText()).isEqualTo("service unavailable");
            }
            assertThat(answers).extracting(a -> json(a.get()).get("reason").asText())
                    .anyMatch(reason -> reason.contains("statement timeout"));
            locker.rollback();
        }
        assertThat(get("/api/funnels").statusCode()).isEqualTo(200);
    }

    @Test
    @Order(3)
    void postgresUnreachableForThirtySecondsInTheMiddleOfALoadLosesNothingAndCountsEachEventOnce() throws Exception {
        String run = "outage-" + UUID.randomUUID().toString().substring(0, 8);
        Instant at = Instant.now().minus(2, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS);
        int[] sent = {0};
        java.util.function.IntConsumer load = n -> {
            List<TrackedEvent> events = new ArrayList<>();
            for (int i = 0; i < n; i++, sent[0]++) {
                events.add(campaignEvent(run + "-e" + sent[0], run + "-s" + (sent[0] % 5), at.plusMillis(sent[0]), run));
            }
            try {
                publish(events);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        load.accept(50);
        await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT count(*) FROM events WHERE event_id LIKE '" + run + "-%'") == 50);

        proxy.cut();
        Instant cut = Instant.now();
        boolean[] sawDown = {false};
        boolean[] saw503 = {false};
        // for thirty seconds: the load goes on, /health says DOWN, queries say 503 with Retry-After
        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                load.accept(10);
                HttpResponse<String> health = get("/health");
                JsonNode sink = json(health).at("/details/postgres-sink");
                if (sink.get("status").asText().equals("DOWN")) {
                    assertThat(health.statusCode()).isEqualTo(503);
                    assertThat(sink.at("/details/reason").asText()).contains("writes to PostgreSQL have failed");
                    sawDown[0] = true;
                }
                HttpResponse<String> query = get("/api/analytics?hours=1");
                assertThat(query.statusCode()).as(query.body()).isEqualTo(503);
                assertThat(query.headers().firstValue("Retry-After")).hasValue("5");
                assertThat(json(query).get("reason").asText()).isNotBlank();
                saw503[0] = true;
                return Duration.between(cut, Instant.now()).toSeconds() >= 30;
            });
        } finally {
            proxy.restore();
        }
        assertThat(sawDown[0]).as("/health DOWN during the outage").isTrue();
        assertThat(saw503[0]).isTrue();
        load.accept(20);

        int total = sent[0];
        await().atMost(Duration.ofSeconds(90)).until(() -> count("SELECT count(*) FROM events WHERE event_id LIKE '" + run + "-%'") == total);
        // each event counted once: in its session, and in the stream-maintained funnel figures of its campaign
        await().atMost(Duration.ofSeconds(60)).until(() ->
                count("SELECT coalesce(sum(events), 0) FROM sessions WHERE session_id LIKE '" + run + "-s%'") == total
                        && campaignEvents(base, run) == total);
        try (TopicReader<String, RejectedEvent> reader = TopicReader.of(Topics.EVENTS_REJECTED)) {
            assertThat(reader.valuesToEnd(r -> r.value() != null && r.value().eventId() != null
                    && r.value().eventId().startsWith(run))).as("an outage sets nothing aside").isEmpty();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/health").statusCode() == 200);
        assertThat(get("/api/analytics?hours=1").statusCode()).isEqualTo(200);
    }

    @Test
    @Order(4)
    void rangesAreCappedHoweverTheyAreGiven() throws Exception {
        assertBadParameter("/api/analytics?from=2000-01-01T00:00:00Z&to=2026-01-01T00:00:00Z", "from");
        assertBadParameter("/api/analytics?hours=1000000", "hours");
        assertBadParameter("/api/analytics?from=0001-01-01T00:00:00Z", "from");
        assertBadParameter("/api/trends?interval=hour&hours=20000", "interval");
        assertThat(get("/api/trends?interval=day&hours=20000").statusCode()).isEqualTo(200);
        assertBadParameter("/api/personas?from=2000-01-01T00:00:00Z&to=2026-01-01T00:00:00Z", "from");
    }

    static void assertBadParameter(String path, String parameter) throws Exception {
        HttpResponse<String> r = get(path);
        assertThat(r.statusCode()).as(path + " -> " + r.body()).isEqualTo(400);
        assertThat(json(r).get("parameter").asText()).isEqualTo(parameter);
    }

    @Test
    @Order(9)
    void aStreamThreadThatMakesNoProgressWhileInputWaitsTurnsHealthDownWithinTheBound() throws Exception {
        // idle, the stream and the sink have committed past every record and marker: any lag is input waiting
        await().atMost(Duration.ofSeconds(60)).until(() -> json(get("/health")), h ->
                h.at("/details/streams/details/lag").asLong(-1) == 0 && h.at("/details/postgres-sink/details/lag").asLong(-1) == 0);
        assertThat(get("/health").statusCode()).isEqualTo(200);
        String run = UUID.randomUUID().toString().substring(0, 8);
        Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        // the stream thread that polls this event is held (StallingInterceptor): input waits, nothing is committed
        publish(List.of(event(StallingInterceptor.MARKER + "-" + run, run + "-stuck", at, "p-1")));
        await().atMost(Duration.ofSeconds(30)).until(StallingInterceptor::holding);
        // still RUNNING as far as Kafka Streams can tell
        assertThat(json(get("/health")).at("/details/streams/details/state").asText()).isIn("RUNNING", "REBALANCING");

        HttpResponse<String> down = await().atMost(STALL_AFTER.plusSeconds(15)).pollInterval(Duration.ofMillis(250))
                .until(() -> get("/health"), r -> r.statusCode() == 503);
        JsonNode streams = json(down).at("/details/streams");
        assertThat(streams.get("status").asText()).isEqualTo("DOWN");
        assertThat(streams.at("/details/reason").asText()).contains("input is waiting");
        assertThat(streams.at("/details/stalled_partitions").asInt()).isPositive();

        // let the thread go: the stream commits past the event and the aggregator is healthy again
        StallingInterceptor.release();
        await().atMost(Duration.ofSeconds(60)).until(() -> get("/health").statusCode() == 200);
        await().atMost(Duration.ofSeconds(60)).until(() -> count("SELECT count(*) FROM sessions WHERE session_id = '" + run + "-stuck'") == 1);
    }

    // ---- helpers -----------------------------------------------------------------------------------

    static TrackedEvent event(String id, String session, Instant at, String productId) {
        return new TrackedEvent(id, "product_view", at, null, null, null, session, null, "anon-" + session,
                "https://shop.example/p", null, "google", "cpc", "winter", "web", "desktop", productId, "Socks",
                new BigDecimal("12.50"), 1, null, "EUR", null).accepted(id, at, null);
    }

    static TrackedEvent campaignEvent(String id, String session, Instant at, String campaign) {
        return new TrackedEvent(id, "page_view", at, null, null, null, session, null, "anon-" + session,
                "https://shop.example/", null, "newsletter", "email", campaign, "web", "mobile", null, null,
                null, null, null, null, null).accepted(id, at, null);
    }

    /** Puts events straight onto the stream's input, as ingest would, and waits for the broker to have them. */
    static void publish(List<TrackedEvent> events) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 20),
                new org.apache.kafka.common.serialization.StringSerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            List<Future<?>> sent = new ArrayList<>();
            for (TrackedEvent e : events) {
                sent.add(producer.send(new ProducerRecord<>(Topics.EVENTS.name(), e.sessionKey(),
                        Topics.EVENTS.valueSerde().serializer().serialize(Topics.EVENTS.name(), e))));
            }
            for (Future<?> f : sent) {
                f.get(10, TimeUnit.SECONDS);
            }
        }
    }

    static RejectedEvent rejectedFor(String eventId) {
        try (TopicReader<String, RejectedEvent> reader = TopicReader.of(Topics.EVENTS_REJECTED)) {
            return reader.valuesToEnd(r -> r.value() != null && eventId.equals(r.value().eventId())).stream()
                    .filter(r -> RejectedEvent.STAGE_POSTGRES_SINK.equals(r.stage())).findFirst().orElse(null);
        }
    }

    static Connection db() throws Exception {
        return DriverManager.getConnection(jdbcUrl, SharedPostgres.user(), SharedPostgres.password());
    }

    static void sql(String statement) throws Exception {
        try (Connection c = db(); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    static long count(String query) throws Exception {
        try (Connection c = db(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(TestAccess.request(URI.create(base + path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * The landing step's event count of the default funnel for a campaign's sessions of the last two hours
     * (every event of {@link #campaignEvent} is a page view), as the API answers it; -1 while it has none.
     */
    static long campaignEvents(String base, String campaign) throws Exception {
        HttpResponse<String> r = HTTP.send(TestAccess.request(URI.create(base + "/api/funnel?hours=2&count=events&breakdown=utm_campaign"))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode steps = json(r).path("breakdown").path(campaign);
        return r.statusCode() == 200 && steps.isArray() && !steps.isEmpty() ? steps.get(0).path("count").asLong() : -1;
    }

    static JsonNode json(HttpResponse<String> response) throws Exception {
        return Json.mapper().readTree(response.body());
    }
}
