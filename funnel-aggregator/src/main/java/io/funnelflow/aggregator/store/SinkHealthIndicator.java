package io.funnelflow.aggregator.store;

import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;

import java.util.HashMap;
import java.util.Map;

/** {@code /health} is DOWN when the PostgreSQL sink has stopped: the numbers would silently stop moving. */
@Singleton
public class SinkHealthIndicator implements HealthIndicator {

    private final PostgresSink sink;

    public SinkHealthIndicator(PostgresSink sink) {
        this.sink = sink;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        Map<String, Object> details = new HashMap<>();
        details.put("last_write", sink.lastWrite() == null ? "none yet" : sink.lastWrite().toString());
        details.put("refused", sink.refused());
        return Publishers.just(HealthResult.builder("postgres-sink", sink.isRunning() ? HealthStatus.UP : HealthStatus.DOWN)
                .details(details).build());
    }
}
