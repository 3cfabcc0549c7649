package io.funnelflow.prediction.model;

/**
 * How models are trained and when one is fit to serve.
 *
 * @param testShare    the newest share of sessions held back to measure the model on
 * @param minPositives purchasing sessions the training part needs, at least, before a model may serve
 * @param minNegatives sessions without a purchase it needs, at least
 * @param aucFloor     a model whose AUC on the newer sessions is under this is not served
 */
public record TrainingSettings(int trees, int depth, float featureFraction, int snapshotsPerSession, double testShare,
                               int minPositives, int minNegatives, double aucFloor, int personas, long seed) {

    public static TrainingSettings defaults() {
        return new TrainingSettings(30, 8, 0.7f, 2, 0.2, 1000, 1000, 0.7, 5, 42);
    }
}
