package io.funnelflow.insights.facts;

import io.funnelflow.insights.metrics.Metrics;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Computes the facts the analysts explain, and nothing else computes numbers: the largest drop-off,
 * conversion per breakdown value and per device and the gap between the best and the worst, revenue
 * per channel, cart abandonment, the change against the previous period and the peak hour.
 */
public final class FactsEngine {

    /** At most this many values of a dimension become facts, the largest first. */
    static final int MAX_VALUES = 5;

    public List<Fact> compute(Metrics m) {
        List<Fact> facts = new ArrayList<>();
        overview(m, facts);
        funnel(m, facts);
        String dimension = m.breakdown() == null ? "utm_source" : m.breakdown();
        segments(dimension, m.segments(), FactKind.SEGMENT_CONVERSION, FactKind.SEGMENT_GAP, facts);
        if (!"device".equals(dimension)) {
            segments("device", m.devices(), FactKind.DEVICE_CONVERSION, FactKind.DEVICE_GAP, facts);
        }
        revenue(m, facts);
        abandonment(m, facts);
        changes(m, facts);
        peakHour(m, facts);
        peakTime(m, facts);
        return List.copyOf(facts);
    }

    private static void overview(Metrics m, List<Fact> facts) {
        Metrics.Period p = m.current();
        Map<String, Figure> f = new LinkedHashMap<>();
        f.put("sessions", Figure.count(p.sessions()));
        f.put("converted_sessions", Figure.count(p.convertedSessions()));
        f.put("conversion_rate", Figure.percent(p.convertedSessions(), p.sessions()));
        f.put("purchases", Figure.count(p.purchases()));
        String label = f.get("sessions").text() + " sessions, " + f.get("converted_sessions").text() + " of them converted ("
                + f.get("conversion_rate").text() + "), " + f.get("purchases").text() + " purchases";
        if (p.revenue() != null) {
            f.put("revenue", Figure.of(p.revenue(), Unit.CURRENCY));
            label += ", revenue " + f.get("revenue").text();
        }
        if (p.purchases() > 0 && p.revenue() != null) {
            f.put("average_order_value", Figure.of(p.revenue().divide(BigDecimal.valueOf(p.purchases()), 2, RoundingMode.HALF_UP), Unit.CURRENCY));
            label += ", average order value " + f.get("average_order_value").text();
        }
        facts.add(new Fact("overview", FactKind.OVERVIEW, null, label, f));
    }

    private static void funnel(Metrics m, List<Fact> facts) {
        List<Metrics.Step> steps = m.funnel();
        if (steps.size() < 2 || steps.get(0).count() == 0) {
            return;
        }
        Metrics.Step first = steps.get(0);
        Metrics.Step last = steps.get(steps.size() - 1);
        Map<String, Figure> overall = new LinkedHashMap<>();
        overall.put("entered", Figure.count(first.count()));
        overall.put("completed", Figure.count(last.count()));
        overall.put("conversion_rate", Figure.percent(last.count(), first.count()));
        facts.add(new Fact("funnel.overall", FactKind.FUNNEL_OVERALL, last.label(), overall.get("entered").text() + " sessions entered the funnel at "
                + first.label() + " and " + overall.get("completed").text() + " reached " + last.label() + " ("
                + overall.get("conversion_rate").text() + ")", overall));

        int worst = -1;
        double worstRate = -1;
        for (int i = 1; i < steps.size(); i++) {
            long before = steps.get(i - 1).count();
            double rate = before == 0 ? 0 : (before - steps.get(i).count()) / (double) before;
            if (rate > worstRate) {
                worstRate = rate;
                worst = i;
            }
        }
        Metrics.Step from = steps.get(worst - 1);
        Metrics.Step to = steps.get(worst);
        Map<String, Figure> drop = new LinkedHashMap<>();
        drop.put("drop_off_rate", Figure.percent(from.count() - to.count(), from.count()));
        drop.put("sessions_lost", Figure.count(from.count() - to.count()));
        drop.put("sessions_at_step", Figure.count(from.count()));
        drop.put("step_conversion", Figure.percent(to.count(), from.count()));
        facts.add(new Fact("funnel.largest_drop", FactKind.LARGEST_DROP, from.label() + " → " + to.label(), "The largest drop-off is from " + from.label() + " to "
                + to.label() + ": " + drop.get("drop_off_rate").text() + " of the " + drop.get("sessions_at_step").text()
                + " sessions at " + from.label() + " (" + drop.get("sessions_lost").text() + ") go no further", drop));
    }

