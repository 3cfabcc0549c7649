package io.funnelflow.insights.facts;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** What a figure counts, which decides how it is rounded and written. */
public enum Unit {
    /** A share, written 12.5%. */
    PERCENT(1),
    /** A difference between two shares, written 3.2 pp. */
    PERCENTAGE_POINTS(1),
    /** An amount of money in the shop's currency, written 1,234.50. */
    CURRENCY(2),
    /** Sessions, events, carts: whole numbers written 1,234. */
    COUNT(0),
    /** An hour of the day (UTC), written 14:00. */
    HOUR(0);

    private final int decimals;

    Unit(int decimals) {
        this.decimals = decimals;
    }

    public int decimals() {
        return decimals;
    }

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
