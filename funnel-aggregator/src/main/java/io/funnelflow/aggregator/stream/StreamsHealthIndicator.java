package io.funnelflow.aggregator.stream;

import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import jakarta.inject.Singleton;
import org.apache.kafka.streams.KafkaStreams;
import org.reactivestreams.Publisher;

import java.util.Map;

/** {@code /health} is DOWN when the aggregation is not running (it is UP while it rebalances). */
@Singleton
public class StreamsHealthIndicator implements HealthIndicator {

    private final StreamsLifecycle streams;

    public StreamsHealthIndicator(StreamsLifecycle streams) {
        this.streams = streams;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        KafkaStreams.State state = streams.state();
        HealthStatus status = state.isRunningOrRebalancing() || state == KafkaStreams.State.CREATED ? HealthStatus.UP : HealthStatus.DOWN;
        return Publishers.just(HealthResult.builder("streams", status).details(Map.of("state", state.name())).build());
    }
}
