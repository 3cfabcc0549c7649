package io.funnelflow.aggregator;

import io.micronaut.runtime.Micronaut;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;

/** The funnel aggregator: sessions, funnels and counts from {@code funnelflow.events}, and the query API. */
@OpenAPIDefinition(info = @Info(title = "FunnelFlow funnel-aggregator", version = "1",
        description = "Funnels, KPIs, trends and sessions from the stream, the live feed, and the panels the dashboard gets from the other services."))
public final class AggregatorApplication {

    private AggregatorApplication() {
    }

    public static void main(String[] args) {
        Micronaut.run(AggregatorApplication.class, args);
    }
}
