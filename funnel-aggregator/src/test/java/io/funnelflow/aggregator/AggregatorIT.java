package io.funnelflow.aggregator;

import com.fasterxml.jackson.databind.JsonNode;
import io.funnelflow.contract.funnel.FunnelDefinition;
import io.funnelflow.contract.json.Json;
import io.funnelflow.contract.topic.ConsumerLag;
import io.funnelflow.contract.topic.Topics;
import io.funnelflow.aggregator.store.PostgresSink;
import io.funnelflow.launcher.Ports;
import io.funnelflow.launcher.ServiceProcess;
import io.funnelflow.testing.SharedKafka;
import io.funnelflow.testing.SharedPostgres;
import io.funnelflow.testing.metrics.DashboardAssertions;
import io.funnelflow.testing.metrics.Scrape;
import io.funnelflow.testing.TestAccess;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Shoppers posted through the real ingest service (its jar, as a child process) and counted by the
 * aggregator against the real broker and PostgreSQL: every number the query API gives equals the one
 * computed here from the same script.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AggregatorIT {

    static final String KEY = "aggregator-it-key";
    static final String APP_ID = "aggregator-it";
    static final HttpClient HTTP = HttpClient.newHttpClient();

    static ServiceProcess ingest;
    static EmbeddedServer aggregator;
    static String jdbcUrl;
    static Path stateDir;

    @BeforeAll
    static void start() throws Exception {
        String bootstrap = SharedKafka.bootstrapServers();
        SharedKafka.freshTopics();   // what this IT checks is everything its services stored
        jdbcUrl = SharedPostgres.newDatabase("aggregator_it");
        stateDir = Files.createTempDirectory("aggregator-it-state");
        int port = Ports.free();
        Path jar = Path.of("..", "ingest-service", "target", "ingest-service.jar").toAbsolutePath().normalize();
        ingest = ServiceProcess.start("ingest-service", jar, "http://127.0.0.1:" + port,
                Map.of("FUNNELFLOW_KAFKA_BOOTSTRAP", bootstrap, "FUNNELFLOW_WRITE_KEYS", KEY,
                        "FUNNELFLOW_INGEST_PORT", String.valueOf(port)),
                "256m", Path.of("target", "it-logs", "ingest-service.log"), Duration.ofSeconds(120));
        aggregator = startAggregator();
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

    static EmbeddedServer startAggregator() {
        Map<String, Object> props = new HashMap<>();
        props.put("micronaut.server.port", -1);
        props.put("funnelflow.kafka.bootstrap", SharedKafka.bootstrapServers());
        props.put("datasources.default.url", jdbcUrl);
        props.put("datasources.default.username", SharedPostgres.user());
        props.put("datasources.default.password", SharedPostgres.password());
        props.put("funnelflow.aggregator.application-id", APP_ID);
        props.put("funnelflow.aggregator.state-dir", stateDir.toString());
        props.put("funnelflow.aggregator.late-after", "2m");
        props.put("funnelflow.aggregator.timeline-delay", "1s");
        props.put("funnelflow.metrics.lag-interval", "1s");
        props.putAll(TestAccess.properties());
        return ApplicationContext.run(EmbeddedServer.class, props);
    }

    // ---- the scripts -------------------------------------------------------------------------------

    /** Three hours ago: shoppers who complete, skip a step, arrive shuffled, retry, cross windows, pause. */
    static final Script LIVE = live();

    static Script live() {
        Script s = new Script(Instant.now().minus(Duration.ofHours(3)));
        s.step("s1", "u1", "page_view", 0, "google", "mobile");
        s.step("s1", "u1", "product_view", 1, "google", "mobile");
        s.step("s1", "u1", "add_to_cart", 2, "google", "mobile");
        s.step("s1", "u1", "checkout_start", 3, "google", "mobile");
        s.step("s1", "u1", "purchase", 4, "google", "mobile");
        s.step("s2", null, "page_view", 5, "google", "mobile");
        s.step("s2", null, "add_to_cart", 6, "google", "mobile");
        s.step("s2", null, "checkout_start", 7, "google", "mobile");
        s.step("s2", null, "purchase", 8, "google", "mobile");
        s.step("s3", null, "page_view", 10, "facebook", "desktop");
        s.step("s3", null, "product_view", 11, "facebook", "desktop");
        s.step("s3", null, "add_to_cart", 12, "facebook", "desktop");
        s.step("s4", null, "page_view", 20, "facebook", "desktop");
        s.step("s4", null, "product_view", 21, "facebook", "desktop");
        s.step("s4", null, "video_played", 21.5, "facebook", "desktop");
        s.step("s5", null, "page_view", 59.5, "newsletter", "tablet");
        s.step("s5", null, "product_view", 60.5, "newsletter", "tablet");
        s.step("s5", null, "add_to_cart", 61, "newsletter", "tablet");
        s.step("s6", "u6", "page_view", 70, "direct", "desktop");
        s.step("s6", "u6", "product_view", 71, "direct", "desktop");
        s.step("s6", "u6", "page_view", 111, "direct", "desktop");
        s.step("s6", "u6", "product_view", 112, "direct", "desktop");
        s.step("s6", "u6", "add_to_cart", 113, "direct", "desktop");
        s.step("s6", "u6", "checkout_start", 114, "direct", "desktop");
        s.step("s6", "u6", "purchase", 115, "direct", "desktop");
        return s;
    }

    /** The same dimensions as s6's newest page view, so it meets the same stream time, but 80 minutes older. */
    static final Script.Step LATE = LIVE.step("s7", null, "page_view", 31, "direct", "desktop");

    @Test
    @Order(1)
    void scriptedSessionsGiveExactlyTheFunnelKpisAndTrendsOfTheScript() throws Exception {
        List<Script.Step> steps = new ArrayList<>(LIVE.steps);
        steps.remove(LATE);
        // s3 arrives shuffled: add_to_cart first, then page_view, then product_view
        List<Script.Step> s3 = steps.stream().filter(x -> x.session().equals("s3")).toList();
        steps.removeAll(s3);
        post(List.of(s3.get(2), s3.get(0), s3.get(1)));
        for (Script.Step step : steps) {
            post(List.of(step));
        }
        // s4's product view is retried by its client: same event id, sent again
        post(List.of(steps.stream().filter(x -> x.session().equals("s4") && x.type().equals("product_view")).findFirst().orElseThrow()));
        // s7's page view comes last, long after its minute window closed (grace 2 min). Lateness is judged
        // against stream time, which s6's newest page view sets once processed: it is in PostgreSQL when its
        // session is, because both leave the sessionizer in one transaction
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(get("/api/sessions/" + URLEncoder.encode("s6#2", StandardCharsets.UTF_8)).get("furthest_step").asInt())
                        .isEqualTo(5));
        post(List.of(LATE));

        String range = range(LIVE.base, LIVE.base.plus(Duration.ofHours(3)));
        assertNumbers(LIVE, range);

        JsonNode byChannel = get("/api/funnel?" + range + "&breakdown=utm_source");
        assertThat(byChannel.get("breakdown").get("google").get(0).get("count").asLong()).isEqualTo(2);
        assertThat(byChannel.get("breakdown").get("google").get(1).get("count").asLong()).isEqualTo(1);
        assertThat(byChannel.get("breakdown").get("direct").get(4).get("count").asLong()).isEqualTo(1);

        JsonNode split = get("/api/sessions/" + URLEncoder.encode("s6#2", StandardCharsets.UTF_8));
        assertThat(split.get("furthest_step").asInt()).isEqualTo(5);
        assertThat(split.get("timeline")).extracting(e -> e.get("event_type").asText())
                .containsExactly("page_view", "product_view", "add_to_cart", "checkout_start", "purchase");
        assertThat(get("/api/sessions/s6").get("furthest_step").asInt()).isEqualTo(2);
        assertThat(get("/api/sessions/s3").get("timeline")).extracting(e -> e.get("event_type").asText())
                .containsExactly("page_view", "product_view", "add_to_cart");

        try (Connection c = db(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT event_id FROM late_events")) {
            List<String> late = new ArrayList<>();
            while (rs.next()) {
                late.add(rs.getString(1));
            }
            assertThat(late).as("the late event took the late path").contains(LATE.eventId());
        }
    }

    @Test
    @Order(2)
    void aBackfilledHistoryIsCountedExactly() throws Exception {
        Script history = new Script(Instant.now().minus(Duration.ofDays(3)));
        for (int i = 0; i < 12; i++) {
            String session = "bf" + i;
            double t = i * 9;
            history.step(session, i % 3 == 0 ? "bu" + i : null, "page_view", t, i % 2 == 0 ? "google" : "linkedin", "desktop");
            if (i % 4 != 3) {
                history.step(session, null, "product_view", t + 1, "google", "desktop");
            }
            if (i % 3 != 2) {
                history.step(session, null, "add_to_cart", t + 2, "google", "desktop");
            }
            if (i % 2 == 0) {
                history.step(session, null, "checkout_start", t + 3, "google", "desktop");
                history.step(session, null, "purchase", t + 4, "google", "desktop");
            }
        }
        for (int i = 0; i < history.steps.size(); i += 10) {
            post(history.steps.subList(i, Math.min(i + 10, history.steps.size())));
        }
        assertNumbers(history, range(history.base, history.base.plus(Duration.ofHours(3))));
    }

    @Test
    @Order(3)
    void killingRestartingAndReplayingChangesNoNumber() throws Exception {
        Script more = new Script(Instant.now().minus(Duration.ofHours(30)));
        for (int i = 0; i < 8; i++) {
            more.step("r" + i, null, "page_view", i * 2, "google", "mobile");
            more.step("r" + i, null, "product_view", i * 2 + 0.5, "google", "mobile");
            if (i % 2 == 0) {
                more.step("r" + i, null, "add_to_cart", i * 2 + 1, "google", "mobile");
            }
        }
        int half = more.steps.size() / 2;
        post(more.steps.subList(0, half));
        aggregator.getApplicationContext().close();           // mid-stream
        post(more.steps.subList(half, more.steps.size()));      // ingest goes on while the aggregator is down
        aggregator = startAggregator();
        String range = range(more.base, more.base.plus(Duration.ofHours(3)));
        assertNumbers(more, range);
        assertNumbers(LIVE, range(LIVE.base, LIVE.base.plus(Duration.ofHours(3))));
        // quiet sessions' ordered events follow their last change by the timeline delay
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            try (Connection c = db(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT count(*) FROM sessions s LEFT JOIN session_timelines t USING (session_id)"
                         + " WHERE t.session_id IS NULL")) {
                rs.next();
                return rs.getLong(1) == 0;
            }
        });
        String before = fingerprint();

        // replay: every input and output offset back to the start of its topic
        aggregator.getApplicationContext().close();
        try (Admin admin = SharedKafka.admin()) {
            rewind(admin, APP_ID, List.of(Topics.EVENTS.name()));
            rewind(admin, APP_ID + "-postgres-sink", PostgresSink.TOPICS);
        }
        aggregator = startAggregator();
        try (Admin admin = SharedKafka.admin()) {
            ConsumerLag.await(admin, APP_ID, List.of(Topics.EVENTS.name()), Duration.ofSeconds(90));
            ConsumerLag.await(admin, APP_ID + "-postgres-sink", PostgresSink.TOPICS, Duration.ofSeconds(90));
        }
        assertThat(fingerprint()).isEqualTo(before);
        assertNumbers(more, range);
    }

    @Test
    @Order(4)
    void badParametersAreNamed() throws Exception {
        HttpResponse<String> r = raw("/api/funnel?hours=soon");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(Json.mapper().readTree(r.body()).get("parameter").asText()).isEqualTo("hours");
        assertThat(raw("/api/funnel?mode=sideways").body()).contains("\"parameter\":\"mode\"", "ordered, strict, any_order");
        assertThat(raw("/api/funnel?breakdown=weather").body()).contains("\"parameter\":\"breakdown\"");
        assertThat(raw("/api/trends?interval=fortnight").statusCode()).isEqualTo(400);
        assertThat(raw("/api/funnel?from=yesterday").body()).contains("\"parameter\":\"from\"");
        HttpResponse<String> unknown = raw("/api/funnel?funnel=nope");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("\"parameter\":\"funnel\"");
        assertThat(raw("/api/sessions/none-such").statusCode()).isEqualTo(404);

        // the heatmap reads one hour row per hour of the range: a range of more than 10000 hours is refused before any is read
        HttpResponse<String> wide = raw("/api/trends?interval=weekday_hour&hours=20000");
        assertThat(wide.statusCode()).isEqualTo(400);
        assertThat(wide.body()).contains("\"parameter\":\"interval\"", "at most 10000 hours");
        assertThat(raw("/api/trends?interval=day&hours=20000").statusCode()).isEqualTo(200);
        HttpResponse<String> format = raw("/api/trends?format=xlsx");
        assertThat(format.statusCode()).isEqualTo(400);
        assertThat(format.body()).contains("\"parameter\":\"format\"", "csv or json");
        // CSV is for the reports; a route that answers JSON only says so
        assertThat(raw("/api/funnels?format=csv").statusCode()).isEqualTo(406);
        assertThat(send(TestAccess.request(uri("/api/sessions/s1")).header("Accept", "text/csv").build()).statusCode()).isEqualTo(406);
        assertThat(raw("/api/analytics?format=json").headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    }

    @Test
    @Order(5)
    void healthCoversTheStreamAndTheSink() throws Exception {
        JsonNode health = get("/health");
        assertThat(health.get("status").asText()).isEqualTo("UP");
        assertThat(health.toString()).contains("\"streams\"", "\"postgres-sink\"", "\"kafka\"", "last_write");
    }

    @Test
    @Order(6)
    void customFunnelsAreSavedAndEvaluated() throws Exception {
        HttpResponse<String> created = send(TestAccess.request(uri("/api/funnels"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"cart-to-buy\",\"steps\":[\"add_to_cart\",\"purchase\"]}")).build());
        assertThat(created.statusCode()).isEqualTo(201);
        HttpResponse<String> bad = send(TestAccess.request(uri("/api/funnels"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"one\",\"steps\":[\"add_to_cart\"]}")).build());
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("\"parameter\":\"steps\"");
        assertThat(get("/api/funnels")).extracting(f -> f.get("name").asText()).contains("default", "cart-to-buy");

        // saved after the sessions happened: counted over the history in the background, and it says so meanwhile
        await().atMost(Duration.ofSeconds(90)).until(() -> "complete".equals(get("/api/funnel?funnel=cart-to-buy").get("status").asText()));
        JsonNode funnel = get("/api/funnel?funnel=cart-to-buy&" + range(LIVE.base, LIVE.base.plus(Duration.ofHours(3))));
        // carts: s1, s2, s3, s5, s6#2; of those, purchases after the cart: s1, s2, s6#2
        assertThat(funnel.get("steps").get(0).get("count").asLong()).isEqualTo(LIVE.cartSessions());
        assertThat(funnel.get("steps").get(1).get("count").asLong()).isEqualTo(LIVE.convertedSessions());
    }

    @Test
    @Order(7)
    void metricsShowFreshnessLagAndKafkasOwnSeriesAfterTheTraffic() {
        String base = "http://127.0.0.1:" + aggregator.getPort();
        // every unique event the sink committed since the (re)start is in the freshness histogram
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Scrape scrape = Scrape.of(base);
            assertThat(scrape.value("funnelflow_aggregator_freshness_seconds_count")).isPositive();
            assertThat(scrape.samples("funnelflow_aggregator_freshness_seconds_bucket")).extracting(b -> b.labels().get("le"))
                    .contains("1.0", "60.0", "+Inf");
            // the lag of the stream on its input and of the sink on the stream's output, once asked of the brokers
            assertThat(scrape.value("funnelflow_consumer_lag_records", "group", APP_ID, "topic", Topics.EVENTS.name()))
                    .isFinite().isGreaterThanOrEqualTo(0);
            assertThat(scrape.value("funnelflow_aggregator_sink_lag_records")).isFinite().isGreaterThanOrEqualTo(0);
        });
        Scrape scrape = Scrape.of(base);
        // Kafka Streams' own metrics (threads, tasks, stores and the topology's sensors) and the consumers'
        assertThat(scrape.hasSeriesStartingWith("kafka_stream_thread_")).as("Kafka Streams thread metrics").isTrue();
        assertThat(scrape.value("kafka_consumer_fetch_manager_records_consumed_total", "client_id", APP_ID + "-postgres-sink"))
                .isPositive();
        assertThat(scrape.value("http_server_requests_seconds_count", "uri", "/api/funnel")).isPositive();
        assertThat(scrape.value("jvm_memory_used_bytes", "service", "funnel-aggregator")).isPositive();
        DashboardAssertions.assertEverySeriesOfTheDashboardIsExported(scrape, "funnelflow_aggregator_", "funnelflow_consumer_",
                "kafka_stream_", "http_server_", "jvm_");
    }

    @Test
    @Order(8)
    void everyFunnelModeCountAndBreakdownEqualsTheReferenceOverTheStoredSessions() throws Exception {
        for (String name : List.of("default", "cart-to-buy")) {
            FunnelDefinition funnel = name.equals("default") ? FunnelDefinition.DEFAULT
                    : new FunnelDefinition(name, List.of("add_to_cart", "purchase"));
            ReferenceFunnels.assertMatches(funnel, AggregatorIT::db, AggregatorIT::get);
        }
    }

    @Test
    @Order(8)
    void twoReportsAreNumbered001And002AndHoldTheApisNumbers() throws Exception {
        Path dir = Files.createTempDirectory("aggregator-it-reports").resolve("reports");
        String base = "http://127.0.0.1:" + aggregator.getPort();
        io.funnelflow.launcher.ReportCommand.Written first = io.funnelflow.launcher.ReportCommand.write(base,
                TestAccess.ADMIN_TOKEN, 6, dir, Instant.now());
        io.funnelflow.launcher.ReportCommand.Written second = io.funnelflow.launcher.ReportCommand.write(base,
                TestAccess.ADMIN_TOKEN, 6, dir, Instant.now());
        assertThat(first.text().getFileName()).hasToString("funnel_summary_001.txt");
        assertThat(first.csv().getFileName()).hasToString("funnel_summary_001.csv");
        assertThat(second.text().getFileName()).hasToString("funnel_summary_002.txt");
        assertThat(second.csv().getFileName()).hasToString("funnel_summary_002.csv");
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted()).containsExactly(
                    "funnel_summary_001.csv", "funnel_summary_001.txt", "funnel_summary_002.csv", "funnel_summary_002.txt");
        }

        // the numbers are the API's for the same range: LIVE's sessions lie in it, nothing is sent meanwhile
        JsonNode funnel = get("/api/funnel?hours=6");
        JsonNode kpis = get("/api/analytics?hours=6");
        JsonNode peak = get("/api/trends?interval=weekday_hour&hours=6").get("peak");
        assertThat(funnel.get("steps").get(0).get("count").asLong()).isGreaterThanOrEqualTo(LIVE.sessions().size());
        String text = Files.readString(second.text());
        for (JsonNode step : funnel.get("steps")) {
            assertThat(text).containsPattern("(?m)^  " + step.get("index").asInt() + " +" + step.get("label").asText()
                    + " +" + step.get("count").asLong() + " ");
        }
        assertThat(text).containsPattern("(?m)^  sessions +" + kpis.get("sessions").asLong() + "$");
        assertThat(text).containsPattern("(?m)^  revenue +" + java.util.regex.Pattern.quote(kpis.get("revenue").asText()) + "$");
        assertThat(text).contains(peak.get("label").asText());
        assertThat(text).contains("Top channels by revenue").contains("google");
        List<String> csvLines = Files.readAllLines(second.csv());
        assertThat(csvLines.get(0)).startsWith("segment,step,event_type,label,count");
        assertThat(csvLines.subList(1, csvLines.size())).extracting(l -> Long.parseLong(l.split(",")[4]))
                .containsExactlyElementsOf(java.util.stream.StreamSupport.stream(funnel.get("steps").spliterator(), false)
                        .map(s -> s.get("count").asLong()).toList());
        assertThat(Files.readString(first.text()).replaceAll("(?m)^Written: .*$", ""))
                .as("nothing changed between the runs").isEqualTo(text.replaceAll("(?m)^Written: .*$", ""));
    }

    @Test
    @Order(9)
    void validateFunnelSqlFindsNothingAfterTheScenariosAndARowOnceTheDataIsMadeInconsistent() throws Exception {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(validate()).as("sql/validation/validate_funnel.sql").isEmpty());
        try (Connection c = db(); Statement st = c.createStatement()) {
            // one purchase's revenue changed behind the stream's back: the day's figures no longer add up
            assertThat(st.executeUpdate("UPDATE sessions SET revenue = revenue + 1 WHERE session_id = 's1'")).isEqualTo(1);
            assertThat(validate()).anySatisfy(row -> assertThat(row).startsWith("day_figures_against_sessions|"));
            st.executeUpdate("UPDATE sessions SET revenue = revenue - 1 WHERE session_id = 's1'");
            // a funnel's later step above its earlier one
            st.executeUpdate("INSERT INTO funnel_buckets (funnel_id, mode, granularity, bucket_start, dimension, value, part, gen,"
                    + " sessions, events, durations) VALUES (0, 'ordered', 'd', '2001-01-01', 0, '', 99, 0, '{1,2,0,0,0}',"
                    + " '{1,2,0,0,0}', ''::bytea)");
            assertThat(validate()).anySatisfy(row -> assertThat(row).startsWith("funnel_step_increases|"));
            st.executeUpdate("DELETE FROM funnel_buckets WHERE part = 99");
            assertThat(validate()).isEmpty();
        }
    }

    /** Every row the validation queries return, each as its columns joined by '|'. */
    static List<String> validate() throws Exception {
        String script = Files.readString(Path.of("..", "sql", "validation", "validate_funnel.sql"));
        List<String> rows = new ArrayList<>();
        try (Connection c = db(); Statement st = c.createStatement()) {
            for (String query : script.replaceAll("(?m)^\\s*--.*$", "").split(";")) {
                if (query.isBlank()) {
                    continue;
                }
                try (ResultSet rs = st.executeQuery(query)) {
                    int columns = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        StringBuilder row = new StringBuilder();
                        for (int i = 1; i <= columns; i++) {
                            row.append(i > 1 ? "|" : "").append(rs.getString(i));
                        }
                        rows.add(row.toString());
                    }
                }
            }
        }
        return rows;
    }

    // ---- assertions --------------------------------------------------------------------------------

    static void assertNumbers(Script script, String range) {
        long[] expected = script.funnel();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            JsonNode funnel = get("/api/funnel?" + range);
            long[] actual = new long[expected.length];
            for (int k = 0; k < expected.length; k++) {
                actual[k] = funnel.get("steps").get(k).get("count").asLong();
            }
            assertThat(actual).as("funnel steps").containsExactly(expected);

            JsonNode kpis = get("/api/analytics?" + range);
            assertThat(kpis.get("from").isTextual()).as("times are ISO-8601 strings").isTrue();
            assertThat(kpis.get("sessions").asLong()).isEqualTo(script.sessions().size());
            assertThat(kpis.get("unique_visitors").asLong()).isEqualTo(script.visitors());
            assertThat(kpis.get("purchases").asLong()).isEqualTo(script.purchases());
            assertThat(kpis.get("converted_sessions").asLong()).isEqualTo(script.convertedSessions());
            assertThat(new BigDecimal(kpis.get("revenue").asText())).isEqualByComparingTo(script.revenue());
            assertThat(kpis.get("cart_sessions").asLong()).isEqualTo(script.cartSessions());
            assertThat(kpis.get("cart_abandonment_rate").asDouble())
                    .isEqualTo(Math.round(script.abandonedCarts() * 10000.0 / script.cartSessions()) / 10000.0);
            Map<String, Long> byType = new HashMap<>();
            kpis.get("events_by_type").fields().forEachRemaining(f -> byType.put(f.getKey(), f.getValue().asLong()));
            assertThat(byType).isEqualTo(script.byType());

            JsonNode trend = get("/api/trends?interval=hour&" + range);
            Map<Instant, Long> hourly = new java.util.TreeMap<>();
            // every hour of the range is a point, empty ones as zero
            trend.get("points").forEach(p -> {
                if (p.get("events").asLong() != 0) {
                    hourly.put(Instant.parse(p.get("bucket").asText()), p.get("events").asLong());
                }
            });
            assertThat(hourly).isEqualTo(script.hourly());

            // the same numbers as CSV: ?format=csv and Accept: text/csv alike
            List<Map<String, String>> funnelCsv = csv("/api/funnel?format=csv&" + range, null);
            assertThat(funnelCsv).filteredOn(row -> row.get("segment").equals("(all)"))
                    .extracting(row -> Long.parseLong(row.get("count"))).containsExactly(box(expected));
            Map<String, String> kpiCsv = new HashMap<>();
            csv("/api/analytics?" + range, "text/csv").forEach(row -> kpiCsv.put(row.get("figure"), row.get("value")));
            assertThat(Long.parseLong(kpiCsv.get("sessions"))).isEqualTo(script.sessions().size());
            assertThat(Long.parseLong(kpiCsv.get("purchases"))).isEqualTo(script.purchases());
            assertThat(new BigDecimal(kpiCsv.get("revenue"))).isEqualByComparingTo(script.revenue());
            assertThat(Long.parseLong(kpiCsv.get("cart_sessions"))).isEqualTo(script.cartSessions());
            Map<String, Long> byTypeCsv = new HashMap<>();
            kpiCsv.forEach((figure, value) -> {
                if (figure.startsWith("events_by_type.")) {
                    byTypeCsv.put(figure.substring("events_by_type.".length()), Long.parseLong(value));
                }
            });
            assertThat(byTypeCsv).isEqualTo(script.byType());
            Map<Instant, Long> hourlyCsv = new java.util.TreeMap<>();
            List<Map<String, String>> trendCsv = csv("/api/trends?interval=hour&format=csv&" + range, null);
            assertThat(trendCsv).hasSize(trend.get("points").size());
            trendCsv.stream().filter(row -> !row.get("events").equals("0"))
                    .forEach(row -> hourlyCsv.put(Instant.parse(row.get("bucket")), Long.parseLong(row.get("events"))));
            assertThat(hourlyCsv).isEqualTo(script.hourly());

            // the weekday × hour heatmap: the script's events per hour, folded onto the week; the busiest cell named
            Map<String, Long> cells = new java.util.TreeMap<>();
            script.hourly().forEach((hour, n) -> cells.merge(cell(hour), n, Long::sum));
            JsonNode heat = get("/api/trends?interval=weekday_hour&" + range);
            assertThat(heat.get("points")).hasSize(7 * 24);
            Map<String, Long> heatCells = new java.util.TreeMap<>();
            heat.get("points").forEach(p -> {
                if (p.get("events").asLong() != 0) {
                    heatCells.put(p.get("weekday").asText() + " " + p.get("hour").asInt(), p.get("events").asLong());
                }
            });
            assertThat(heatCells).isEqualTo(cells);
            long most = cells.values().stream().mapToLong(Long::longValue).max().orElseThrow();
            assertThat(heat.get("peak").get("events").asLong()).isEqualTo(most);
            assertThat(cells.get(heat.get("peak").get("weekday").asText() + " " + heat.get("peak").get("hour").asInt())).isEqualTo(most);
            assertThat(heat.get("peak").get("label").asText()).startsWith(heat.get("peak").get("weekday").asText() + " ");
            Map<String, Long> heatCsv = new java.util.TreeMap<>();
            List<Map<String, String>> heatRows = csv("/api/trends?interval=weekday_hour&format=csv&" + range, null);
            assertThat(heatRows).hasSize(7 * 24);
            heatRows.stream().filter(row -> !row.get("events").equals("0"))
                    .forEach(row -> heatCsv.put(row.get("weekday") + " " + row.get("hour"), Long.parseLong(row.get("events"))));
            assertThat(heatCsv).isEqualTo(cells);
        });
    }

    static String cell(Instant hour) {
        java.time.ZonedDateTime t = hour.atZone(java.time.ZoneOffset.UTC);
        String day = t.getDayOfWeek().getDisplayName(java.time.format.TextStyle.FULL, java.util.Locale.ENGLISH);
        return day + " " + t.getHour();
    }

    static Long[] box(long[] values) {
        return java.util.Arrays.stream(values).boxed().toArray(Long[]::new);
    }

    /** A CSV answer's rows by column name, after checking that it is a CSV download with a header row. */
    static List<Map<String, String>> csv(String path, String accept) throws Exception {
        HttpRequest.Builder request = TestAccess.request(uri(path));
        if (accept != null) {
            request.header("Accept", accept);
        }
        HttpResponse<String> r = send(request.build());
        assertThat(r.statusCode()).as(path + " -> " + r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/csv"));
        assertThat(r.headers().firstValue("Content-Disposition")).hasValueSatisfying(d -> assertThat(d).startsWith("attachment"));
        assertThat(r.body()).as("RFC 4180 lines end in CRLF").contains("\r\n");
        List<Map<String, String>> rows = new ArrayList<>();
        try (com.fasterxml.jackson.databind.MappingIterator<Map<String, String>> it = new com.fasterxml.jackson.dataformat.csv.CsvMapper()
                .readerForMapOf(String.class).with(com.fasterxml.jackson.dataformat.csv.CsvSchema.emptySchema().withHeader())
                .readValues(r.body())) {
            it.forEachRemaining(rows::add);
        }
        return rows;
    }

    static String fingerprint() throws Exception {
        try (Connection c = db(); Statement s = c.createStatement()) {
            StringBuilder out = new StringBuilder();
            for (String q : List.of(
                    "SELECT count(*), md5(string_agg(event_id || event_time::text || event_type, ',' ORDER BY event_id)) FROM events",
                    "SELECT count(*), md5(string_agg(concat_ws('|', session_id, started_at, ended_at, events, furthest_step,"
                            + " purchases, revenue, cart_value, last_event_type), ',' ORDER BY session_id)) FROM sessions",
                    "SELECT count(*), md5(string_agg(concat_ws('|', session_id, event_types::text, event_times::text), ','"
                            + " ORDER BY session_id)) FROM session_timelines",
                    // the figures, summed per bucket: partitions and generations may differ after a restart, sums may not
                    "SELECT count(*), md5(string_agg(concat_ws('|', granularity, bucket_start, dimension, value, s, c, r), ','"
                            + " ORDER BY granularity, bucket_start, dimension, value)) FROM (SELECT granularity, bucket_start,"
                            + " dimension, value, sum(sessions) s, sum(converted) c, sum(revenue) r FROM session_buckets"
                            + " GROUP BY 1, 2, 3, 4 HAVING sum(sessions) <> 0) b",
                    "SELECT count(*), md5(string_agg(concat_ws('|', funnel_id, mode, granularity, bucket_start, dimension, value, s),"
                            + " ',' ORDER BY funnel_id, mode, granularity, bucket_start, dimension, value)) FROM (SELECT funnel_id,"
                            + " mode, granularity, bucket_start, dimension, value, array_agg(sessions::text ORDER BY part, gen)::text s"
                            + " FROM funnel_buckets GROUP BY 1, 2, 3, 4, 5, 6) b",
                    "SELECT count(*), md5(string_agg(concat_ws('|', granularity, bucket_start, event_type, e, r), ','"
                            + " ORDER BY granularity, bucket_start, event_type)) FROM (SELECT granularity, bucket_start, event_type,"
                            + " sum(events) e, sum(revenue) r FROM event_buckets GROUP BY 1, 2, 3) b",
                    "SELECT count(*), md5(string_agg(event_id, ',' ORDER BY event_id)) FROM late_events")) {
                try (ResultSet rs = s.executeQuery(q)) {
                    rs.next();
                    out.append(rs.getLong(1)).append(':').append(rs.getString(2)).append('\n');
                }
            }
            return out.toString();
        }
    }

    static void rewind(Admin admin, String group, List<String> topics) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> zero = new HashMap<>();
        for (String topic : topics) {
            admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic).partitions()
                    .forEach(p -> zero.put(new TopicPartition(topic, p.partition()), new OffsetAndMetadata(0)));
        }
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .until(() -> {
                    admin.alterConsumerGroupOffsets(group, zero).all().get(10, TimeUnit.SECONDS);
                    return true;
                });
    }

    // ---- HTTP and SQL ------------------------------------------------------------------------------

    static void post(List<Script.Step> steps) throws Exception {
        String body = steps.stream().map(Script.Step::json).collect(Collectors.joining(",", "{\"events\":[", "]}"));
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(ingest.url() + "/api/batch"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((KEY + ":").getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    static String range(Instant from, Instant to) {
        return "from=" + from.truncatedTo(ChronoUnit.SECONDS) + "&to=" + to.truncatedTo(ChronoUnit.SECONDS);
    }

    static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + aggregator.getPort() + path);
    }

    static JsonNode get(String path) throws Exception {
        HttpResponse<String> r = raw(path);
        assertThat(r.statusCode()).as(path + " -> " + r.body()).isEqualTo(200);
        return Json.mapper().readTree(r.body());
    }

    static HttpResponse<String> raw(String path) throws Exception {
        return send(TestAccess.request(uri(path)).build());
    }

    static HttpResponse<String> send(HttpRequest request) throws Exception {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    static Connection db() throws Exception {
        return DriverManager.getConnection(jdbcUrl, SharedPostgres.user(), SharedPostgres.password());
    }
}
