package io.funnelflow.aggregator.aggregate;

/**
 * What a session's figures are broken down by: all sessions together, or one of the session's first
 * campaign, device and platform values. Figures are kept per dimension separately (marginals), which is
 * what a report broken down by one dimension at a time reads; a second dimension at once would need
 * the product of their values per bucket (see docs/architecture.md).
 */
public enum Dimension {
    ALL("all"),
    UTM_SOURCE("utm_source"),
    UTM_MEDIUM("utm_medium"),
    UTM_CAMPAIGN("utm_campaign"),
    DEVICE("device"),
    PLATFORM("platform");

    /** The value of a session that has none for the dimension. */
    public static final String NONE = "(none)";

    private final String wireName;

    Dimension(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public short code() {
        return (short) ordinal();
    }

    public static Dimension ofCode(int code) {
        return values()[code];
    }

    /** The breakdown dimensions, in order (everything but ALL). */
    public static final Dimension[] BREAKDOWNS = {UTM_SOURCE, UTM_MEDIUM, UTM_CAMPAIGN, DEVICE, PLATFORM};
}
