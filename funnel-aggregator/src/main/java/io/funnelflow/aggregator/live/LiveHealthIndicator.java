package io.funnelflow.aggregator.live;

import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;

/**
 * {@code /health} is DOWN until the live feed's consumer has replayed the recent past and reads on
 * from where the topics ended: before that, the dashboard would miss sessions.
 */
@Singleton
public class LiveHealthIndicator implements HealthIndicator {

    private final LiveConsumer consumer;

    public LiveHealthIndicator(LiveConsumer consumer) {
        this.consumer = consumer;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        return Publishers.just(HealthResult.builder("live-feed", consumer.isReady() ? HealthStatus.UP : HealthStatus.DOWN).build());
    }
}
