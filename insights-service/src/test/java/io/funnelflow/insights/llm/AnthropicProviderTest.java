package io.funnelflow.insights.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.funnelflow.contract.json.Json;
import io.funnelflow.insights.Funnels;
import io.funnelflow.insights.analyst.Insights;
import io.funnelflow.insights.analyst.InsightsEngine;
import io.funnelflow.insights.metrics.Metrics;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The second provider: Anthropic's Messages API, answered by a local server speaking its wire format. */
class AnthropicProviderTest {

    record Seen(String apiKey, String version, JsonNode body) {
    }

    @Test
    void theMessagesApiGetsTheKeyItsWayAndAFaithfulAnswerIsTheLlms() throws Exception {
        List<Seen> seen = new ArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/messages", exchange -> {
            try (exchange) {
                JsonNode body = Json.mapper().readTree(exchange.getRequestBody());
                seen.add(new Seen(exchange.getRequestHeaders().getFirst("x-api-key"),
                        exchange.getRequestHeaders().getFirst("anthropic-version"), body));
                ObjectNode message = Json.mapper().createObjectNode();
                message.put("id", "msg_test_1");
                message.put("type", "message");
                message.put("role", "assistant");
                message.put("model", body.path("model").asText());
                message.putArray("content").addObject().put("type", "text").put("text", LlmInsightsTest.FAITHFUL);
                message.put("stop_reason", "end_turn");
                message.putNull("stop_sequence");
                message.putObject("usage").put("input_tokens", 900).put("output_tokens", 250);
                byte[] bytes = Json.mapper().writeValueAsBytes(message);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        });
        server.start();
        try {
            LlmSettings settings = new LlmSettings("anthropic", "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/",
                    "claude-test", "ant-key-77", Duration.ofSeconds(20), 0);
            InsightsEngine engine = new InsightsEngine(Optional.of(new LlmAnalyst(ChatModels.create(settings), settings,
                    Prompts.current())), Clock.systemUTC());
            Metrics m = Funnels.shopA();

            Insights insights = engine.explain(m, new Insights.Range(m.from(), m.to(), null, "utm_source", "v"));

            assertThat(seen).hasSize(1);
            assertThat(seen.get(0).apiKey()).isEqualTo("ant-key-77");
            assertThat(seen.get(0).version()).isNotBlank();
            assertThat(seen.get(0).body().path("model").asText()).isEqualTo("claude-test");
            assertThat(seen.get(0).body().path("system").toString()).contains("You are the analyst");
            assertThat(seen.get(0).body().path("messages").get(0).toString()).contains("funnel.largest_drop");
            assertThat(insights.analyst().kind()).isEqualTo("llm");
            assertThat(insights.analyst().model()).isEqualTo("claude-test");
        } finally {
            server.stop(0);
        }
    }
}
