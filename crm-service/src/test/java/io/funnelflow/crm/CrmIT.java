package io.funnelflow.crm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.funnelflow.contract.json.Json;
import io.funnelflow.contract.lead.LeadTransition;
import io.funnelflow.contract.prediction.Prediction;
import io.funnelflow.contract.session.SessionSummary;
import io.funnelflow.contract.topic.ConsumerLag;
import io.funnelflow.contract.topic.Topics;
import io.funnelflow.crm.rules.Rules;
import io.funnelflow.launcher.Ports;
import io.funnelflow.launcher.ServiceProcess;
import io.funnelflow.simulator.leads.LeadFile;
import io.funnelflow.testing.RouteAccess;
import io.funnelflow.testing.SharedKafka;
import io.funnelflow.testing.SharedPostgres;
import io.funnelflow.testing.TestAccess;
import io.funnelflow.testing.TopicReader;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.StringWriter;
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
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import static io.funnelflow.testing.problem.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * crm-service on the real broker and PostgreSQL, one start (and one restart) for the class, with a clock the
 * test moves: a 1,000-lead import and scripted shop journeys give exactly the fields the default rules give
 * when written out by hand ({@link LeadOracle}); silence makes a lead Stale and Dormant with no event; an
 * override sticks through events and a rule change until lifted; a preview equals what applying does; a kill,
 * restart and replay change no transition.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CrmIT {

    static final Instant NOW0 = Instant.parse("2026-11-20T12:00:00Z");
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final String RUN = UUID.randomUUID().toString().substring(0, 6);

    static MutableClock clock = new MutableClock(NOW0);
    static Map<String, Object> props = new HashMap<>();
    static ApplicationContext context;
    static String base;
    static String jdbcUrl;
    static String applicationId = "crm-it-" + RUN;
    static List<LeadFile.Row> rows;
    static ServiceProcess insights;
    static final Map<String, SessionSummary> journeys = new LinkedHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        jdbcUrl = SharedPostgres.newDatabase("crm_it");
        props.put("micronaut.server.port", -1);
        props.put("funnelflow.kafka.bootstrap", SharedKafka.bootstrapServers());
        props.put("datasources.default.url", jdbcUrl);
        props.put("datasources.default.username", SharedPostgres.user());
        props.put("datasources.default.password", SharedPostgres.password());
        props.put("funnelflow.data-dir", Files.createTempDirectory("crm-it").toString());
        props.put("funnelflow.crm.application-id", applicationId);
        props.put("funnelflow.crm.punctuate-every", "300ms");
        props.putAll(TestAccess.properties());
        TestAccess.readToken();
        // the real insights-service, without an LLM: the rule-based extract and the template answer, and say so
        int port = Ports.free();
        Map<String, String> env = new HashMap<>(TestAccess.environment());
        env.put("FUNNELFLOW_KAFKA_BOOTSTRAP", SharedKafka.bootstrapServers());
        env.put("FUNNELFLOW_INSIGHTS_PORT", String.valueOf(port));
        env.put("FUNNELFLOW_LLM_MODEL", "");
        insights = ServiceProcess.start("insights-service", Path.of("..", "insights-service", "target", "insights-service.jar")
                .toAbsolutePath().normalize(), "http://127.0.0.1:" + port, env, "192m", Path.of("target", "it-logs", "insights-service.log"),
                Duration.ofSeconds(120));
        props.put("funnelflow.insights.url", insights.url());
        props.put("funnelflow.crm.email.product", "FunnelFlow");
        startService();
    }

    static void startService() {
        context = ApplicationContext.builder().properties(props).singletons(clock).start();
        EmbeddedServer server = context.getBean(EmbeddedServer.class).start();
        base = server.getURL().toString();
    }

    @AfterAll
    static void stop() {
        if (context != null) {
            context.close();
        }
        if (insights != null) {
            insights.close();
        }
    }

    // ---- helpers ------------------------------------------------------------------------------

    static HttpResponse<String> send(HttpRequest.Builder r) throws Exception {
        return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> get(String path) throws Exception {
        return send(TestAccess.request(base + path));
    }

    static JsonNode json(HttpResponse<String> r, int status) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        return Json.mapper().readTree(r.body());
    }

    static HttpResponse<String> postJson(String path, String body) throws Exception {
        return send(TestAccess.request(base + path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    static long sql(String query) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl, SharedPostgres.user(), SharedPostgres.password());
             ResultSet rs = c.createStatement().executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static String text(String query) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl, SharedPostgres.user(), SharedPostgres.password());
             ResultSet rs = c.createStatement().executeQuery(query)) {
            rs.next();
            return rs.getString(1);
        }
    }

    static JsonNode lead(String id) throws Exception {
        return json(get("/api/leads/" + id), 200);
    }

    static List<Map<String, String>> csv(String body) throws Exception {
        try (MappingIterator<Map<String, String>> it = new CsvMapper().readerFor(Map.class)
                .with(CsvSchema.emptySchema().withHeader()).readValues(body)) {
            return it.readAll();
        }
    }

    static SessionSummary session(String id, String user, Instant end, int productViews, int cartAdds, int checkouts, int purchases) {
        ObjectNode n = Json.mapper().createObjectNode();
        n.put("session_id", id).put("session_key", id).put("visitor_id", user).put("user_id", user)
                .put("start", end.minusSeconds(600).toString()).put("end", end.toString())
                .put("events", 1 + productViews + cartAdds + checkouts + purchases).put("page_views", 1).put("product_views", productViews)
                .put("cart_adds", cartAdds).put("cart_removes", 0).put("checkouts", checkouts).put("purchases", purchases)
                .put("revenue", purchases > 0 ? "49.90" : "0").put("cart_value", "0").put("furthest_step", 2).put("utm_source", "newsletter")
                .put("closed", true);
        n.putArray("user_ids").add(user);
        try {
            return Json.mapper().treeToValue(n, SessionSummary.class);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static void publish(List<SessionSummary> sessions, List<Prediction> predictions) throws Exception {
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                SharedKafka.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
                new org.apache.kafka.common.serialization.StringSerializer(), new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            for (SessionSummary s : sessions) {
                p.send(new ProducerRecord<>(Topics.SESSIONS.name(), s.sessionId(),
                        Topics.SESSIONS.valueSerde().serializer().serialize(Topics.SESSIONS.name(), s))).get();
            }
            for (Prediction pr : predictions) {
                p.send(new ProducerRecord<>(Topics.PREDICTIONS.name(), pr.sessionId(),
                        Topics.PREDICTIONS.valueSerde().serializer().serialize(Topics.PREDICTIONS.name(), pr))).get();
            }
        }
    }

    static void assertMatches(JsonNode lead, LeadOracle.Expected e) {
        String id = lead.path("lead_id").asText();
        assertThat(lead.path("intent_score").path("value").asText()).as(id + " score").isEqualTo(String.valueOf(e.score()));
        assertThat(lead.path("engagement_health").path("value").asText()).as(id + " health").isEqualTo(e.health());
        assertThat(lead.path("stage").path("value").asText()).as(id + " stage").isEqualTo(e.stage());
        assertThat(lead.path("stage").path("reason").asText()).as(id + " stage reason").isEqualTo(e.stageReason());
        assertThat(lead.path("nurture_track").path("value").asText()).as(id + " track").isEqualTo(e.track());
        assertThat(lead.path("owner_team").path("value").asText()).as(id + " owner").isEqualTo(e.owner());
    }

    // ---- tests --------------------------------------------------------------------------------

    @Test
    @Order(1)
    void everyRouteButHealthNeedsATokenAndAdminWhereItChangesSomething() {
        Set<String> open = Set.of("/health", "/health/**");
        assertThat(RouteAccess.violations(context, base, TestAccess.readToken(), open)).isEmpty();
        assertThat(RouteAccess.publicRoutes(context, open))
                .containsExactlyInAnyOrder("GET /health", "HEAD /health", "GET /health/{selector}", "HEAD /health/{selector}");
    }

    @Test
    @Order(2)
    void aThousandLeadImportGivesExactlyWhatTheRulesSayAndEachBadRowItsLineFieldAndReason() throws Exception {
        rows = LeadFile.generate(1000, 42, NOW0);
        StringWriter file = new StringWriter();
        LeadFile.write(rows, file);
        String body = file + "L99991,2026-13-01,Lead,10,2026-11-01,S: 1-10,Organic,Email,Sam Okafor,\r\n"
                + "L99992,2026-10-01,Lead,lots,2026-11-01,S: 1-10,Organic,Email,Sam Okafor,\r\n"
                + "L00007,2026-10-01,Lead,10,2026-11-01,S: 1-10,Organic,Email,Sam Okafor,a duplicate\r\n";
        HttpResponse<String> r = send(TestAccess.request(base + "/api/leads/import?by=" + URLEncoder.encode("ops@example.com", StandardCharsets.UTF_8))
                .header("Content-Type", "text/csv").POST(HttpRequest.BodyPublishers.ofString(body)));
        JsonNode answer = json(r, 207);
        assertThat(answer.path("accepted").asInt()).isEqualTo(1000);
        // notes hold quotes and commas: the lines are those of the file, quoted new lines included
        int header = 1;
        assertThat(answer.path("rejected")).hasSize(3);
        assertThat(answer.path("rejected").get(0).path("line").asLong()).isEqualTo(header + 1000 + 1);
        assertThat(answer.path("rejected").get(0).path("field").asText()).isEqualTo("created_at");
        assertThat(answer.path("rejected").get(1).path("field").asText()).isEqualTo("intent_score");
        assertThat(answer.path("rejected").get(1).path("reason").asText()).contains("whole number from 0 to 100", "lots");
        assertThat(answer.path("rejected").get(2).path("field").asText()).isEqualTo("lead_id");
        assertThat(answer.path("rejected").get(2).path("reason").asText()).isEqualTo("appears already on line 8 of this file");

        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> sql("SELECT count(*) FROM leads WHERE lead_id LIKE 'L%'") == 1000);

        HttpResponse<String> export = send(TestAccess.request(base + "/api/leads?limit=10000").header("Accept", "text/csv"));
        assertThat(export.statusCode()).isEqualTo(200);
        assertThat(export.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        assertThat(export.body()).startsWith("lead_id,created_at,funnel_stage,intent_score,last_engaged,company_size,source,"
                + "engagement_channel,sales_owner,simulated_stage,stage_reason,engagement_health,nurture_track,owner_team");
        assertThat(export.body()).contains("\r\n");
        Map<String, Map<String, String>> byId = new HashMap<>();
        csv(export.body()).forEach(row -> byId.put(row.get("lead_id"), row));
        Map<String, Long> stages = new TreeMap<>();
        for (LeadFile.Row row : rows) {
            LeadOracle.Expected e = LeadOracle.expect(row.intentScore(), row.funnelStage(),
                    row.lastEngaged().atStartOfDay(ZoneOffset.UTC).toInstant(), NOW0, 0, 0, 0, 0, 0, null);
            Map<String, String> got = byId.get(row.leadId());
            assertThat(got).as(row.leadId()).isNotNull();
            assertThat(got.get("simulated_stage")).as(row.leadId() + " stage").isEqualTo(e.stage());
            assertThat(got.get("stage_reason")).as(row.leadId() + " reason").isEqualTo(e.stageReason());
            assertThat(got.get("intent_score")).as(row.leadId() + " score").isEqualTo(String.valueOf(e.score()));
            assertThat(got.get("engagement_health")).as(row.leadId() + " health").isEqualTo(e.health());
            assertThat(got.get("nurture_track")).as(row.leadId() + " track").isEqualTo(e.track());
            assertThat(got.get("owner_team")).as(row.leadId() + " owner").isEqualTo(e.owner());
            assertThat(got.get("funnel_stage")).isEqualTo(row.funnelStage());
            assertThat(got.get("sales_owner")).isEqualTo(row.salesOwner());
            stages.merge(e.stage(), 1L, Long::sum);
        }
        // every stage is exercised, and the funnel counts them
        assertThat(stages).containsOnlyKeys("Lead", "MQL", "SQL", "Customer");
        JsonNode funnel = json(get("/api/crm/funnel"), 200);
        for (JsonNode s : funnel.path("stages")) {
            assertThat(s.path("current").asLong()).as(s.toString()).isEqualTo(stages.get(s.path("stage").asText()));
        }
        // a filtered page through the JSON API
        JsonNode sqls = json(get("/api/leads?stage=SQL&limit=1000"), 200);
        assertThat(sqls.path("leads")).hasSize(stages.get("SQL").intValue());
        assertThat(sqls.path("leads").get(0).path("sales_owner").path("rule_id").asText()).isEqualTo("import");
    }

    @Test
    @Order(3)
    void scriptedShopJourneysBecomeLeadsWithExactlyTheFieldsTheRulesGive() throws Exception {
        String p = "it-" + RUN + "-";
        Instant hour = NOW0.minus(Duration.ofHours(1));
        journeys.put(p + "browser", session("s-" + p + "1", p + "browser", hour, 3, 0, 0, 0));
        journeys.put(p + "carter", session("s-" + p + "2", p + "carter", hour, 4, 2, 1, 0));
        journeys.put(p + "keen-a", session("s-" + p + "3", p + "keen", hour.minusSeconds(7200), 4, 2, 1, 0));
        journeys.put(p + "keen-b", session("s-" + p + "4", p + "keen", hour, 4, 1, 1, 0));
        journeys.put(p + "buyer", session("s-" + p + "5", p + "buyer", hour, 2, 1, 1, 1));
        journeys.put(p + "quiet", session("s-" + p + "6", p + "quiet", NOW0.minus(Duration.ofDays(20)), 8, 1, 0, 0));
        journeys.put(p + "gone", session("s-" + p + "7", p + "gone", NOW0.minus(Duration.ofDays(70)), 8, 3, 0, 0));
        journeys.put(p + "likely", session("s-" + p + "8", p + "likely", hour, 4, 2, 2, 0));
        List<Prediction> predictions = List.of(new Prediction("s-" + p + "8", p + "likely", 0.9, 0.8, 1.0, "quick buyer", "none", "",
                false, "rf-test", hour));
        publish(new ArrayList<>(journeys.values()), predictions);

        Map<String, LeadOracle.Expected> expected = new LinkedHashMap<>();
        expected.put(p + "browser", LeadOracle.expect(null, null, hour, NOW0, 1, 3, 0, 0, 0, null));
        expected.put(p + "carter", LeadOracle.expect(null, null, hour, NOW0, 1, 4, 2, 1, 0, null));
        expected.put(p + "keen", LeadOracle.expect(null, null, hour, NOW0, 2, 8, 3, 2, 0, null));
        expected.put(p + "buyer", LeadOracle.expect(null, null, hour, NOW0, 1, 2, 1, 1, 1, null));
        expected.put(p + "quiet", LeadOracle.expect(null, null, NOW0.minus(Duration.ofDays(20)), NOW0, 1, 8, 1, 0, 0, null));
        expected.put(p + "gone", LeadOracle.expect(null, null, NOW0.minus(Duration.ofDays(70)), NOW0, 1, 8, 3, 0, 0, null));
        expected.put(p + "likely", LeadOracle.expect(null, null, hour, NOW0, 1, 4, 2, 2, 0, 0.9));
        assertThat(expected.values()).extracting(LeadOracle.Expected::stage).contains("Lead", "MQL", "SQL", "Customer");
        assertThat(expected.values()).extracting(LeadOracle.Expected::health).contains("Active", "Stale", "Dormant");

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            for (Map.Entry<String, LeadOracle.Expected> e : expected.entrySet()) {
                HttpResponse<String> r = get("/api/leads/" + e.getKey());
                assertThat(r.statusCode()).as(e.getKey() + ": " + r.body()).isEqualTo(200);
                assertMatches(Json.mapper().readTree(r.body()).path("lead"), e.getValue());
            }
        });
        // the long-silent one went Active, Stale, Dormant, each at the moment it crossed the threshold
        JsonNode gone = lead(p + "gone");
        List<String> health = new ArrayList<>();
        for (JsonNode t : gone.path("transitions")) {
            if (t.path("field").asText().equals("engagement_health")) {
                health.add(0, t.path("to").asText() + "@" + t.path("at").asText() + "/" + t.path("source").asText());
            }
        }
        Instant end = NOW0.minus(Duration.ofDays(70));
        assertThat(health).containsExactly("Active@" + end + "/rule", "Stale@" + end.plus(Duration.ofDays(14)) + "/decay",
                "Dormant@" + end.plus(Duration.ofDays(60)) + "/decay");
    }

    @Test
    @Order(4)
    void aLeadGoesStaleAndDormantWithNoEventAsTheClockMoves() throws Exception {
        String id = "C-" + RUN;
        Instant engaged = NOW0.minus(Duration.ofDays(10)).truncatedTo(java.time.temporal.ChronoUnit.DAYS);
        String body = "lead_id,created_at,funnel_stage,intent_score,last_engaged,sales_owner\r\n"
                + id + ",2026-09-01,,50," + engaged.toString().substring(0, 10) + ",Lena Vogel\r\n";
        json(send(TestAccess.request(base + "/api/leads/import").header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofString(body))), 200);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            HttpResponse<String> r = get("/api/leads/" + id);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(Json.mapper().readTree(r.body()).path("lead").path("stage").path("value").asText()).isEqualTo("MQL");
        });

        clock.advance(Duration.ofDays(5));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(lead(id).path("lead").path("engagement_health").path("value").asText()).isEqualTo("Stale"));
        clock.advance(Duration.ofDays(50));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(lead(id).path("lead").path("engagement_health").path("value").asText()).isEqualTo("Dormant"));

        JsonNode lead = lead(id);
        assertThat(lead.path("lead").path("stage").path("value").asText()).isEqualTo("Lead");
        assertThat(lead.path("lead").path("stage").path("reason").asText()).startsWith("recycled from MQL to Lead by recycle-dormant-mql");
        assertThat(lead.path("lead").path("nurture_track").path("value").asText()).isEqualTo("Reactivation");
        // what any Kafka client reads on funnelflow.lead-transitions
        try (TopicReader<String, LeadTransition> reader = TopicReader.of(Topics.LEAD_TRANSITIONS)) {
            List<LeadTransition> mine = reader.valuesToEnd(rec -> id.equals(rec.key()) && rec.value() != null);
            assertThat(mine).filteredOn(t -> t.source().equals(LeadTransition.SOURCE_DECAY))
                    .extracting(t -> t.field() + " " + t.from() + "→" + t.to() + " @" + t.at())
                    .containsExactly(
                            "engagement_health Active→Stale @" + engaged.plus(Duration.ofDays(14)),
                            "nurture_track Conversion→Reactivation @" + engaged.plus(Duration.ofDays(14)),
                            "stage MQL→Lead @" + engaged.plus(Duration.ofDays(60)),
                            "engagement_health Stale→Dormant @" + engaged.plus(Duration.ofDays(60)),
                            "owner_team Marketing Ops→Marketing @" + engaged.plus(Duration.ofDays(60)));
        }
    }

    static String rulesWith(String path, Object value) throws Exception {
        JsonNode doc = Rules.defaultDocument();
        ObjectNode body = Json.mapper().createObjectNode();
        if (path.equals("mql")) {
            ((ObjectNode) doc.path("stages").get(2).path("when").get(0)).put("value", (Integer) value);
        } else if (path.equals("dormant")) {
            ((ObjectNode) doc.path("health")).put("dormant_after_days", (Integer) value);
        }
        body.set("rules", doc);
        return body.toString();
    }

    @Test
    @Order(5)
    void anOverrideSticksThroughEventsAndARuleChangeAndIsLifted() throws Exception {
        String p = "it-" + RUN + "-";
        String id = p + "carter";
        HttpResponse<String> set = postJson("/api/leads/" + id + "/overrides",
                "{\"field\": \"stage\", \"value\": \"SQL\", \"by\": \"ana@example.com\", \"why\": \"asked for a quote on the phone\"}");
        assertThat(set.statusCode()).as(set.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(lead(id).path("lead").path("stage").path("value").asText()).isEqualTo("SQL"));

        // a purchase: the rules say Customer, the override holds, and the computed value is shown beside it
        Instant later = clock.instant().minusSeconds(60);
        SessionSummary buy = session("s-" + p + "9", id, later, 1, 1, 1, 1);
        journeys.put(p + "carter-buy", buy);
        publish(List.of(buy), List.of());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(lead(id).path("lead").path("stage").path("computed").asText()).isEqualTo("Customer"));
        assertThat(lead(id).path("lead").path("stage").path("value").asText()).isEqualTo("SQL");

        // a rule change re-evaluates every lead: the override still holds
        JsonNode applied = json(send(TestAccess.request(base + "/api/crm/rules").header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(rulesWith("mql", 35).replaceFirst("\\}$", ", \"why\": \"MQL from 35\"}")))), 200);
        int version = applied.path("version").asInt();
        await().atMost(Duration.ofSeconds(60)).until(() -> sql("SELECT count(*) FROM leads WHERE rules_version < " + version) == 0);
        JsonNode held = lead(id).path("lead");
        assertThat(held.path("stage").path("value").asText()).isEqualTo("SQL");
        assertThat(held.path("stage").path("rule_id").asText()).isEqualTo("override");
        assertThat(held.path("stage").path("rule_version").asInt()).isEqualTo(version);

        HttpResponse<String> lift = send(TestAccess.request(base + "/api/leads/" + id + "/overrides/stage?by=ana%40example.com&why=won")
                .DELETE());
        assertThat(lift.statusCode()).as(lift.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(lead(id).path("lead").path("stage").path("value").asText()).isEqualTo("Customer"));

        JsonNode log = json(get("/api/crm/overrides?limit=10"), 200).path("overrides");
        assertThat(log).hasSizeGreaterThanOrEqualTo(2);
        assertThat(log.get(0).path("action").asText()).isEqualTo("lift");
        assertThat(log.get(1).path("action").asText()).isEqualTo("set");
        assertThat(log.get(1).path("value").asText()).isEqualTo("SQL");
        assertThat(log.get(1).path("previous").asText()).isEqualTo("Lead");
        HttpResponse<String> logCsv = get("/api/crm/overrides?format=csv");
        List<Map<String, String>> entries = csv(logCsv.body());
        assertThat(entries.get(1)).containsEntry("lead_id", id).containsEntry("field", "stage").containsEntry("old_value", "Lead")
                .containsEntry("new_value", "SQL").containsEntry("changed_by", "ana@example.com")
                .containsEntry("reason", "asked for a quote on the phone");
    }

    @Test
    @Order(6)
    void aPreviewSaysExactlyWhatApplyingTheRulesDoes() throws Exception {
        // 55 days after the import: leads silent for 50 to 60 days go Dormant at once, and a Dormant MQL is recycled
        String rules = rulesWith("dormant", 50);
        JsonNode preview = json(postJson("/api/crm/rules/preview", rules), 200);
        assertThat(preview.path("complete").asBoolean()).isTrue();
        assertThat(preview.path("leads_changed").asLong()).isPositive();
        assertThat(preview.path("sample")).isNotEmpty();

        JsonNode applied = json(send(TestAccess.request(base + "/api/crm/rules").header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(rules.replaceFirst("\\}$", ", \"why\": \"dormant after 50 days\"}")))), 200);
        int version = applied.path("version").asInt();
        assertThat(version).isEqualTo(preview.path("version").asInt());
        await().atMost(Duration.ofSeconds(60)).until(() -> sql("SELECT count(*) FROM leads WHERE rules_version < " + version) == 0
                && sql("SELECT count(*) FROM lead_transitions WHERE rule_version = " + version) == total(preview));

        Map<String, Map<String, Long>> done = new TreeMap<>();
        try (Connection c = DriverManager.getConnection(jdbcUrl, SharedPostgres.user(), SharedPostgres.password());
             ResultSet rs = c.createStatement().executeQuery("SELECT field, from_value, to_value, count(*) FROM lead_transitions "
                     + "WHERE rule_version = " + version + " GROUP BY 1, 2, 3")) {
            while (rs.next()) {
                done.computeIfAbsent(rs.getString(1), f -> new TreeMap<>()).put(rs.getString(2) + " → " + rs.getString(3), rs.getLong(4));
            }
        }
        Map<String, Map<String, Long>> previewed = new TreeMap<>();
        preview.path("changes").fields().forEachRemaining(f -> {
            Map<String, Long> m = new TreeMap<>();
            f.getValue().fields().forEachRemaining(c -> m.put(c.getKey(), c.getValue().asLong()));
            previewed.put(f.getKey(), m);
        });
        assertThat(done).isEqualTo(previewed);
        assertThat(done).containsKey("engagement_health");
    }

    static long total(JsonNode preview) {
        long n = 0;
        for (JsonNode field : preview.path("changes")) {
            for (JsonNode c : field) {
                n += c.asLong();
            }
        }
        return n;
    }

    static String fingerprint() throws Exception {
        return text("SELECT count(*) || ':' || md5(coalesce(string_agg(transition_id || to_value || at, ',' ORDER BY transition_id), '')) "
                + "FROM lead_transitions") + " / " + text("SELECT count(*) || ':' || md5(coalesce(string_agg(lead_id || lead::text, ',' "
                + "ORDER BY lead_id), '')) FROM leads");
    }

    @Test
    @Order(7)
    void notesGetAPainPointAndADraftStaysADraftUntilApprovedThroughTheInsightsService() throws Exception {
        String id = "L00001";
        String notes = "Intro call with the founder. Pricing seems high compared to their current spreadsheet, and they are "
                + "worried about onboarding. Will call again in two weeks.";
        JsonNode note = json(postJson("/api/leads/" + id + "/notes", Json.mapper().createObjectNode().put("notes", notes)
                .put("by", "sam@example.com").toString()), 201);
        assertThat(note.path("pain_point").asText())
                .isEqualTo("Pricing seems high compared to their current spreadsheet, and they are worried about onboarding.");
        assertThat(note.path("analyst").path("kind").asText()).isEqualTo("rules");
        assertThat(note.path("analyst").path("reason").asText()).contains("no LLM is configured");
        assertThat(note.path("analyst").path("prompt_version").asText()).isEqualTo("pain-point-v1");
        assertThat(note.path("analyst").path("input_sha256").asText()).hasSize(64);

        JsonNode draft = json(postJson("/api/leads/" + id + "/email-draft", "{\"by\": \"sam@example.com\"}"), 201);
        assertThat(draft.path("status").asText()).isEqualTo("draft");
        assertThat(draft.path("analyst").path("kind").asText()).isEqualTo("rules");
        assertThat(draft.path("subject").asText()).isEqualTo("Still interested in FunnelFlow?");
        assertThat(draft.path("body").asText()).contains(note.path("pain_point").asText())
                .endsWith("\n\n--\n" + context.getProperty("funnelflow.crm.email.unsubscribe", String.class).orElseThrow());
        String draftId = draft.path("draft_id").asText();
        assertThat(json(get("/api/leads/" + id + "/notes"), 200).path("drafts").get(0).path("status").asText()).isEqualTo("draft");

        JsonNode approved = json(postJson("/api/leads/" + id + "/email-drafts/" + draftId + "/approve", "{\"by\": \"lena@example.com\"}"), 200);
        assertThat(approved.path("status").asText()).isEqualTo("approved");
        assertThat(approved.path("approved_by").asText()).isEqualTo("lena@example.com");
        assertThat(postJson("/api/leads/" + id + "/email-drafts/" + draftId + "/approve", "{}").statusCode()).isEqualTo(409);
        assertThat(postJson("/api/leads/no-such-lead/notes", "{\"notes\": \"x\"}").statusCode()).isEqualTo(404);
        assertThat(postJson("/api/leads/" + id + "/notes", "{\"notes\": \"" + "x".repeat(4001) + "\"}").statusCode()).isEqualTo(400);
    }

    @Test
    @Order(8)
    void aPersonsLeadIsExportedThenErasedEverywhereTheCrmKeepsIt() throws Exception {
        String id = "L00001";
        JsonNode export = json(get("/api/users/" + id + "/export"), 200);
        assertThat(export.path("lead").path("lead_id").asText()).isEqualTo(id);
        assertThat(export.path("transitions")).isNotEmpty();
        assertThat(export.path("notes")).hasSize(1);
        assertThat(export.path("drafts")).hasSize(1);

        JsonNode erased = json(send(TestAccess.request(base + "/api/users/" + id).DELETE()), 200);
        assertThat(erased.path("deleted").path("leads").asInt()).isEqualTo(1);
        // the lifecycle forgets it too: its tombstones reach the sink, and nothing comes back
        try (TopicReader<String, LeadTransition> reader = TopicReader.of(Topics.LEAD_TRANSITIONS)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> reader.readToEnd().stream()
                    .anyMatch(r -> id.equals(r.key()) && r.value() == null));
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (String table : List.of("leads", "lead_transitions", "lead_overrides", "lead_notes", "lead_email_drafts")) {
                assertThat(sql("SELECT count(*) FROM " + table + " WHERE lead_id = '" + id + "'")).as(table).isZero();
            }
        });
        assertThat(get("/api/leads/" + id).statusCode()).isEqualTo(404);
    }

    @Test
    @Order(9)
    void aKillARestartAndAReplayChangeNoTransition() throws Exception {
        String before = fingerprint();
        context.close();
        context = null;
        try (Admin admin = SharedKafka.admin()) {
            // the sink's group forgotten: it reads every topic again from the start
            admin.deleteConsumerGroups(List.of(applicationId + "-postgres-sink")).all().get();
        }
        startService();
        // the same sessions sent once more, as a replay of the aggregator's output would
        publish(new ArrayList<>(journeys.values()), List.of());
        try (Admin admin = SharedKafka.admin()) {
            ConsumerLag.await(admin, applicationId, List.of(Topics.SESSIONS.name(), Topics.CRM_COMMANDS.name()), Duration.ofSeconds(90));
            ConsumerLag.await(admin, applicationId + "-postgres-sink", List.of(Topics.LEAD_TRANSITIONS.name(), Topics.CRM_LEADS.name(),
                    Topics.CRM_OVERRIDES.name()), Duration.ofSeconds(90));
        }
        assertThat(fingerprint()).isEqualTo(before);
    }

    @Test
    @Order(10)
    void badInputIsAProblemNamingWhatIsWrong() throws Exception {
        assertThat(assertProblem(get("/api/leads?stage=Prospect"), 400).path("parameter").asText()).isEqualTo("stage");
        assertThat(assertProblem(get("/api/leads?limit=0"), 400).path("parameter").asText()).isEqualTo("limit");
        assertThat(assertProblem(get("/api/leads?format=xml"), 400).path("parameter").asText()).isEqualTo("format");
        assertThat(assertProblem(get("/api/leads/" + "x".repeat(65)), 400).path("parameter").asText()).isEqualTo("id");
        assertProblem(get("/api/leads/no-such-lead"), 404);
        assertThat(assertProblem(postJson("/api/leads/L00002/overrides", "{\"field\": \"mood\", \"value\": \"x\", \"why\": \"y\"}"), 400)
                .path("field").asText()).isEqualTo("field");
        assertThat(assertProblem(postJson("/api/leads/L00002/overrides", "{\"field\": \"stage\", \"value\": \"Boss\", \"why\": \"y\"}"), 400)
                .path("field").asText()).isEqualTo("value");
        assertThat(assertProblem(postJson("/api/leads/L00002/overrides", "{\"field\": \"stage\", \"value\": \"SQL\"}"), 400)
                .path("field").asText()).isEqualTo("why");
        ObjectNode bad = (ObjectNode) Json.mapper().readTree(rulesWith("mql", 40));
        ((ObjectNode) bad.path("rules").path("health")).put("dormant_after_days", 3);
        bad.put("why", "broken on purpose");
        JsonNode rules = assertProblem(send(TestAccess.request(base + "/api/crm/rules").header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(bad.toString()))), 400);
        assertThat(rules.path("field").asText()).isEqualTo("health.dormant_after_days");
        assertThat(assertProblem(send(TestAccess.request(base + "/api/leads/import").header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofString("name\nx\n"))), 400).path("reason").asText()).contains("no lead_id column");
        assertProblem(send(TestAccess.request(base + "/api/leads/import").header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofString("lead_id\n" + "L1,".repeat(1_500_000)))), 413);
        JsonNode none = assertProblem(send(TestAccess.request(base + "/api/leads/import").header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofString("lead_id,intent_score\nL1,500\n"))), 400);
        assertThat(none.path("rejected").get(0).path("line").asInt()).isEqualTo(2);
    }
}
