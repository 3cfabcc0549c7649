package io.funnelflow.prediction;

import io.funnelflow.prediction.model.Trained;
import io.funnelflow.prediction.scoring.Scorer;
import io.funnelflow.prediction.scoring.ScoringStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * What the prediction service does, at {@code /metrics}:
 * <ul>
 *   <li>{@code funnelflow_prediction_model_auc}: the served model's AUC on the sessions it was tested on
 *       (NaN while the base rate answers);</li>
 *   <li>{@code funnelflow_prediction_sessions_scored_total} and {@code funnelflow_prediction_predictions_published_total}:
 *       session updates scored, and predictions published to {@code funnelflow.predictions} (a prediction is
 *       published when it changed meaningfully).</li>
 * </ul>
 */
final class PredictionMeters implements MeterBinder {

    private final Scorer scorer;
    private final ScoringStats stats;

    PredictionMeters(Scorer scorer, ScoringStats stats) {
        this.scorer = scorer;
        this.stats = stats;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("funnelflow.prediction.model.auc", scorer, PredictionMeters::auc)
                .description("AUC of the served model on its test sessions; NaN while the base rate answers")
                .register(registry);
        FunctionCounter.builder("funnelflow.prediction.sessions.scored", stats, ScoringStats::scored)
                .description("session updates scored").register(registry);
        FunctionCounter.builder("funnelflow.prediction.predictions.published", stats, ScoringStats::published)
                .description("predictions published to funnelflow.predictions").register(registry);
    }

    static double auc(Scorer scorer) {
        Trained served = scorer.served();
        return served == null || served.card().auc() == null ? Double.NaN : served.card().auc();
    }
}
