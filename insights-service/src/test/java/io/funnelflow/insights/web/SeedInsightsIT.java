package io.funnelflow.insights.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.funnelflow.contract.json.Json;
import io.funnelflow.testing.TestAccess;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seed 001's insights client, unchanged: its test posts {@code {"metrics": {...}}} with the five flat
 * counts and needs observations and recommendations; its dashboard prints each of them. The answer is
 * computed from the posted counts, not a canned text.
 */
class SeedInsightsIT {

    static EmbeddedServer server;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        Map<String, Object> props = new java.util.HashMap<>(TestAccess.properties());
        props.put("micronaut.server.port", -1);
        props.put("micronaut.http.services.aggregator.url", "http://127.0.0.1:9");
        server = ApplicationContext.run(EmbeddedServer.class, props);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static JsonNode post(String metrics) throws Exception {
        // what requests.post(f"{API_BASE}/api/generate_insights", json={"metrics": metrics}) sends, with the credential
        HttpResponse<String> r = HTTP.send(TestAccess.request(server.getURL() + "/api/generate_insights")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"metrics\": " + metrics + "}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.mapper().readTree(r.body());
    }

    static List<String> texts(JsonNode items) {
        List<String> out = new ArrayList<>();
        items.forEach(i -> out.add(i.isTextual() ? i.asText() : i.path("text").asText()));
        return out;
    }

    @Test
    void theSeedsFlatMetricsGetObservationsAndRecommendationsComputedFromThem() throws Exception {
        JsonNode data = post("{\"ad_clicks\": 1000, \"landings\": 500, \"product_views\": 200, \"adds\": 100, \"purchases\": 50}");
        assertThat(data.has("observations")).isTrue();
        assertThat(data.has("recommendations")).isTrue();
        assertThat(data.get("observations").size()).isGreaterThan(0);
        assertThat(data.get("recommendations").size()).isGreaterThan(0);
        List<String> observations = texts(data.get("observations"));
        assertThat(observations).allSatisfy(t -> assertThat(t).isNotBlank());
        assertThat(texts(data.get("recommendations"))).allSatisfy(t -> assertThat(t).isNotBlank());
        // from these counts: 50 of 500 landings purchased, 50 of 100 carts were abandoned, the largest drop is 60%
        assertThat(String.join(" ", observations)).contains("10.0%", "50.0%", "60.0%");
        assertThat(data.path("analyst").path("kind").asText()).isEqualTo("rules");
        assertThat(data.path("facts").toString()).doesNotContain("\"revenue\"").as("revenue was not given, so nothing is said of it");

        JsonNode other = post("{\"ad_clicks\": 300, \"landings\": 800, \"product_views\": 400, \"adds\": 40, \"purchases\": 36}");
        assertThat(String.join(" ", texts(other.get("observations")))).as("other counts, other facts").contains("90.0%")
                .doesNotContain("60.0%");
    }
}
