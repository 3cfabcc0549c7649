package io.funnelflow.prediction;

import io.funnelflow.prediction.model.Trained;
import io.funnelflow.prediction.scoring.PredictionStream;
import io.funnelflow.prediction.scoring.Scorer;
import io.funnelflow.service.health.GroupProgress;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reports the model in {@code /health}: which trained version is served, or that the baseline answers
 * (UP either way: the baseline is a deliberate answer); DOWN when the live stream has stopped, when its
 * batches have been failing for {@link #STUCK}, or when session updates are waiting and it has not
 * committed past them for the stall bound ({@code funnelflow.prediction.health.stall-after}).
 */
@Singleton
public class ModelHealthIndicator extends AbstractHealthIndicator<Map<String, Object>> {

    /** Batches failing for longer than this (PostgreSQL or Kafka away) make the service DOWN. */
    static final Duration STUCK = Duration.ofSeconds(30);

    private final Scorer scorer;
    private final PredictionStream stream;
    private final GroupProgress progress;

    public ModelHealthIndicator(Scorer scorer, PredictionStream stream, @Named("prediction") GroupProgress progress) {
        this.scorer = scorer;
        this.stream = stream;
        this.progress = progress;
    }

    @Override
    protected Map<String, Object> getHealthInformation() {
        Map<String, Object> details = new LinkedHashMap<>();
        Trained served = scorer.served();
        details.put("trained_model_served", served != null);
        details.put("model_version", served == null ? Scorer.BASELINE : served.card().version());
        if (served != null) {
            details.put("auc", served.card().auc());
        } else {
            details.put("base_rate", scorer.baseline().rate());
        }
        details.put("stream_running", stream.isRunning());
        Instant failing = stream.failingSince();
        boolean stuck = failing != null && failing.isBefore(Instant.now().minus(STUCK));
        if (failing != null) {
            details.put("failing_since", failing.toString());
        }
        if (stream.fatal() != null) {
            details.put("error", stream.fatal());
        }
        if (stream.lastFailure() != null) {
            details.put("last_failure", stream.lastFailure());
        }
        details.put("refused", stream.refused());
        details.putAll(progress.details());
        boolean stalled = progress.status().isStalled();
        if (stalled) {
            details.put("reason", "session updates are waiting and the stream has not committed past them for "
                    + progress.stallAfter());
        }
        healthStatus = stream.isRunning() && !stuck && !stalled ? HealthStatus.UP : HealthStatus.DOWN;
        return details;
    }

    @Override
    protected String getName() {
        return "model";
    }
}
