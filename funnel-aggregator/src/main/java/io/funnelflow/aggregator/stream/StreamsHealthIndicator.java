package io.funnelflow.aggregator.stream;

import io.funnelflow.service.health.GroupProgress;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.apache.kafka.streams.KafkaStreams;
import org.reactivestreams.Publisher;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /health} is DOWN when the aggregation is not running (it is UP while it rebalances), when fewer
 * stream threads are alive than configured, or when it makes no progress while input is waiting: its
 * committed offsets on {@code funnelflow.events} and its repartition topics have not moved for the stall
 * bound although records are there to read (a thread stuck on a record, or failing on it for ever).
 */
@Singleton
public class StreamsHealthIndicator implements HealthIndicator {

    private final StreamsLifecycle streams;
    private final GroupProgress progress;

    public StreamsHealthIndicator(StreamsLifecycle streams, @Named("streams") GroupProgress progress) {
        this.streams = streams;
        this.progress = progress;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        KafkaStreams.State state = streams.state();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("state", state.name());
        boolean running = state.isRunningOrRebalancing() || state == KafkaStreams.State.CREATED;
        int alive = running ? streams.aliveThreads() : 0;
        details.put("threads", alive + " of " + streams.configuredThreads());
        details.putAll(progress.details());
        boolean stalled = progress.status().isStalled();
        if (stalled) {
            details.put("reason", "input is waiting and the stream has not committed past it for " + progress.stallAfter());
        } else if (running && state == KafkaStreams.State.RUNNING && alive < streams.configuredThreads()) {
            details.put("reason", "a stream thread died");
        }
        boolean up = running && !stalled && (state != KafkaStreams.State.RUNNING || alive >= streams.configuredThreads());
        return Publishers.just(HealthResult.builder("streams", up ? HealthStatus.UP : HealthStatus.DOWN).details(details).build());
    }
}
