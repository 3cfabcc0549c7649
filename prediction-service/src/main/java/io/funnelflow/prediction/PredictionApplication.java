package io.funnelflow.prediction;

import io.micronaut.runtime.Micronaut;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;

/** The prediction service: scores live sessions from {@code funnelflow.sessions}. */
@OpenAPIDefinition(info = @Info(title = "FunnelFlow prediction-service", version = "1",
        description = "Purchase probability, persona and incentive: the served model, ad-hoc predictions, and what predictions achieved."))
public final class PredictionApplication {

    private PredictionApplication() {
    }

    public static void main(String[] args) {
        Micronaut.run(PredictionApplication.class, args);
    }
}
