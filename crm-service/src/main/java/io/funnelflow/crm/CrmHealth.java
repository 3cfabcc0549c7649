package io.funnelflow.crm;

import io.funnelflow.crm.store.CrmSink;
import io.funnelflow.crm.stream.CrmStreams;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import jakarta.inject.Singleton;
import org.apache.kafka.streams.KafkaStreams;
import org.reactivestreams.Publisher;

import java.util.Map;

/** {@code /health} is DOWN when the lifecycle stream or its PostgreSQL sink has stopped: the leads would silently freeze. */
@Singleton
public class CrmHealth implements HealthIndicator {

    private final CrmStreams streams;
    private final CrmSink sink;

    public CrmHealth(CrmStreams streams, CrmSink sink) {
        this.streams = streams;
        this.sink = sink;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        KafkaStreams.State state = streams.state();
        boolean streamUp = state.isRunningOrRebalancing() || state == KafkaStreams.State.CREATED;
        return Publishers.just(HealthResult.builder("crm", streamUp && sink.isRunning() ? HealthStatus.UP : HealthStatus.DOWN)
                .details(Map.of("stream", state.name(), "sink", sink.isRunning() ? "running" : "stopped",
                        "last_write", sink.lastWrite() == null ? "none yet" : sink.lastWrite().toString()))
                .build());
    }
}
