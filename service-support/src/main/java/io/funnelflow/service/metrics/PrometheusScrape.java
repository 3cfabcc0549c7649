package io.funnelflow.service.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micronaut.configuration.metrics.management.endpoint.MetricsEndpoint;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.management.endpoint.annotation.Endpoint;
import io.micronaut.management.endpoint.annotation.Read;

/**
 * {@code GET /metrics}: every meter of the service in Prometheus' text format, for a Prometheus server to
 * scrape (JVM, HTTP server, Kafka clients, connection pool and the service's own series, all named
 * {@code funnelflow_*}). It takes the place of Micronaut's JSON metrics endpoint at that path.
 */
@Endpoint(id = "metrics", defaultSensitive = false)
@Replaces(MetricsEndpoint.class)
public class PrometheusScrape {

    /** Prometheus' text exposition format. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;

    public PrometheusScrape(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    /** Every meter of the service, in Prometheus' text format. */
    @Read(produces = CONTENT_TYPE)
    public String scrape() {
        return registry.scrape();
    }
}
