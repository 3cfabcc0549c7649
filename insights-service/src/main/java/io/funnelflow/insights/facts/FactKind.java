package io.funnelflow.insights.facts;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** What a fact is about; the rule-based analyst reasons per kind. */
public enum FactKind {
    OVERVIEW, FUNNEL_OVERALL, LARGEST_DROP, SEGMENT_CONVERSION, SEGMENT_GAP, DEVICE_CONVERSION, DEVICE_GAP,
    CHANNEL_REVENUE, TOP_REVENUE_CHANNEL, CART_ABANDONMENT, CHANGE_SESSIONS, CHANGE_CONVERSION, CHANGE_REVENUE,
    PEAK_HOUR, PEAK_TIME;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
