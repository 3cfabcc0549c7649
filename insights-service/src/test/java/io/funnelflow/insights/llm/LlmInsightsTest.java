package io.funnelflow.insights.llm;

import com.fasterxml.jackson.databind.JsonNode;
import io.funnelflow.insights.Funnels;
import io.funnelflow.insights.analyst.Insights;
import io.funnelflow.insights.analyst.InsightsEngine;
import io.funnelflow.insights.facts.Fact;
import io.funnelflow.insights.facts.FactsEngine;
import io.funnelflow.insights.metrics.Metrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The LLM analyst against a local server speaking OpenAI's chat-completions protocol: what is sent,
 * what is accepted, and every way an answer ends with the rules.
 */
class LlmInsightsTest {

    static final String MODEL = "gpt-test-mini";
    static final String KEY = "sk-test-4f9a";

    static final String FAITHFUL = """
            {"observations": [
              {"id": "o1", "text": "70.0% of the 800 sessions at product_view never add to cart: 560 sessions lost.", "fact_ids": ["funnel.largest_drop"]},
              {"id": "o2", "text": "google converts at 5.0% and facebook at 2.0%, a 3.0 pp gap.", "fact_ids": ["utm_source.gap"]},
              {"id": "o3", "text": "83.8% of carts are abandoned (218 of 260).", "fact_ids": ["cart.abandonment"]}
            ],
            "recommendations": [
              {"text": "Show delivery costs on the product page to cut the 70% drop.", "observation_id": "o1", "fact_ids": ["funnel.largest_drop"]},
              {"text": "Move budget from facebook (2.0%) toward google (5.0%).", "observation_id": "o2", "fact_ids": ["utm_source.gap"]},
              {"text": "Send cart reminders to the 218 abandoned carts.", "observation_id": "o3", "fact_ids": ["cart.abandonment"]}
            ]}""";

    /** The same, but the first recommendation promises a number nobody computed. */
    static final String INVENTED = FAITHFUL.replace("to cut the 70% drop", "to win back 35% of them");

    OpenAiWireServer server;
    final Metrics metrics = Funnels.shopA();
    final List<Fact> facts = new FactsEngine().compute(metrics);