    private static void segments(String dimension, Map<String, Metrics.Segment> segments, FactKind conversionKind,
                                 FactKind gapKind, List<Fact> facts) {
        if (segments.isEmpty()) {
            return;
        }
        long total = segments.values().stream().mapToLong(Metrics.Segment::sessions).sum();
        long minimum = Math.max(1, Math.round(total * 0.02));
        List<Map.Entry<String, Metrics.Segment>> largest = segments.entrySet().stream()
                .filter(e -> e.getValue().sessions() >= minimum)
                .sorted(Comparator.comparingLong((Map.Entry<String, Metrics.Segment> e) -> e.getValue().sessions()).reversed()
                        .thenComparing(Map.Entry::getKey))
                .limit(MAX_VALUES)
                .toList();
        String noun = noun(dimension);
        List<Fact> rates = new ArrayList<>();
        for (Map.Entry<String, Metrics.Segment> e : largest) {
            Map<String, Figure> f = new LinkedHashMap<>();
            f.put("sessions", Figure.count(e.getValue().sessions()));
            f.put("converted", Figure.count(e.getValue().converted()));
            f.put("conversion_rate", Figure.percent(e.getValue().converted(), e.getValue().sessions()));
            Fact fact = new Fact(dimension + "." + slug(e.getKey()) + ".conversion", conversionKind, e.getKey(),
                    capitalize(noun) + " " + e.getKey() + ": " + f.get("sessions").text() + " sessions entered the funnel, "
                            + f.get("converted").text() + " completed it (" + f.get("conversion_rate").text() + ")", f);
            rates.add(fact);
            facts.add(fact);
        }
        if (rates.size() < 2) {
            return;
        }
        Comparator<Fact> byRate = Comparator.comparing(x -> x.figure("conversion_rate").value());
        Fact best = rates.stream().max(byRate).orElseThrow();
        Fact worst = rates.stream().min(byRate).orElseThrow();
        if (best.figure("conversion_rate").value().compareTo(worst.figure("conversion_rate").value()) == 0) {
            return;
        }
        Map<String, Figure> gap = new LinkedHashMap<>();
        gap.put("best_rate", best.figure("conversion_rate"));
        gap.put("worst_rate", worst.figure("conversion_rate"));
        gap.put("gap", Figure.of(best.figure("conversion_rate").value().subtract(worst.figure("conversion_rate").value()), Unit.PERCENTAGE_POINTS));
        gap.put("best_sessions", best.figure("sessions"));
        gap.put("worst_sessions", worst.figure("sessions"));
        facts.add(new Fact(dimension + ".gap", gapKind, best.subject() + " / " + worst.subject(), "Among " + noun + "s, " + best.subject() + " converts best ("
                + gap.get("best_rate").text() + ") and " + worst.subject() + " worst (" + gap.get("worst_rate").text() + "), a gap of "
                + gap.get("gap").text(), gap));
    }

    private static void revenue(Metrics m, List<Fact> facts) {
        BigDecimal total = m.revenueBySource().values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        if (total.signum() == 0) {
            return;
        }
        List<Map.Entry<String, BigDecimal>> largest = m.revenueBySource().entrySet().stream()
                .sorted(Map.Entry.<String, BigDecimal>comparingByValue().reversed().thenComparing(Map.Entry::getKey))
                .limit(MAX_VALUES)
                .toList();
        for (Map.Entry<String, BigDecimal> e : largest) {
            Map<String, Figure> f = new LinkedHashMap<>();
            f.put("revenue", Figure.of(e.getValue(), Unit.CURRENCY));
            f.put("share", Figure.of(e.getValue().multiply(BigDecimal.valueOf(100)).divide(total, 4, RoundingMode.HALF_UP), Unit.PERCENT));
            facts.add(new Fact("revenue.utm_source." + slug(e.getKey()), FactKind.CHANNEL_REVENUE, e.getKey(), "Channel " + e.getKey()
                    + " brought revenue of " + f.get("revenue").text() + ", " + f.get("share").text() + " of all revenue", f));
        }
        Map.Entry<String, BigDecimal> top = largest.get(0);
        Map<String, Figure> f = new LinkedHashMap<>();
        f.put("revenue", Figure.of(top.getValue(), Unit.CURRENCY));
        f.put("share", Figure.of(top.getValue().multiply(BigDecimal.valueOf(100)).divide(total, 4, RoundingMode.HALF_UP), Unit.PERCENT));
        f.put("channels", Figure.count(m.revenueBySource().size()));
        facts.add(new Fact("revenue.top_channel", FactKind.TOP_REVENUE_CHANNEL, top.getKey(), top.getKey() + " is the channel with the most revenue: "
                + f.get("revenue").text() + ", " + f.get("share").text() + " of the revenue of " + f.get("channels").text() + " channels", f));
    }

    private static void abandonment(Metrics m, List<Fact> facts) {
        Metrics.Period p = m.current();
        if (p.cartSessions() == 0) {
            return;
        }
        Map<String, Figure> f = new LinkedHashMap<>();
        f.put("cart_sessions", Figure.count(p.cartSessions()));
        f.put("abandoned_carts", Figure.count(p.abandonedCarts()));
        f.put("abandonment_rate", Figure.percent(p.abandonedCarts(), p.cartSessions()));
        facts.add(new Fact("cart.abandonment", FactKind.CART_ABANDONMENT, null, f.get("abandoned_carts").text() + " of "
                + f.get("cart_sessions").text() + " sessions with a cart ended without a purchase ("
                + f.get("abandonment_rate").text() + " cart abandonment)", f));
    }

