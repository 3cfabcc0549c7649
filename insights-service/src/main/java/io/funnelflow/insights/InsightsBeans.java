package io.funnelflow.insights;

import io.funnelflow.insights.analyst.InsightsEngine;
import io.funnelflow.insights.llm.ChatModels;
import io.funnelflow.insights.llm.LlmAnalyst;
import io.funnelflow.insights.llm.LlmBudget;
import io.funnelflow.insights.llm.LlmMeters;
import io.funnelflow.insights.llm.LlmSettings;
import io.funnelflow.insights.llm.Prompts;
import io.funnelflow.insights.metrics.AggregatorClient;
import io.funnelflow.insights.metrics.AggregatorMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Wires the plain classes: the LLM (when one is configured), the engine, the aggregator source. */
@Factory
public class InsightsBeans {

    private static final Logger LOG = LoggerFactory.getLogger(InsightsBeans.class);

    @Singleton
    LlmSettings llmSettings(@Value("${funnelflow.llm.provider:openai}") String provider,
                            @Value("${funnelflow.llm.base-url:}") String baseUrl,
                            @Value("${funnelflow.llm.model:}") String model,
                            @Value("${funnelflow.llm.api-key:}") String apiKey,
                            @Value("${funnelflow.llm.timeout:30s}") Duration timeout,
                            @Value("${funnelflow.llm.max-retries:2}") int maxRetries) {
        return new LlmSettings(provider, baseUrl, model, apiKey, timeout, maxRetries);
    }

    /** What the LLM may cost: calls per minute and tokens per UTC day (0: no limit). */
    @Singleton
    LlmBudget llmBudget(@Value("${funnelflow.llm.calls-per-minute:20}") long callsPerMinute,
                        @Value("${funnelflow.llm.daily-tokens:500000}") long dailyTokens) {
        return new LlmBudget(callsPerMinute, dailyTokens, Clock.systemUTC());
    }

    @Singleton
    InsightsEngine insightsEngine(LlmSettings settings, LlmBudget budget, MeterRegistry registry) {
        Optional<LlmAnalyst> llm = Optional.empty();
        if (settings.configured()) {
            llm = Optional.of(new LlmAnalyst(ChatModels.create(settings, List.of(new LlmMeters(registry, settings))),
                    settings, Prompts.current(), budget));
            LOG.info("Insights are written by {} model {} at {} (prompt {}), checked against the computed facts",
                    settings.provider(), settings.model(), settings.baseUrl() == null || settings.baseUrl().isBlank()
                            ? "the provider's endpoint" : settings.baseUrl(), Prompts.VERSION);
        } else {
            LOG.info("No LLM is configured: insights are written by the rule-based analyst");
        }
        return new InsightsEngine(llm, Clock.systemUTC());
    }

    @Singleton
    AggregatorMetrics aggregatorMetrics(AggregatorClient client) {
        return new AggregatorMetrics(client);
    }
}
