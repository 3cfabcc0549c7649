package io.funnelflow.insights.llm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.funnelflow.contract.json.Json;
import io.funnelflow.insights.Funnels;
import io.funnelflow.insights.metrics.Metrics;
import io.funnelflow.testing.TestAccess;
import io.funnelflow.testing.metrics.DashboardAssertions;
import io.funnelflow.testing.metrics.Scrape;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The service with an LLM configured (a local server speaking OpenAI's protocol): {@code /metrics} counts
 * each chat call by outcome and the tokens the provider reported, beside the JVM and HTTP series.
 */
class LlmMetricsTest {

    static final String MODEL = "gpt-test-mini";
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static OpenAiWireServer llm;
    static EmbeddedServer server;

    @BeforeAll
    static void start() throws Exception {
        llm = new OpenAiWireServer(MODEL);
        server = ApplicationContext.run(EmbeddedServer.class, Map.of("micronaut.server.port", -1,
                "micronaut.http.services.aggregator.url", "http://127.0.0.1:9",
                "funnelflow.llm.base-url", llm.baseUrl(), "funnelflow.llm.model", MODEL, "funnelflow.llm.max-retries", 0,
                // a unit test: the token of the environment only (TestAccess's, which Scrape asks with), no broker to follow
                "funnelflow.security.api-tokens", TestAccess.ADMIN_TOKEN, "funnelflow.security.credentials.bootstrap", ""));
    }

    @AfterAll
    static void stop() {
        server.close();
        llm.close();
    }

    static HttpResponse<String> insights(Metrics metrics) throws Exception {
        ObjectNode body = Json.mapper().createObjectNode();
        body.set("metrics", Json.mapper().readTree(Json.mapper().writerFor(Metrics.class).writeValueAsString(metrics)));
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.getURL() + "/api/insights")).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + TestAccess.ADMIN_TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void callsAndTokensAreCountedByOutcome() throws Exception {
        llm.reply(new OpenAiWireServer.Content(LlmInsightsTest.FAITHFUL), new OpenAiWireServer.Status(500, "overloaded"));
        HttpResponse<String> answered = insights(Funnels.shopA());
        assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
        assertThat(Json.mapper().readTree(answered.body()).path("analyst").path("kind").asText()).isEqualTo("llm");
        // another shop's numbers, so not the cached answer: the call fails and the rules answer
        HttpResponse<String> failed = insights(Funnels.shopB());
        assertThat(failed.statusCode()).as(failed.body()).isEqualTo(200);
        assertThat(Json.mapper().readTree(failed.body()).path("analyst").path("kind").asText()).isEqualTo("rules");

        Scrape scrape = Scrape.of(server.getURL().toString());
        String[] ours = {"provider", "openai", "model", MODEL};
        assertThat(scrape.value("funnelflow_insights_llm_calls_total", with(ours, "outcome", "success"))).isEqualTo(1);
        assertThat(scrape.value("funnelflow_insights_llm_calls_total", with(ours, "outcome", "error"))).isEqualTo(1);
        // what the protocol server reports in usage: 812 prompt and 240 completion tokens
        assertThat(scrape.value("funnelflow_insights_llm_tokens_total", with(ours, "kind", "input"))).isEqualTo(812);
        assertThat(scrape.value("funnelflow_insights_llm_tokens_total", with(ours, "kind", "output"))).isEqualTo(240);
        // the HTTP server records a request as its answer completes, which may be just after the client has it
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Scrape.of(server.getURL().toString())
                .value("http_server_requests_seconds_count", "uri", "/api/insights", "service", "insights-service")).isEqualTo(2));
        assertThat(scrape.value("jvm_threads_live_threads")).isPositive();
        DashboardAssertions.assertEverySeriesOfTheDashboardIsExported(scrape, "funnelflow_insights_");
    }

    static String[] with(String[] base, String... more) {
        String[] all = Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }
}
