package io.funnelflow.insights.crm;

import io.funnelflow.insights.llm.ChatModels;
import io.funnelflow.insights.llm.LlmMeters;
import io.funnelflow.insights.llm.LlmSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Optional;

/** The CRM's analyst, on the same LLM client as the insights (none when no model is configured). */
@Factory
public class CrmLlmBeans {

    @Singleton
    CrmAnalyst crmAnalyst(LlmSettings settings, MeterRegistry registry) {
        // its calls and tokens are counted with the insights' own at /metrics (the same series)
        return new CrmAnalyst(settings.configured()
                ? Optional.of(ChatModels.create(settings, List.of(new LlmMeters(registry, settings)))) : Optional.empty(), settings);
    }
}
