package io.funnelflow.crm.rules;

import io.funnelflow.contract.lead.LeadSignals;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The values rules look at for one lead as of one moment: its signals, {@code days_since_engaged}
 * (whole days from its last engagement to that moment), and the fields already decided in this
 * evaluation (intent_score, engagement_health, stage), which later rules may use.
 */
final class Facts {

    private final Map<String, Double> numbers = new HashMap<>();
    private final Map<String, String> texts = new HashMap<>();

    Facts(LeadSignals s, Instant asOf, Instant createdAt) {
        numbers.put("sessions", (double) s.sessions());
        numbers.put("page_views", (double) s.pageViews());
        numbers.put("product_views", (double) s.productViews());
        numbers.put("cart_adds", (double) s.cartAdds());
        numbers.put("checkouts", (double) s.checkouts());
        numbers.put("purchases", (double) s.purchases());
        numbers.put("revenue", s.revenue() == null ? 0.0 : s.revenue().doubleValue());
        if (s.purchaseProbability() != null) {
            numbers.put("purchase_probability", s.purchaseProbability());
        }
        if (s.importedScore() != null) {
            numbers.put("imported_score", (double) s.importedScore());
        }
        Long days = daysSinceEngaged(s, asOf, createdAt);
        if (days != null) {
            numbers.put("days_since_engaged", (double) days);
        }
        put("company_size", s.companySize());
        put("source", s.source());
        put("engagement_channel", s.engagementChannel());
        put("imported_stage", s.importedStage());
    }

    /** Whole days from the last engagement (or the creation, without one) to {@code asOf}; null without either. */
    static Long daysSinceEngaged(LeadSignals s, Instant asOf, Instant createdAt) {
        Instant since = s.lastEngaged() != null ? s.lastEngaged() : createdAt;
        if (since == null || asOf == null) {
            return null;
        }
        return Math.max(0, Duration.between(since, asOf).toDays());
    }

    void put(String name, String value) {
        if (value != null && !value.isBlank()) {
            texts.put(name, value);
        }
    }

    void put(String name, double value) {
        numbers.put(name, value);
    }

    Double number(String name) {
        return numbers.get(name);
    }

    String text(String name) {
        return texts.get(name);
    }

    /** A figure as rules and reasons write it: whole numbers without a fraction, others with up to two digits. */
    static String format(Double v) {
        if (v == null) {
            return "none";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.valueOf(v.longValue());
        }
        return BigDecimal.valueOf(v).setScale(2, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }
}
