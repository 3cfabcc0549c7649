package io.funnelflow.prediction.model;

import io.funnelflow.contract.event.EventType;
import io.funnelflow.prediction.features.Features;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.ensemble.EnsembleModel;
import org.tribuo.impl.ArrayExample;

import java.util.Arrays;
import java.util.List;

/**
 * The purchase-propensity model: a random forest over the session's features. Its probability is the
 * forest's averaged vote; the band around it is the spread of the single trees' votes (10th to 90th
 * percentile), wide where the trees disagree.
 */
public final class Propensity {

    public static final Label PURCHASE = new Label(EventType.PURCHASE.wireName());
    public static final Label NO_PURCHASE = new Label("no_purchase");

    private final Model<Label> model;

    public Propensity(Model<Label> model) {
        if (!model.getOutputIDInfo().getDomain().contains(PURCHASE)) {
            throw new IllegalArgumentException("the model does not know the label " + PURCHASE.getLabel());
        }
        this.model = model;
    }

    public Model<Label> model() {
        return model;
    }

    /** P(purchase) with its band. */
    public record Score(double probability, double low, double high) {
    }

    public Score score(Features features) {
        Example<Label> example = example(features, NO_PURCHASE);
        double p = probability(model.predict(example));
        if (!(model instanceof EnsembleModel<Label> forest)) {
            return new Score(p, p, p);
        }
        List<Model<Label>> trees = forest.getModels();
        double[] votes = new double[trees.size()];
        for (int i = 0; i < votes.length; i++) {
            votes[i] = probability(trees.get(i).predict(example));
        }
        Arrays.sort(votes);
        return new Score(p, Math.min(p, percentile(votes, 0.10)), Math.max(p, percentile(votes, 0.90)));
    }

    /** Only the forest's probability, without the band: what the bare model costs. */
    public double probability(Features features) {
        return probability(model.predict(example(features, NO_PURCHASE)));
    }

    static Example<Label> example(Features features, Label label) {
        Features.Vector v = features.vector();
        return new ArrayExample<>(label, v.names(), v.values());
    }

    static double probability(Prediction<Label> prediction) {
        Label scored = prediction.getOutputScores().get(PURCHASE.getLabel());
        return scored == null ? 0 : scored.getScore();
    }

    static double percentile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = (int) Math.ceil(pos);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }
}
