package io.funnelflow.aggregator.query;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.funnelflow.aggregator.aggregate.Dimension;
import io.funnelflow.aggregator.aggregate.SessionAggregate;
import io.funnelflow.aggregator.funnel.FunnelReport;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.Union;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The key figures of a range (sessions by their start) and time series of events (by event time), from
 * the figures the stream keeps per hour and day: a query reads the range's bucket rows, never its
 * sessions or events. Unique visitors are the union of the buckets' HyperLogLog sketches: an estimate,
 * and the answer says how good.
 */
public final class AnalyticsQuery {

    /** The most points a series answers; a longer one needs a coarser interval. */
    public static final int MAX_POINTS = 10_000;

    private final DataSource dataSource;

    public AnalyticsQuery(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** How far an estimated figure may be from the truth (95% bounds). */
    public record Estimate(String figure, String method, double lowerBound, double upperBound) {
    }

    /** The KPIs of a range. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Kpis(Instant from, Instant to, long sessions, long uniqueVisitors, long convertedSessions,
                       double conversionRate, long purchases, BigDecimal revenue, BigDecimal averageOrderValue,
                       double averageSessionSeconds, long cartSessions, double cartAbandonmentRate,
                       Map<String, Long> eventsByType, Map<String, BigDecimal> revenueBySource, RangeCover range,
                       List<Estimate> estimates) implements Tabular {

        /** One row per figure, named as in the JSON answer; per-type and per-source figures as {@code events_by_type.<type>}. */
        @Override
        public Table table() {
            Table.Builder t = Table.of("figure", "value")
                    .row("from", range.from()).row("to", range.to())
                    .row("sessions", sessions).row("unique_visitors", uniqueVisitors)
                    .row("converted_sessions", convertedSessions).row("conversion_rate", conversionRate)
                    .row("purchases", purchases).row("revenue", revenue).row("average_order_value", averageOrderValue)
                    .row("average_session_seconds", averageSessionSeconds).row("cart_sessions", cartSessions)
                    .row("cart_abandonment_rate", cartAbandonmentRate);
            eventsByType.forEach((type, n) -> t.row("events_by_type." + type, n));
            revenueBySource.forEach((source, r) -> t.row("revenue_by_source." + source, r));
            return t.build();
        }
    }

    /**
     * One bucket of a series; a weekday × hour cell also names its weekday and hour (UTC).
     *
     * @param weekday the day of the week, for {@code weekday_hour} only
     * @param hour    the hour of day 0–23, for {@code weekday_hour} only
     */
    public record Point(String bucket, long events, BigDecimal revenue, String weekday, Integer hour) {
        public Point(String bucket, long events, BigDecimal revenue) {
            this(bucket, events, revenue, null, null);
        }
    }

    /** The busiest cell of a weekday × hour heatmap: the most events (the earliest in the week on a tie). */
    public record Peak(String bucket, String weekday, int hour, long events, BigDecimal revenue, String label) {
    }

    /** A series; {@code peak} for the weekday × hour heatmap when the range holds any event. */
    public record Trend(String interval, String eventType, Instant from, Instant to, List<Point> points, Peak peak,
                        RangeCover range) implements Tabular {

        /** One row per bucket of the series, empty ones included. */
        @Override
        public Table table() {
            if (Interval.WEEKDAY_HOUR.wireName().equals(interval)) {
                Table.Builder t = Table.of("weekday", "hour", "events", "revenue");
                points.forEach(p -> t.row(p.weekday(), p.hour(), p.events(), p.revenue()));
                return t.build();
            }
            Table.Builder t = Table.of("bucket", "events", "revenue");
            points.forEach(p -> t.row(p.bucket(), p.events(), p.revenue()));
            return t.build();
        }
    }

    /**
     * Series intervals: time buckets (hour, day, month) and profiles (hour of day, weekday, and the 7 × 24
     * weekday × hour heatmap). Every interval but day and month reads the range's hour buckets, so the
     * range may hold at most {@link #MAX_POINTS} hours for them.
     */
    public enum Interval {
        HOUR, DAY, MONTH, HOUR_OF_DAY, WEEKDAY, WEEKDAY_HOUR;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        boolean readsHours() {
            return this != DAY && this != MONTH;
        }

        public static Interval parse(String value) {
            if (value == null || value.isBlank()) {
                return HOUR;
            }
            try {
                return valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new BadParameterException("interval", "must be one of hour, day, month, hour_of_day, weekday, weekday_hour");
            }
        }
    }

