package io.funnelflow.prediction;

import io.micronaut.runtime.Micronaut;

/** The prediction service: scores live sessions from {@code funnelflow.sessions}. */
public final class PredictionApplication {

    private PredictionApplication() {
    }

    public static void main(String[] args) {
        Micronaut.run(PredictionApplication.class, args);
    }
}
