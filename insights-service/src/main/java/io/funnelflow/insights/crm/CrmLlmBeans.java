package io.funnelflow.insights.crm;

import io.funnelflow.insights.llm.ChatModels;
import io.funnelflow.insights.llm.LlmSettings;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

import java.util.Optional;

/** The CRM's analyst, on the same LLM client as the insights (none when no model is configured). */
@Factory
public class CrmLlmBeans {

    @Singleton
    CrmAnalyst crmAnalyst(LlmSettings settings) {
        return new CrmAnalyst(settings.configured() ? Optional.of(ChatModels.create(settings)) : Optional.empty(), settings);
    }
}
