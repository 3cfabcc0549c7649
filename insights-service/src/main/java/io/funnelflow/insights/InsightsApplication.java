package io.funnelflow.insights;

import io.micronaut.runtime.Micronaut;

/** The insights service: observations and recommendations grounded in measured numbers. */
public final class InsightsApplication {

    private InsightsApplication() {
    }

    public static void main(String[] args) {
        Micronaut.run(InsightsApplication.class, args);
    }
}
