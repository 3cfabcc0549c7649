package io.funnelflow.insights;

import io.funnelflow.insights.metrics.Metrics;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Two shops' measured numbers that differ in every way the facts look at. */
public final class Funnels {

    private Funnels() {
    }

    /** Loses most visitors between product view and cart; google converts best, mobile worst; busy at 20:00. */
    public static Metrics shopA() {
        Map<String, Metrics.Segment> channels = new LinkedHashMap<>();
        channels.put("google", new Metrics.Segment(600, 30));
        channels.put("facebook", new Metrics.Segment(300, 6));
        channels.put("newsletter", new Metrics.Segment(100, 4));
        Map<String, Metrics.Segment> devices = new LinkedHashMap<>();
        devices.put("mobile", new Metrics.Segment(700, 21));
        devices.put("desktop", new Metrics.Segment(300, 19));
        Map<String, BigDecimal> revenue = new LinkedHashMap<>();
        revenue.put("google", new BigDecimal("2400.00"));
        revenue.put("facebook", new BigDecimal("450.50"));
        revenue.put("newsletter", new BigDecimal("310.00"));
        Map<Integer, Long> hours = new LinkedHashMap<>();
        hours.put(9, 800L);
        hours.put(13, 1200L);
        hours.put(20, 2600L);
        return new Metrics(Instant.parse("2026-11-15T00:00:00Z"), Instant.parse("2026-11-22T00:00:00Z"),
                List.of(new Metrics.Step("landing", 1000), new Metrics.Step("product_view", 800),
                        new Metrics.Step("add_to_cart", 240), new Metrics.Step("checkout_start", 90),
                        new Metrics.Step("purchase", 40)),
                new Metrics.Period(1100, 42, new BigDecimal("3160.50"), 44, 260, 218),
                new Metrics.Period(1000, 50, new BigDecimal("3900.00"), 52, 240, 190),
                "utm_source", channels, devices, revenue, hours);
    }

    /** Loses most at checkout; email converts best, tiktok worst; tablets lag; busy at 08:00; growing. */
    public static Metrics shopB() {
        Map<String, Metrics.Segment> channels = new LinkedHashMap<>();
        channels.put("tiktok", new Metrics.Segment(900, 9));
        channels.put("email", new Metrics.Segment(400, 36));
        Map<String, Metrics.Segment> devices = new LinkedHashMap<>();
        devices.put("desktop", new Metrics.Segment(800, 32));
        devices.put("tablet", new Metrics.Segment(500, 13));
        Map<String, BigDecimal> revenue = new LinkedHashMap<>();
        revenue.put("email", new BigDecimal("5100.00"));
        revenue.put("tiktok", new BigDecimal("1200.00"));
        Map<Integer, Long> hours = new LinkedHashMap<>();
        hours.put(8, 5000L);
        hours.put(18, 3000L);
        return new Metrics(Instant.parse("2026-11-21T00:00:00Z"), Instant.parse("2026-11-22T00:00:00Z"),
                List.of(new Metrics.Step("landing", 1300), new Metrics.Step("product_view", 1100),
                        new Metrics.Step("add_to_cart", 700), new Metrics.Step("checkout_start", 500),
                        new Metrics.Step("purchase", 45)),
                new Metrics.Period(1400, 47, new BigDecimal("6300.00"), 47, 720, 673),
                new Metrics.Period(1200, 30, new BigDecimal("4000.00"), 31, 600, 570),
                "utm_source", channels, devices, revenue, hours);
    }
}