    private static void changes(Metrics m, List<Fact> facts) {
        Metrics.Period now = m.current();
        Metrics.Period before = m.previous();
        if (before == null || before.sessions() == 0) {
            return;
        }
        Map<String, Figure> s = new LinkedHashMap<>();
        s.put("current", Figure.count(now.sessions()));
        s.put("previous", Figure.count(before.sessions()));
        s.put("change", Figure.of((now.sessions() - before.sessions()) * 100.0 / before.sessions(), Unit.PERCENT));
        facts.add(new Fact("change.sessions", FactKind.CHANGE_SESSIONS, null, "Sessions " + direction(s.get("change")) + " "
                + abs(s.get("change")) + " against the previous period of the same length (" + s.get("current").text()
                + " against " + s.get("previous").text() + ")", s));

        Figure rateNow = Figure.percent(now.convertedSessions(), now.sessions());
        Figure rateBefore = Figure.percent(before.convertedSessions(), before.sessions());
        Map<String, Figure> c = new LinkedHashMap<>();
        c.put("current", rateNow);
        c.put("previous", rateBefore);
        c.put("change", Figure.of(rateNow.value().subtract(rateBefore.value()), Unit.PERCENTAGE_POINTS));
        facts.add(new Fact("change.conversion", FactKind.CHANGE_CONVERSION, null, "Conversion " + direction(c.get("change")) + " "
                + abs(c.get("change")) + " (" + rateNow.text() + " against " + rateBefore.text() + " in the previous period)", c));

        if (now.revenue() != null && before.revenue() != null && before.revenue().signum() > 0) {
            Map<String, Figure> r = new LinkedHashMap<>();
            r.put("current", Figure.of(now.revenue(), Unit.CURRENCY));
            r.put("previous", Figure.of(before.revenue(), Unit.CURRENCY));
            r.put("change", Figure.of(now.revenue().subtract(before.revenue()).multiply(BigDecimal.valueOf(100))
                    .divide(before.revenue(), 4, RoundingMode.HALF_UP), Unit.PERCENT));
            facts.add(new Fact("change.revenue", FactKind.CHANGE_REVENUE, null, "Revenue " + direction(r.get("change")) + " "
                    + abs(r.get("change")) + " (" + r.get("current").text() + " against " + r.get("previous").text()
                    + " in the previous period)", r));
        }
    }

    private static void peakHour(Metrics m, List<Fact> facts) {
        long total = m.eventsByHour().values().stream().mapToLong(Long::longValue).sum();
        if (total == 0) {
            return;
        }
        Map.Entry<Integer, Long> peak = m.eventsByHour().entrySet().stream()
                .max(Map.Entry.<Integer, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey(Comparator.reverseOrder())))
                .orElseThrow();
        Map<String, Figure> f = new LinkedHashMap<>();
        f.put("hour", Figure.of(BigDecimal.valueOf(peak.getKey()), Unit.HOUR));
        f.put("events", Figure.count(peak.getValue()));
        f.put("share", Figure.percent(peak.getValue(), total));
        facts.add(new Fact("traffic.peak_hour", FactKind.PEAK_HOUR, null, "The busiest hour of the day is " + f.get("hour").text()
                + " UTC with " + f.get("events").text() + " events, " + f.get("share").text() + " of the day's activity", f));
    }

    private static final String[] WEEKDAYS = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};

    /** The busiest hour of the week (weekday × hour, UTC): "peak activity is Wednesday 14:00–15:00". */
    private static void peakTime(Metrics m, List<Fact> facts) {
        long total = m.eventsByWeekdayHour().values().stream().mapToLong(Long::longValue).sum();
        if (total == 0) {
            return;
        }
        Map.Entry<Integer, Long> peak = m.eventsByWeekdayHour().entrySet().stream()
                .max(Map.Entry.<Integer, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey(Comparator.reverseOrder())))
                .orElseThrow();
        String weekday = WEEKDAYS[peak.getKey() / 24];
        int hour = peak.getKey() % 24;
        Map<String, Figure> f = new LinkedHashMap<>();
        f.put("hour", Figure.of(BigDecimal.valueOf(hour), Unit.HOUR));
        f.put("until", Figure.of(BigDecimal.valueOf((hour + 1) % 24), Unit.HOUR));
        f.put("events", Figure.count(peak.getValue()));
        f.put("share", Figure.percent(peak.getValue(), total));
        facts.add(new Fact("traffic.peak_time", FactKind.PEAK_TIME, weekday, "Peak activity is " + weekday + " "
                + f.get("hour").text() + "–" + f.get("until").text() + " UTC with " + f.get("events").text() + " events, "
                + f.get("share").text() + " of the range's activity", f));
    }

    static String noun(String dimension) {
        return switch (dimension) {
            case "utm_source" -> "channel";
            case "utm_medium" -> "medium";
            case "utm_campaign" -> "campaign";
            default -> dimension;
        };
    }

    private static String direction(Figure change) {
        int sign = change.value().signum();
        return sign > 0 ? "rose by" : sign < 0 ? "fell by" : "changed by";
    }

    private static String abs(Figure change) {
        return Figure.of(change.value().abs(), change.unit()).text();
    }

    static String slug(String value) {
        String s = value.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
        return s.isEmpty() ? "none" : s;
    }

    private static String capitalize(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
