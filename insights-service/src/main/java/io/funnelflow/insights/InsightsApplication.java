package io.funnelflow.insights;

import io.micronaut.runtime.Micronaut;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;

/** The insights service: observations and recommendations grounded in measured numbers. */
@OpenAPIDefinition(info = @Info(title = "FunnelFlow insights-service", version = "1",
        description = "Observations and recommendations grounded in the measured numbers, by an LLM or the rule-based analyst."))
public final class InsightsApplication {

    private InsightsApplication() {
    }

    public static void main(String[] args) {
        Micronaut.run(InsightsApplication.class, args);
    }
}
