package io.funnelflow.insights.metrics;

import java.math.BigDecimal;
import java.util.Map;

/** Checks posted metrics before any fact is computed from them: the first problem names its field. */
public final class MetricsValidator {

    private MetricsValidator() {
    }

    public static Metrics check(Metrics m) {
        if (m.from() != null && m.to() != null && !m.from().isBefore(m.to())) {
            throw new BadInputException("metrics.from", "must be before metrics.to");
        }
        if (m.funnel().size() < 2) {
            throw new BadInputException("metrics.funnel", "is required: at least two steps, each {label, count}");
        }
        for (int i = 0; i < m.funnel().size(); i++) {
            Metrics.Step s = m.funnel().get(i);
            String field = "metrics.funnel[" + i + "]";
            if (s == null || s.label() == null || s.label().isBlank()) {
                throw new BadInputException(field + ".label", "is required");
            }
            if (s.count() < 0) {
                throw new BadInputException(field + ".count", "must not be negative");
            }
            if (i > 0 && s.count() > m.funnel().get(i - 1).count()) {
                throw new BadInputException(field + ".count", "must not exceed the previous step's count (sessions reaching a step in order)");
            }
        }
        period("metrics.current", m.current(), true);
        period("metrics.previous", m.previous(), false);
        if (!m.segments().isEmpty()) {
            Breakdowns.parse(m.breakdown() == null ? Breakdowns.DEFAULT : m.breakdown());
        }
        segments("metrics.segments", m.segments());
        segments("metrics.devices", m.devices());
        for (Map.Entry<String, BigDecimal> e : m.revenueBySource().entrySet()) {
            if (e.getValue() == null || e.getValue().signum() < 0) {
                throw new BadInputException("metrics.revenue_by_source." + e.getKey(), "must be a non-negative amount");
            }
        }
        for (Map.Entry<Integer, Long> e : m.eventsByHour().entrySet()) {
            if (e.getKey() == null || e.getKey() < 0 || e.getKey() > 23) {
                throw new BadInputException("metrics.events_by_hour", "keys are hours of day, 0 to 23, not " + e.getKey());
            }
            if (e.getValue() == null || e.getValue() < 0) {
                throw new BadInputException("metrics.events_by_hour." + e.getKey(), "must be a non-negative count");
            }
        }
        return m;
    }

    private static void period(String field, Metrics.Period p, boolean required) {
        if (p == null) {
            if (required) {
                throw new BadInputException(field, "is required: {sessions, converted_sessions, revenue, purchases, cart_sessions, abandoned_carts}");
            }
            return;
        }
        if (p.sessions() < 0 || p.convertedSessions() < 0 || p.purchases() < 0 || p.cartSessions() < 0 || p.abandonedCarts() < 0) {
            throw new BadInputException(field, "counts must not be negative");
        }
        if (p.convertedSessions() > p.sessions()) {
            throw new BadInputException(field + ".converted_sessions", "must not exceed sessions");
        }
        if (p.abandonedCarts() > p.cartSessions()) {
            throw new BadInputException(field + ".abandoned_carts", "must not exceed cart_sessions");
        }
        if (p.revenue() == null || p.revenue().signum() < 0) {
            throw new BadInputException(field + ".revenue", "is required: a non-negative amount");
        }
    }

    private static void segments(String field, Map<String, Metrics.Segment> segments) {
        segments.forEach((value, s) -> {
            if (s == null || s.sessions() < 0 || s.converted() < 0) {
                throw new BadInputException(field + "." + value, "needs non-negative sessions and converted");
            }
            if (s.converted() > s.sessions()) {
                throw new BadInputException(field + "." + value + ".converted", "must not exceed sessions");
            }
        });
    }
}
