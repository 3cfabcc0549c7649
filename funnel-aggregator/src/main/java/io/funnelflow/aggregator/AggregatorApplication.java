package io.funnelflow.aggregator;

import io.micronaut.runtime.Micronaut;

/** The funnel aggregator: sessions, funnels and counts from {@code funnelflow.events}, and the query API. */
public final class AggregatorApplication {

    private AggregatorApplication() {
    }

    public static void main(String[] args) {
        Micronaut.run(AggregatorApplication.class, args);
    }
}
