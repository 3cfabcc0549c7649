package io.funnelflow.prediction.incentive;

/** What may be offered to a live session. */
public enum Incentive {
    DISCOUNT("discount"),
    LOYALTY_POINTS("loyalty_points"),
    FREE_SHIPPING("free_shipping"),
    URGENCY("urgency_message"),
    NONE("none");

    private final String wireName;

    Incentive(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
