package io.funnelflow.insights.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the aggregator's answers into {@link Metrics}: the KPIs of the range and of the one before,
 * the funnel by the requested breakdown and by device, and the events per weekday × hour (and so per hour of day).
 */
public final class AggregatorMetrics {

    private final AggregatorClient client;

    public AggregatorMetrics(AggregatorClient client) {
        this.client = client;
    }

    /** The range's KPIs: cheap, and the source of the data version. */
    public JsonNode kpis(Instant from, Instant to) {
        return client.analytics(from.toString(), to.toString());
    }

    /** A digest of the KPIs without their range: equal digests, equal data. */
    public static String dataVersion(JsonNode kpis) {
        ObjectNode copy = kpis.deepCopy();
        copy.remove("from");
        copy.remove("to");
        return digest(copy.toString());
    }

    public static String digest(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    public Metrics fetch(Instant from, Instant to, String breakdown, JsonNode currentKpis) {
        Instant previousFrom = from.minus(java.time.Duration.between(from, to));
        JsonNode previous = client.analytics(previousFrom.toString(), from.toString());
        JsonNode funnel = client.funnel(from.toString(), to.toString(), breakdown);
        JsonNode devices = Breakdowns.DEVICE.equals(breakdown) ? funnel : client.funnel(from.toString(), to.toString(), Breakdowns.DEVICE);
        JsonNode heat = client.trends(from.toString(), to.toString(), "weekday_hour");

        List<Metrics.Step> steps = new ArrayList<>();
        funnel.path("steps").forEach(s -> steps.add(new Metrics.Step(s.path("label").asText(), s.path("count").asLong())));
        Map<String, BigDecimal> revenue = new LinkedHashMap<>();
        currentKpis.path("revenue_by_source").properties().forEach(e -> revenue.put(e.getKey(), e.getValue().decimalValue()));
        // the weekday × hour heatmap (7 × 24 cells, Monday first); its sums per hour are the hour-of-day profile
        Map<Integer, Long> byHour = new java.util.TreeMap<>();
        Map<Integer, Long> byCell = new LinkedHashMap<>();
        JsonNode points = heat.path("points");
        for (int cell = 0; cell < points.size() && cell < Metrics.WEEKDAY_HOURS; cell++) {
            JsonNode p = points.get(cell);
            long events = p.path("events").asLong();
            byCell.put(cell, events);
            byHour.merge(p.path("hour").asInt(cell % 24), events, Long::sum);
        }
        return new Metrics(from, to, steps, period(currentKpis), period(previous), breakdown, segments(funnel),
                Breakdowns.DEVICE.equals(breakdown) ? Map.of() : segments(devices), revenue, byHour, byCell);
    }

    private static Metrics.Period period(JsonNode k) {
        long carts = k.path("cart_sessions").asLong();
        return new Metrics.Period(k.path("sessions").asLong(), k.path("converted_sessions").asLong(),
                k.path("revenue").decimalValue(), k.path("purchases").asLong(), carts,
                Math.round(k.path("cart_abandonment_rate").asDouble() * carts));
    }

    /** Per breakdown value: sessions at the first step and at the last. */
    private static Map<String, Metrics.Segment> segments(JsonNode funnel) {
        Map<String, Metrics.Segment> out = new LinkedHashMap<>();
        funnel.path("breakdown").properties().forEach(e -> {
            JsonNode steps = e.getValue();
            if (steps.size() > 0) {
                out.put(e.getKey(), new Metrics.Segment(steps.get(0).path("count").asLong(), steps.get(steps.size() - 1).path("count").asLong()));
            }
        });
        return out;
    }
}
