package io.funnelflow.simulator.shop;

/**
 * Where a visit comes from, and how well that kind of visit converts.
 *
 * @param share      its share of visits
 * @param conversion a factor on every step's probability (1 = the configured probabilities)
 * @param paid       whether the visit begins with an ad click
 */
public record Channel(String source, String medium, String campaign, double share, double conversion, boolean paid) {

    /** Direct visits come without campaign tags. */
    public boolean tagged() {
        return !"direct".equals(source);
    }
}
