package io.funnelflow.insights.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import io.funnelflow.contract.event.EventValidator;
import io.funnelflow.contract.event.Numbers;
import io.funnelflow.contract.event.Texts;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;

/**
 * Checks posted metrics before any fact is computed from them: the first problem names its field. Every
 * number is bounded as an amount (at most 15 integer digits and 6 decimals, finite) while still JSON,
 * before it is read into a long or a BigDecimal: a JSON parser turns {@code 1e400} into an infinite
 * double, and {@code 1e100000000} as a BigDecimal would make any sum unbounded. Labels and keys are names:
 * at most 100 characters, without control characters or unpaired surrogates.
 */
public final class MetricsValidator {

    static final int MAX_NAME_LENGTH = 100;

    private MetricsValidator() {
    }

    /** Bounds every number of a metrics body, in place, before it is mapped. */
    public static void numbers(String path, JsonNode node) {
        if (node.isNumber()) {
            String problem = node.isFloatingPointNumber() && !node.isBigDecimal()
                    ? Numbers.problem(node.doubleValue(), Numbers.MAX_AMOUNT_DECIMALS)
                    : Numbers.amountProblem(node.decimalValue());
            if (problem != null) {
                throw new BadInputException(path, problem);
            }
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                numbers(path + "." + e.getKey(), e.getValue());
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                numbers(path + "[" + i + "]", node.get(i));
            }
        }
    }

    public static Metrics check(Metrics m) {
        return check(m, true);
    }

    /** @param revenueRequired false for metrics that do not measure revenue (the seed's flat counts) */
    public static Metrics check(Metrics m, boolean revenueRequired) {
        time("metrics.from", m.from());
        time("metrics.to", m.to());
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
            name(field + ".label", s.label());
            if (s.count() < 0) {
                throw new BadInputException(field + ".count", "must not be negative");
            }
            if (i > 0 && s.count() > m.funnel().get(i - 1).count()) {
                throw new BadInputException(field + ".count", "must not exceed the previous step's count (sessions reaching a step in order)");
            }
        }
        period("metrics.current", m.current(), true, revenueRequired);
        period("metrics.previous", m.previous(), false, revenueRequired);
        if (!m.segments().isEmpty()) {
            Breakdowns.parse(m.breakdown() == null ? Breakdowns.DEFAULT : m.breakdown());
        }
        segments("metrics.segments", m.segments());
        segments("metrics.devices", m.devices());
        for (Map.Entry<String, BigDecimal> e : m.revenueBySource().entrySet()) {
            name("metrics.revenue_by_source", e.getKey());
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
        for (Map.Entry<Integer, Long> e : m.eventsByWeekdayHour().entrySet()) {
            if (e.getKey() == null || e.getKey() < 0 || e.getKey() >= Metrics.WEEKDAY_HOURS) {
                throw new BadInputException("metrics.events_by_weekday_hour",
                        "keys are weekday × hour cells, 0 (Monday 00:00) to 167 (Sunday 23:00), not " + e.getKey());
            }
            if (e.getValue() == null || e.getValue() < 0) {
                throw new BadInputException("metrics.events_by_weekday_hour." + e.getKey(), "must be a non-negative count");
            }
        }
        return m;
    }

    private static void time(String field, Instant t) {
        if (t != null && (t.isBefore(EventValidator.RAW_EARLIEST) || !t.isBefore(EventValidator.RAW_LATEST))) {
            throw new BadInputException(field, "must lie between " + EventValidator.RAW_EARLIEST + " and " + EventValidator.RAW_LATEST);
        }
    }

    private static void name(String field, String value) {
        if (value == null) {
            return;
        }
        if (value.length() > MAX_NAME_LENGTH) {
            throw new BadInputException(field, "is longer than " + MAX_NAME_LENGTH + " characters");
        }
        String problem = Texts.problem(value);
        if (problem != null) {
            throw new BadInputException(field, problem);
        }
    }

    private static void period(String field, Metrics.Period p, boolean required, boolean revenueRequired) {
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
        if (p.revenue() == null ? revenueRequired : p.revenue().signum() < 0) {
            throw new BadInputException(field + ".revenue", "is required: a non-negative amount");
        }
    }

    private static void segments(String field, Map<String, Metrics.Segment> segments) {
        segments.forEach((value, s) -> {
            name(field, value);
            if (s == null || s.sessions() < 0 || s.converted() < 0) {
                throw new BadInputException(field + "." + value, "needs non-negative sessions and converted");
            }
            if (s.converted() > s.sessions()) {
                throw new BadInputException(field + "." + value + ".converted", "must not exceed sessions");
            }
        });
    }
}
