package io.funnelflow.insights.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.funnelflow.contract.json.Json;
import io.funnelflow.insights.Funnels;
import io.funnelflow.testing.TestAccess;
import io.funnelflow.testing.docs.ApiDocsAssertions;
import io.funnelflow.testing.problem.FailureRoutes;
import io.funnelflow.testing.problem.ProblemAssertions;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The HTTP API over posted metrics, with no LLM configured and no aggregator reachable. */
class InsightsControllerTest {

    static EmbeddedServer server;
    static final HttpClient HTTP = HttpClient.newHttpClient();
    /** The admin token of test-support's TestAccess, which ApiDocsAssertions asks with too. */
    static final String TOKEN = TestAccess.ADMIN_TOKEN;

    @BeforeAll
    static void start() {
        server = ApplicationContext.run(EmbeddedServer.class, Map.of("micronaut.server.port", -1,
                // nothing listens there: a range request must answer 503, not hang or pretend
                "micronaut.http.services.aggregator.url", "http://127.0.0.1:9",
                // a unit test: the token of the environment only, no broker to follow
                "funnelflow.security.api-tokens", TOKEN,
                "funnelflow.security.credentials.bootstrap", "",
                FailureRoutes.ENABLED, "true"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static HttpResponse<String> post(String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.getURL() + path)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static String metricsBody() throws Exception {
        ObjectNode body = Json.mapper().createObjectNode();
        body.set("metrics", Json.mapper().readTree(Json.mapper().writerFor(io.funnelflow.insights.metrics.Metrics.class)
                .writeValueAsString(Funnels.shopA())));
        return body.toString();
    }

    @Test
    void postedMetricsGetRulesInsightsSayingWhyAndTheAliasAnswersTheSame() throws Exception {
        String body = metricsBody();
        assertThat(body).contains("\"converted_sessions\"", "\"revenue_by_source\"", "\"events_by_hour\"");
        HttpResponse<String> first = post("/api/insights", body);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        JsonNode json = Json.mapper().readTree(first.body());
        assertThat(json.path("analyst").path("kind").asText()).isEqualTo("rules");
        assertThat(json.path("analyst").path("reason").asText()).contains("no LLM is configured");
        assertThat(json.path("observations")).hasSizeBetween(3, 5);
        assertThat(json.path("observations").get(0).path("text").asText()).contains("product_view to add_to_cart", "70.0%");
        assertThat(json.path("recommendations").get(0).path("observation_id").asText()).isEqualTo("o1");
        assertThat(json.path("recommendations").get(0).path("figures").toString()).contains("funnel.largest_drop.drop_off_rate = 70.0%");
        assertThat(json.path("range").path("from").asText()).isEqualTo("2026-11-15T00:00:00Z");
        assertThat(json.path("generated_at").asText()).isNotBlank();
        assertThat(json.path("id").asText()).isNotBlank();
        assertThat(json.path("facts").toString()).contains("\"funnel.largest_drop\"");

        // the same data again is the cached answer: same id, no second analysis
        JsonNode again = Json.mapper().readTree(post("/api/generate_insights", body).body());
        assertThat(again.path("id").asText()).isEqualTo(json.path("id").asText());
    }

    @Test
    void otherDataIsAnotherAnswer() throws Exception {
        String a = Json.mapper().readTree(post("/api/insights", metricsBody()).body()).path("id").asText();
        ObjectNode other = (ObjectNode) Json.mapper().readTree(metricsBody());
        ((ObjectNode) other.path("metrics").path("current")).put("sessions", 1200);
        JsonNode b = Json.mapper().readTree(post("/api/insights", other.toString()).body());
        assertThat(b.path("id").asText()).isNotEqualTo(a);
        assertThat(b.path("range").path("data_version").asText()).isNotBlank();
    }

    @Test
    void badInputIsA400NamingTheField() throws Exception {
        assertProblem(post("/api/insights", "{\"hours\": 0}"), "hours");
        assertProblem(post("/api/insights", "{\"hours\": \"a day\"}"), "hours");
        assertProblem(post("/api/insights", "{\"hours\": 2.5}"), "hours");
        assertProblem(post("/api/insights", "{\"breakdown\": \"country\"}"), "breakdown");
        assertProblem(post("/api/insights", "{\"hourz\": 3}"), "hourz");
        assertProblem(post("/api/insights", "[1, 2]"), "body");
        assertProblem(post("/api/generate_insights", "{}"), "metrics");
        assertProblem(post("/api/insights", "{\"metrics\": {\"funnel\": []}}"), "metrics.funnel");
        String body = metricsBody();
        assertProblem(post("/api/insights", body.replace("\"converted_sessions\":42", "\"converted_sessions\":4200")),
                "metrics.current.converted_sessions");
        assertProblem(post("/api/insights", body.replace("\"sessions\":1100", "\"sessions\":\"many\"")), "metrics.current.sessions");
        assertProblem(post("/api/insights", body.replace("{\"metrics\":", "{\"hours\": 3, \"metrics\":")), "hours");
    }

    /**
     * Numbers a shop cannot mean are refused by field and reason before they are read: the JSON parser
     * makes an infinite double of 1e400, and 1e100000000 as a decimal would make any sum unbounded.
     */
    @Test
    void unboundedNumbersAndBadNamesAreRefusedBeforeAnyFactIsComputed() throws Exception {
        for (String hostile : new String[]{"1e400", "1e100000000", "-1e400", "1e-100000000", "1234567890123456"}) {
            assertProblem(post("/api/insights", withRaw("current", "revenue", hostile)), "metrics.current.revenue");
        }
        assertProblem(post("/api/insights", withRaw("current", "sessions", "1e400")), "metrics.current.sessions");
        ObjectNode named = (ObjectNode) Json.mapper().readTree(metricsBody());
        ((ObjectNode) named.path("metrics").path("funnel").get(0)).put("label", "land\u0000ing");
        assertProblem(post("/api/insights", named.toString()), "metrics.funnel[0].label");
        assertProblem(post("/api/generate_insights", "{\"metrics\":{\"ad_clicks\":1e100000000,\"landings\":5,\"product_views\":2,"
                + "\"adds\":1,\"purchases\":1}}"), "metrics.ad_clicks");
        assertProblem(post("/api/generate_insights", "{\"metrics\":{\"ad_clicks\":10,\"landings\":5,\"product_views\":20,"
                + "\"adds\":1,\"purchases\":1}}"), "metrics.product_views");
        assertProblem(post("/api/generate_insights", "{\"metrics\":{\"landings\":5,\"product_views\":2,\"adds\":1}}"),
                "metrics.purchases");
    }

    @Test
    void anUnreachableAggregatorIsA503WithRetryAfter() throws Exception {
        HttpResponse<String> r = post("/api/insights", "{\"hours\": 24}");
        JsonNode body = ProblemAssertions.assertUnavailable(r);
        assertThat(body.path("title").asText()).isEqualTo("aggregator unavailable");
        assertThat(body.path("reason").asText()).contains("aggregator");
    }

    @Test
    void everyErrorIsAProblem() throws Exception {
        JsonNode bad = ProblemAssertions.assertProblem(post("/api/insights", "{\"hours\": 0}"), 400);
        assertThat(bad.path("title").asText()).isEqualTo("invalid request");
        assertThat(bad.path("field").asText()).isEqualTo("hours");
        ProblemAssertions.assertProblem(post("/api/insights", "{\"hours\": "), 400);
        ProblemAssertions.assertProblem(get("/api/no-such-thing"), 404);
        // a GET where only POST is offered
        ProblemAssertions.assertProblem(get("/api/insights"), 405);
        ProblemAssertions.assertServerFailureLeaksNothing(get(FailureRoutes.UNEXPECTED));
        // without a token: a 401 problem too (the 403 of a read token on an admin route is InsightsIT's route test)
        ProblemAssertions.assertProblem(HTTP.send(HttpRequest.newBuilder(URI.create(server.getURL() + "/api/insights"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"hours\": 24}")).build(),
                HttpResponse.BodyHandlers.ofString()), 401);
    }

    static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.getURL() + path)).header("Authorization", "Bearer " + TOKEN).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The metrics body with one field of {@code period} set to a number written exactly as {@code raw}. */
    static String withRaw(String period, String field, String raw) throws Exception {
        ObjectNode body = (ObjectNode) Json.mapper().readTree(metricsBody());
        ((ObjectNode) body.path("metrics").path(period)).put(field, "@@raw@@");
        String json = body.toString();
        assertThat(json).contains("\"@@raw@@\"");
        return json.replace("\"@@raw@@\"", raw);
    }

    static void assertProblem(HttpResponse<String> r, String field) throws Exception {
        JsonNode json = ProblemAssertions.assertProblem(r, 400);
        assertThat(json.path("field").asText()).as(r.body()).isEqualTo(field);
        assertThat(json.path("reason").asText()).isNotBlank();
    }

    @Test
    void theApiDocumentNamesEveryRouteAndItsUiIsServedFromHere() throws Exception {
        JsonNode document = ApiDocsAssertions.assertEveryRouteIsDocumented(server);
        assertThat(document.path("info").path("title").asText()).isEqualTo("FunnelFlow insights-service");
        ApiDocsAssertions.assertTheUiIsServedFromLocalAssets(server);
    }
}
