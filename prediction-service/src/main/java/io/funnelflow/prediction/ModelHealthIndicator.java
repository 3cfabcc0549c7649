package io.funnelflow.prediction;

import io.funnelflow.prediction.model.Trained;
import io.funnelflow.prediction.scoring.PredictionStream;
import io.funnelflow.prediction.scoring.Scorer;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import jakarta.inject.Singleton;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reports the model in {@code /health}: which trained version is served, or that the baseline answers
 * (UP either way: the baseline is a deliberate answer); DOWN when the live stream has stopped.
 */
@Singleton
public class ModelHealthIndicator extends AbstractHealthIndicator<Map<String, Object>> {

    private final Scorer scorer;
    private final PredictionStream stream;

    public ModelHealthIndicator(Scorer scorer, PredictionStream stream) {
        this.scorer = scorer;
        this.stream = stream;
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
        healthStatus = stream.isRunning() ? HealthStatus.UP : HealthStatus.DOWN;
        return details;
    }

    @Override
    protected String getName() {
        return "model";
    }
}