    private static final String[] WEEKDAYS = {"", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};

    public Kpis kpis(TimeRange range) throws SQLException {
        RangeCover cover = RangeCover.of(range);
        try (Connection c = dataSource.getConnection()) {
            SessionAggregate total = new SessionAggregate();
            Union visitors = new Union(SessionAggregate.LG_K);
            Map<String, BigDecimal> revenueBySource = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT dimension, value, sessions, converted, purchases, revenue, duration_seconds, carts, abandoned, visitors
                    FROM session_buckets WHERE dimension IN (0, 1) AND """ + RangeCover.condition())) {
                cover.bind(ps, 1);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (rs.getShort(1) == Dimension.UTM_SOURCE.code()) {
                            BigDecimal r = rs.getBigDecimal(6);
                            String source = Dimension.NONE.equals(rs.getString(2)) ? FunnelReport.NO_BREAKDOWN_VALUE : rs.getString(2);
                            revenueBySource.merge(source, r, BigDecimal::add);
                            continue;
                        }
                        total.sessions += rs.getLong(3);
                        total.converted += rs.getLong(4);
                        total.purchases += rs.getLong(5);
                        total.revenue = total.revenue.add(rs.getBigDecimal(6));
                        total.durationSeconds += rs.getLong(7);
                        total.carts += rs.getLong(8);
                        total.abandoned += rs.getLong(9);
                        byte[] hll = rs.getBytes(10);
                        if (hll != null) {
                            visitors.update(HllSketch.heapify(hll));
                        }
                    }
                }
            }
            Map<String, BigDecimal> bySource = new LinkedHashMap<>();
            revenueBySource.entrySet().stream()
                    .filter(e -> e.getValue().signum() > 0)
                    .sorted(Map.Entry.<String, BigDecimal>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                    .forEach(e -> bySource.put(e.getKey(), e.getValue()));
            long sessions = total.sessions;
            long purchases = total.purchases;
            BigDecimal revenue = total.revenue;
            long unique = Math.round(visitors.getEstimate());
            List<Estimate> estimates = List.of(new Estimate("unique_visitors",
                    "HyperLogLog (Apache DataSketches, lgK " + SessionAggregate.LG_K + "), union of the range's buckets",
                    Math.floor(visitors.getLowerBound(2)), Math.ceil(visitors.getUpperBound(2))));
            return new Kpis(range.from(), range.to(), sessions, unique, total.converted, ratio(total.converted, sessions),
                    purchases, revenue, purchases == 0 ? BigDecimal.ZERO : revenue.divide(BigDecimal.valueOf(purchases), 2, RoundingMode.HALF_UP),
                    sessions == 0 ? 0.0 : Math.round(total.durationSeconds * 10.0 / sessions) / 10.0, total.carts,
                    ratio(total.abandoned, total.carts), eventsByType(c, cover), bySource, cover, estimates);
        }
    }

    public Trend trend(TimeRange range, Interval interval, String eventType) throws SQLException {
        RangeCover cover = RangeCover.of(range);
        long hours = java.time.Duration.between(cover.from(), cover.to()).toHours();
        if (interval.readsHours() && hours > MAX_POINTS) {
            // checked before any row is read: these intervals read one bucket row per hour of the range
            throw new BadParameterException("interval", interval.wireName() + " reads the range's hour buckets: at most "
                    + MAX_POINTS + " hours, not " + hours + " (use a shorter range, or interval=day or month)");
        }
        boolean profile = interval == Interval.HOUR_OF_DAY || interval == Interval.WEEKDAY || interval == Interval.WEEKDAY_HOUR;
        String filter = eventType == null || eventType.isBlank() ? "" : " AND event_type = ?";
        String where = profile || interval == Interval.HOUR ? RangeCover.hourCondition() : RangeCover.condition();
        String sql = "SELECT bucket_start, sum(events), sum(revenue) FROM event_buckets WHERE " + where + filter
                + " GROUP BY bucket_start";
        TreeMap<Long, long[]> events = new TreeMap<>();
        TreeMap<Long, BigDecimal> revenue = new TreeMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = profile || interval == Interval.HOUR ? cover.bindHours(ps, 1) : cover.bind(ps, 1);
            if (!filter.isEmpty()) {
                ps.setString(i, eventType);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long key = bucket(interval, rs.getTimestamp(1).toInstant());
                    events.computeIfAbsent(key, k -> new long[1])[0] += rs.getLong(2);
                    revenue.merge(key, rs.getBigDecimal(3), BigDecimal::add);
                }
            }
        }
        List<Point> points = new ArrayList<>();
        Peak peak = null;
        for (long key : keys(interval, cover)) {
            long[] n = events.get(key);
            long count = n == null ? 0 : n[0];
            BigDecimal r = revenue.getOrDefault(key, BigDecimal.ZERO);
            if (interval == Interval.WEEKDAY_HOUR) {
                String weekday = WEEKDAYS[(int) (key / 24) + 1];
                int hour = (int) (key % 24);
                points.add(new Point(label(interval, key), count, r, weekday, hour));
                if (count > 0 && (peak == null || count > peak.events())) {
                    peak = new Peak(label(interval, key), weekday, hour, count, r,
                            String.format(Locale.ROOT, "%s %02d:00–%02d:00 UTC", weekday, hour, (hour + 1) % 24));
                }
            } else {
                points.add(new Point(label(interval, key), count, r));
            }
        }
        return new Trend(interval.wireName(), eventType, range.from(), range.to(), points, peak, cover);
    }

    /** Every bucket of the series in order, empty ones included, so a chart can place each point by time. */
    private static List<Long> keys(Interval interval, RangeCover cover) {
        List<Long> out = new ArrayList<>();
        switch (interval) {
            case HOUR_OF_DAY -> {
                for (long h = 0; h < 24; h++) {
                    out.add(h);
                }
            }
            case WEEKDAY -> {
                for (long d = 1; d <= 7; d++) {
                    out.add(d);
                }
            }
            case WEEKDAY_HOUR -> {
                for (long cell = 0; cell < 7 * 24; cell++) {
                    out.add(cell);
                }
            }
            default -> {
                long first = bucket(interval, cover.from());
                long last = bucket(interval, cover.to().minusNanos(1));
                for (long k = first; k <= last; k = next(interval, k)) {
                    out.add(k);
                    if (out.size() > MAX_POINTS) {
                        throw new BadParameterException("interval", "gives more than " + MAX_POINTS
                                + " points for this range: use a coarser interval (day or month)");
                    }
                }
            }
        }
        return out;
    }

    private static long bucket(Interval interval, Instant at) {
        LocalDateTime t = LocalDateTime.ofInstant(at, ZoneOffset.UTC);
        return switch (interval) {
            case HOUR -> at.truncatedTo(ChronoUnit.HOURS).getEpochSecond();
            case DAY -> at.truncatedTo(ChronoUnit.DAYS).getEpochSecond();
            case MONTH -> t.toLocalDate().withDayOfMonth(1).atStartOfDay().toEpochSecond(ZoneOffset.UTC);
            case HOUR_OF_DAY -> t.getHour();
            case WEEKDAY -> t.getDayOfWeek().getValue();
            // Monday 00:00 is 0, Sunday 23:00 is 167
            case WEEKDAY_HOUR -> (t.getDayOfWeek().getValue() - 1) * 24L + t.getHour();
        };
    }

    private static long next(Interval interval, long key) {
        return switch (interval) {
            case HOUR -> key + 3600;
            case DAY -> key + 86400;
            case MONTH -> LocalDateTime.ofEpochSecond(key, 0, ZoneOffset.UTC).plusMonths(1).toEpochSecond(ZoneOffset.UTC);
            default -> key + 1;
        };
    }

    private static String label(Interval interval, long key) {
        return switch (interval) {
            case HOUR_OF_DAY -> String.format(Locale.ROOT, "%02d:00", key);
            case WEEKDAY -> WEEKDAYS[(int) key];
            case WEEKDAY_HOUR -> String.format(Locale.ROOT, "%s %02d:00", WEEKDAYS[(int) (key / 24) + 1], key % 24);
            default -> Instant.ofEpochSecond(key).toString();
        };
    }

    /** Events by type, the 100 most frequent: any name is a custom event, so the list is bounded here. */
    private static Map<String, Long> eventsByType(Connection c, RangeCover cover) throws SQLException {
        Map<String, Long> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT event_type, sum(events) FROM event_buckets WHERE "
                + RangeCover.condition() + " GROUP BY event_type HAVING sum(events) > 0 ORDER BY 2 DESC, 1 LIMIT 100")) {
            cover.bind(ps, 1);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return out;
    }

    private static double ratio(long part, long whole) {
        return whole == 0 ? 0.0 : Math.round(part * 10000.0 / whole) / 10000.0;
    }

    static Timestamp ts(Instant i) {
        return Timestamp.from(i);
    }
}
