package io.funnelflow.insights;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.funnelflow.contract.json.Json;
import io.funnelflow.insights.analyst.Insights;
import io.funnelflow.insights.analyst.InsightsEngine;
import io.funnelflow.insights.metrics.AggregatorMetrics;
import io.funnelflow.insights.metrics.Breakdowns;
import io.funnelflow.insights.metrics.Metrics;
import io.funnelflow.insights.metrics.MetricsValidator;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Answers insight requests, once per (range, breakdown, data version): the dashboard's button asks
 * again and again, and an answer for the same data is the same answer.
 */
@Singleton
public class InsightsService {

    /** What an answer is cached under; {@code hours} is null for posted metrics. */
    record Key(Integer hours, String breakdown, String dataVersion) {
    }

    private final InsightsEngine engine;
    private final AggregatorMetrics aggregator;
    private final Cache<Key, Insights> cache;
    private final Clock clock = Clock.systemUTC();

    public InsightsService(InsightsEngine engine, AggregatorMetrics aggregator,
                           @Value("${funnelflow.insights.cache-size:256}") long cacheSize,
                           @Value("${funnelflow.insights.cache-ttl:1h}") Duration cacheTtl) {
        this.engine = engine;
        this.aggregator = aggregator;
        this.cache = Caffeine.newBuilder().maximumSize(cacheSize).expireAfterWrite(cacheTtl).build();
    }

    /** Insights over the last {@code hours} hours, with segments by {@code breakdown}, from the aggregator. */
    public Insights forRange(int hours, String breakdown) {
        Instant to = clock.instant();
        Instant from = to.minus(Duration.ofHours(hours));
        JsonNode kpis = aggregator.kpis(from, to);
        String version = AggregatorMetrics.dataVersion(kpis);
        return cache.get(new Key(hours, breakdown, version), key -> engine.explain(aggregator.fetch(from, to, breakdown, kpis),
                new Insights.Range(from, to, hours, breakdown, version)));
    }

    /** Insights over posted metrics. */
    public Insights forMetrics(Metrics metrics) {
        return forMetrics(metrics, true);
    }

    /** @param revenueMeasured false for metrics without revenue (the seed's flat counts): no fact speaks of it */
    public Insights forMetrics(Metrics metrics, boolean revenueMeasured) {
        MetricsValidator.check(metrics, revenueMeasured);
        String breakdown = metrics.breakdown() == null ? Breakdowns.DEFAULT : Breakdowns.parse(metrics.breakdown());
        String version;
        try {
            version = AggregatorMetrics.digest(Json.mapper().writer().with(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).writeValueAsString(metrics));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("metrics cannot be written as JSON", e);
        }
        return cache.get(new Key(null, breakdown, version), key -> engine.explain(metrics,
                new Insights.Range(metrics.from(), metrics.to(), null, breakdown, version)));
    }
}
