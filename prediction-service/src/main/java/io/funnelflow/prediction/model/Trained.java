package io.funnelflow.prediction.model;

/** A training run's outcome: its card, and the models unless there was too little history to train any. */
public record Trained(ModelCard card, Propensity propensity, Personas personas) {

    public boolean hasModels() {
        return propensity != null && personas != null;
    }
}