    @BeforeEach
    void start() throws Exception {
        server = new OpenAiWireServer(MODEL);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    InsightsEngine engine(Duration timeout) {
        LlmSettings settings = new LlmSettings("openai", server.baseUrl(), MODEL, KEY, timeout, 0);
        return new InsightsEngine(Optional.of(new LlmAnalyst(ChatModels.create(settings), settings, Prompts.current())), Clock.systemUTC());
    }

    Insights explain() {
        return engine(Duration.ofSeconds(20)).explain(metrics, new Insights.Range(metrics.from(), metrics.to(), null, "utm_source", "v"));
    }

    @Test
    void theFactsGoInThePromptAndAFaithfulAnswerIsReturnedAsTheLlms() {
        server.reply(new OpenAiWireServer.Content(FAITHFUL));

        Insights insights = explain();

        assertThat(server.requests()).hasSize(1);
        OpenAiWireServer.Recorded sent = server.requests().get(0);
        assertThat(sent.authorization()).isEqualTo("Bearer " + KEY);
        assertThat(sent.contentType()).startsWith("application/json");
        JsonNode body = sent.body();
        assertThat(body.path("model").asText()).isEqualTo(MODEL);
        assertThat(body.path("messages").get(0).path("role").asText()).isEqualTo("system");
        assertThat(body.path("messages").get(1).path("role").asText()).isEqualTo("user");
        assertThat(body.path("response_format").path("type").asText()).isEqualTo("json_schema");
        assertThat(body.path("response_format").path("json_schema").path("strict").asBoolean()).isTrue();
        assertThat(body.path("response_format").path("json_schema").path("schema").path("required"))
                .extracting(JsonNode::asText).containsExactly("observations", "recommendations");
        String prompt = sent.lastUserContent();
        for (Fact f : facts) {
            assertThat(prompt).contains("\"id\" : \"" + f.id() + "\"", f.label());
            f.figures().forEach((name, figure) -> assertThat(prompt).contains("\"" + name + "\" : \"" + figure.text() + "\""));
        }

        assertThat(insights.analyst().kind()).isEqualTo("llm");
        assertThat(insights.analyst().model()).isEqualTo(MODEL);
        assertThat(insights.analyst().promptVersion()).isEqualTo(Prompts.VERSION);
        assertThat(insights.analyst().reason()).isNull();
        assertThat(insights.observations()).extracting(o -> o.text())
                .containsExactly("70.0% of the 800 sessions at product_view never add to cart: 560 sessions lost.",
                        "google converts at 5.0% and facebook at 2.0%, a 3.0 pp gap.",
                        "83.8% of carts are abandoned (218 of 260).");
        assertThat(insights.recommendations().get(1).observationId()).isEqualTo("o2");
        assertThat(insights.recommendations().get(1).figures()).contains("utm_source.gap.gap = 3.0 pp");
    }

    @Test
    void anInventedFigureIsSentBackOnceWithTheViolationThenTheRulesAnswer() {
        server.reply(new OpenAiWireServer.Content(INVENTED), new OpenAiWireServer.Content(INVENTED));

        Insights insights = explain();

        assertThat(server.requests()).hasSize(2);
        OpenAiWireServer.Recorded retry = server.requests().get(1);
        List<String> contents = retry.contents();
        assertThat(contents).hasSize(4);
        assertThat(contents.get(2)).isEqualTo(INVENTED);
        assertThat(retry.lastUserContent()).contains("recommendation 1 states 35%, which is not one of the given figures");
        assertThat(insights.analyst().kind()).isEqualTo("rules");
        assertThat(insights.analyst().reason()).contains("rejected twice", "35%");
        assertThat(insights.observations().get(0).text()).contains("from product_view to add_to_cart", "70.0%");
    }

    @Test
    void aCorrectedSecondAnswerIsAccepted() {
        server.reply(new OpenAiWireServer.Content(INVENTED), new OpenAiWireServer.Content(FAITHFUL));

        Insights insights = explain();

        assertThat(server.requests()).hasSize(2);
        assertThat(insights.analyst().kind()).isEqualTo("llm");
        assertThat(insights.recommendations().get(0).text()).contains("70%");
    }

    @Test
    void malformedJsonEndsWithTheRules() {
        String broken = "Here are your insights: {\"observations\": [";
        server.reply(new OpenAiWireServer.Content(broken), new OpenAiWireServer.Content(broken));

        Insights insights = explain();

        assertThat(server.requests()).hasSize(2);
        assertThat(server.requests().get(1).lastUserContent()).contains("not JSON in the required shape");
        assertThat(insights.analyst().kind()).isEqualTo("rules");
        assertThat(insights.analyst().reason()).contains("rejected twice", "not JSON in the required shape");
        assertThat(insights.observations()).hasSizeBetween(3, 5);
    }

    @Test
    void aServerErrorEndsWithTheRules() {
        server.reply(new OpenAiWireServer.Status(500, "The server had an error while processing your request."));

        Insights insights = explain();

        assertThat(server.requests()).hasSize(1);
        assertThat(insights.analyst().kind()).isEqualTo("rules");
        assertThat(insights.analyst().reason()).startsWith("the LLM call failed").contains("server had an error");
        assertThat(insights.observations()).hasSizeBetween(3, 5);
    }

    @Test
    void aTimeoutEndsWithTheRules() {
        server.reply(new OpenAiWireServer.Hang());

        Insights insights = engine(Duration.ofMillis(500))
                .explain(metrics, new Insights.Range(metrics.from(), metrics.to(), null, "utm_source", "v"));

        assertThat(server.requests()).hasSize(1);
        assertThat(insights.analyst().kind()).isEqualTo("rules");
        assertThat(insights.analyst().reason()).startsWith("the LLM call failed").containsIgnoringCase("timeout");
    }

    @Test
    void aFailedCallIsRetriedWithBackoffUpToTheLimit() {
        server.reply(new OpenAiWireServer.Status(503, "overloaded"), new OpenAiWireServer.Content(FAITHFUL));
        LlmSettings settings = new LlmSettings("openai", server.baseUrl(), MODEL, KEY, Duration.ofSeconds(20), 1);
        InsightsEngine retrying = new InsightsEngine(Optional.of(new LlmAnalyst(ChatModels.create(settings), settings,
                Prompts.current())), Clock.systemUTC());

        Insights insights = retrying.explain(metrics, new Insights.Range(metrics.from(), metrics.to(), null, "utm_source", "v"));

        assertThat(server.requests()).hasSize(2);
        assertThat(insights.analyst().kind()).isEqualTo("llm");
    }

    InsightsEngine engine(LlmBudget budget) {
        LlmSettings settings = new LlmSettings("openai", server.baseUrl(), MODEL, KEY, Duration.ofSeconds(20), 0);
        return new InsightsEngine(Optional.of(new LlmAnalyst(ChatModels.create(settings), settings, Prompts.current(), budget)),
                Clock.systemUTC());
    }

    @Test
    void pastTheDailyTokenBudgetTheRulesAnswerAndNoCallIsMade() {
        // each completion of the server reports 1052 tokens used: two calls spend more than 1500
        server.reply(new OpenAiWireServer.Content(FAITHFUL), new OpenAiWireServer.Content(FAITHFUL),
                new OpenAiWireServer.Content(FAITHFUL));
        LlmBudget budget = new LlmBudget(0, 1500, Clock.systemUTC());
        InsightsEngine limited = engine(budget);
        Insights.Range range = new Insights.Range(metrics.from(), metrics.to(), null, "utm_source", "v");

        assertThat(limited.explain(metrics, range).analyst().kind()).isEqualTo("llm");
        assertThat(budget.tokensToday()).isEqualTo(1052);
        assertThat(limited.explain(metrics, range).analyst().kind()).isEqualTo("llm");
        assertThat(budget.tokensToday()).isEqualTo(2104);

        Insights third = limited.explain(metrics, range);

        assertThat(server.requests()).hasSize(2);
        assertThat(third.analyst().kind()).isEqualTo("rules");
        assertThat(third.analyst().reason()).contains("daily LLM token budget", "2104 of 1500");
        assertThat(third.observations()).hasSizeBetween(3, 5);
    }

    @Test
    void pastTheRateLimitTheRulesAnswerAndNoCallIsMade() {
        server.reply(new OpenAiWireServer.Content(FAITHFUL), new OpenAiWireServer.Content(FAITHFUL));
        InsightsEngine limited = engine(new LlmBudget(1, 0, Clock.systemUTC()));
        Insights.Range range = new Insights.Range(metrics.from(), metrics.to(), null, "utm_source", "v");

        assertThat(limited.explain(metrics, range).analyst().kind()).isEqualTo("llm");
        Insights second = limited.explain(metrics, range);

        assertThat(server.requests()).hasSize(1);
        assertThat(second.analyst().kind()).isEqualTo("rules");
        assertThat(second.analyst().reason()).contains("LLM rate limit", "1 calls per minute");
    }

    @Test
    void aRetryOfARejectedAnswerIsACallOfTheBudgetToo() {
        server.reply(new OpenAiWireServer.Content(INVENTED), new OpenAiWireServer.Content(FAITHFUL));
        Insights insights = engine(new LlmBudget(1, 0, Clock.systemUTC()))
                .explain(metrics, new Insights.Range(metrics.from(), metrics.to(), null, "utm_source", "v"));

        assertThat(server.requests()).hasSize(1);
        assertThat(insights.analyst().kind()).isEqualTo("rules");
        assertThat(insights.analyst().reason()).contains("LLM rate limit");
    }
}
