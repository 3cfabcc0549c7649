package io.funnelflow.aggregator.store;

import io.funnelflow.service.health.GroupProgress;
import io.funnelflow.service.health.Progress;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /health} is DOWN when the PostgreSQL sink has stopped, when its writes have failed for longer
 * than {@code funnelflow.aggregator.health.failing-after} (PostgreSQL away), when it has not committed
 * past waiting records for the stall bound,
 * or when it is more than {@code funnelflow.aggregator.health.max-sink-lag} records behind: in each case
 * the numbers the queries answer have silently stopped moving, or lag far behind.
 */
@Singleton
public class SinkHealthIndicator implements HealthIndicator {

    private final PostgresSink sink;
    private final GroupProgress progress;
    private final long maxLag;
    private final Duration failingAfter;

    public SinkHealthIndicator(PostgresSink sink, @Named("sink") GroupProgress progress,
                               @Value("${funnelflow.aggregator.health.max-sink-lag:200000}") long maxLag,
                               @Value("${funnelflow.aggregator.health.failing-after:10s}") Duration failingAfter) {
        this.sink = sink;
        this.progress = progress;
        this.maxLag = maxLag;
        this.failingAfter = failingAfter;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("last_write", sink.lastWrite() == null ? "none yet" : sink.lastWrite().toString());
        details.put("refused", sink.refused());
        details.putAll(progress.details());
        details.put("max_lag", maxLag);
        Instant failing = sink.failingSince();
        if (failing != null) {
            details.put("failing_since", failing.toString());
            details.put("last_failure", sink.lastFailure());
        }
        Progress.Status status = progress.status();
        String reason = null;
        if (!sink.isRunning()) {
            reason = "the sink's thread has stopped";
        } else if (failing != null && !failing.plus(failingAfter).isAfter(Instant.now())) {
            reason = "writes to PostgreSQL have failed since " + failing;
        } else if (status.isStalled()) {
            reason = "records are waiting and the sink has not committed past them for " + progress.stallAfter();
        } else if (status.lag() > maxLag) {
            reason = "the sink is " + status.lag() + " records behind (more than " + maxLag + ")";
        }
        if (reason != null) {
            details.put("reason", reason);
        }
        return Publishers.just(HealthResult.builder("postgres-sink", reason == null ? HealthStatus.UP : HealthStatus.DOWN)
                .details(details).build());
    }
}
