package io.funnelflow.prediction.scoring;

import io.funnelflow.prediction.features.Features;
import io.funnelflow.prediction.incentive.IncentiveRules;
import io.funnelflow.prediction.model.Propensity;
import io.funnelflow.prediction.model.Trained;
import io.funnelflow.prediction.store.SessionHistory;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Scores features with the served model: P(purchase) with its band, the persona and the incentive.
 * Until a model fit to serve exists it answers with the historical base rate and says so
 * ({@code model_version = "baseline"}). The served model is swapped atomically when a new version
 * passes its gates; a scoring call sees one version throughout.
 */
public final class Scorer {

    public static final String BASELINE = "baseline";
    public static final String UNKNOWN_PERSONA = "unknown";

    private final AtomicReference<Trained> served = new AtomicReference<>();
    private final AtomicReference<SessionHistory.Baseline> baseline = new AtomicReference<>(new SessionHistory.Baseline(0, 0));
    private final IncentiveRules incentives;

    public Scorer(IncentiveRules incentives) {
        this.incentives = incentives;
    }

    /** A score. {@code modelVersion} is {@value #BASELINE} when no trained model is served. */
    public record Scored(double probability, double low, double high, String persona,
                         IncentiveRules.Decision decision, String modelVersion) {

        public boolean baseline() {
            return BASELINE.equals(modelVersion);
        }
    }

    public void serve(Trained trained) {
        if (!trained.card().served() || !trained.hasModels()) {
            throw new IllegalArgumentException("model " + trained.card().version() + " is not fit to serve");
        }
        served.set(trained);
    }

    public void baseline(SessionHistory.Baseline rate) {
        baseline.set(rate);
    }

    /** The served model, or null while the baseline answers. */
    public Trained served() {
        return served.get();
    }

    public IncentiveRules incentives() {
        return incentives;
    }

    public SessionHistory.Baseline baseline() {
        return baseline.get();
    }

    public Scored score(String sessionId, Features features) {
        Trained model = served.get();
        if (model == null) {
            SessionHistory.Baseline b = baseline.get();
            double[] band = b.interval();
            double p = b.rate();
            return new Scored(p, band[0], band[1], UNKNOWN_PERSONA,
                    incentives.decide(sessionId, p, UNKNOWN_PERSONA, features), BASELINE);
        }
        Propensity.Score s = model.propensity().score(features);
        String persona = model.personas().persona(features);
        return new Scored(s.probability(), s.low(), s.high(), persona,
                incentives.decide(sessionId, s.probability(), persona, features), model.card().version());
    }
}
