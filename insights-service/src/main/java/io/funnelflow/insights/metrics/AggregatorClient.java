package io.funnelflow.insights.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.client.annotation.Client;

/** The aggregator's query API, as much of it as the facts need. */
@Client(id = "aggregator")
public interface AggregatorClient {

    @Get("/api/analytics")
    JsonNode analytics(@QueryValue String from, @QueryValue String to);

    @Get("/api/funnel")
    JsonNode funnel(@QueryValue String from, @QueryValue String to, @Nullable @QueryValue String breakdown);

    @Get("/api/trends")
    JsonNode trends(@QueryValue String from, @QueryValue String to, @QueryValue String interval);
}
