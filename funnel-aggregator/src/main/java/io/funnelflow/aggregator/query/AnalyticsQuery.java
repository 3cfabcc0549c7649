package io.funnelflow.aggregator.query;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.funnelflow.aggregator.funnel.FunnelReport;

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

/**
 * The key figures of a range (sessions by their start) and time series of events (by event time,
 * from the minute windows plus the events that came after their window closed).
 */
public final class AnalyticsQuery {

    private final DataSource dataSource;

    public AnalyticsQuery(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The KPIs of a range; events by type and revenue by source keep the 100 largest (any name is a custom event). */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Kpis(Instant from, Instant to, long sessions, long uniqueVisitors, long convertedSessions,
                       double conversionRate, long purchases, BigDecimal revenue, BigDecimal averageOrderValue,
                       double averageSessionSeconds, long cartSessions, double cartAbandonmentRate,
                       Map<String, Long> eventsByType, Map<String, BigDecimal> revenueBySource) {
    }

    public record Point(String bucket, long events, BigDecimal revenue) {
    }

    public record Trend(String interval, String eventType, Instant from, Instant to, List<Point> points) {
    }

    /** Series intervals: time buckets (hour, day, month) and profiles (hour of day, weekday). */
    public enum Interval {
        HOUR("date_trunc('hour', minute AT TIME ZONE 'UTC')"),
        DAY("date_trunc('day', minute AT TIME ZONE 'UTC')"),
        MONTH("date_trunc('month', minute AT TIME ZONE 'UTC')"),
        HOUR_OF_DAY("extract(hour FROM minute AT TIME ZONE 'UTC')::int"),
        WEEKDAY("extract(isodow FROM minute AT TIME ZONE 'UTC')::int");

        private final String expression;

        Interval(String expression) {
            this.expression = expression;
        }

        public static Interval parse(String value) {
            if (value == null || value.isBlank()) {
                return HOUR;
            }
            try {
                return valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new BadParameterException("interval", "must be one of hour, day, month, hour_of_day, weekday");
            }
        }
    }

    private static final String[] WEEKDAYS = {"", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};

    public Kpis kpis(TimeRange range) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            Kpis k;
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT count(*), count(DISTINCT visitor_id), count(*) FILTER (WHERE purchases > 0),
                           coalesce(sum(purchases), 0), coalesce(sum(revenue), 0), coalesce(avg(duration_seconds), 0),
                           count(*) FILTER (WHERE cart_adds > 0), count(*) FILTER (WHERE cart_adds > 0 AND purchases = 0)
                    FROM sessions WHERE started_at >= ? AND started_at < ?""")) {
                bind(ps, range);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    long sessions = rs.getLong(1);
                    long converted = rs.getLong(3);
                    long purchases = rs.getLong(4);
                    BigDecimal revenue = rs.getBigDecimal(5);
                    long carts = rs.getLong(7);
                    long abandoned = rs.getLong(8);
                    k = new Kpis(range.from(), range.to(), sessions, rs.getLong(2), converted, ratio(converted, sessions),
                            purchases, revenue, purchases == 0 ? BigDecimal.ZERO : revenue.divide(BigDecimal.valueOf(purchases), 2, RoundingMode.HALF_UP),
                            Math.round(rs.getDouble(6) * 10) / 10.0, carts, ratio(abandoned, carts), eventsByType(c, range),
                            revenueBySource(c, range));
                }
            }
            return k;
        }
    }

    public Trend trend(TimeRange range, Interval interval, String eventType) throws SQLException {
        String filter = eventType == null || eventType.isBlank() ? "" : " AND event_type = ?";
        String sql = "SELECT " + interval.expression + " AS bucket, sum(events), sum(revenue) FROM ("
                + " SELECT minute, events, revenue FROM minute_counts WHERE minute >= ? AND minute < ?" + filter
                + " UNION ALL SELECT minute, 1, revenue FROM late_events WHERE minute >= ? AND minute < ?" + filter
                + ") counted GROUP BY 1 ORDER BY 1";
        List<Point> points = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            for (int part = 0; part < 2; part++) {
                ps.setTimestamp(i++, Timestamp.from(minuteFloor(range.from())));
                ps.setTimestamp(i++, Timestamp.from(range.to()));
                if (!filter.isEmpty()) {
                    ps.setString(i++, eventType);
                }
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    points.add(new Point(label(interval, rs), rs.getLong(2), rs.getBigDecimal(3)));
                }
            }
        }
        return new Trend(interval.name().toLowerCase(Locale.ROOT), eventType, range.from(), range.to(), points);
    }

    private static Map<String, Long> eventsByType(Connection c, TimeRange range) throws SQLException {
        Map<String, Long> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT event_type, sum(events) FROM (
                  SELECT event_type, events FROM minute_counts WHERE minute >= ? AND minute < ?
                  UNION ALL SELECT event_type, 1 FROM late_events WHERE minute >= ? AND minute < ?
                ) counted GROUP BY event_type ORDER BY 2 DESC, 1 LIMIT 100""")) {
            for (int i = 1; i <= 3; i += 2) {
                ps.setTimestamp(i, Timestamp.from(minuteFloor(range.from())));
                ps.setTimestamp(i + 1, Timestamp.from(range.to()));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return out;
    }

    /** Revenue of the range's sessions per utm_source, the largest first; sessions without one under "(none)". */
    private static Map<String, BigDecimal> revenueBySource(Connection c, TimeRange range) throws SQLException {
        Map<String, BigDecimal> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT coalesce(utm_source, '" + FunnelReport.NO_BREAKDOWN_VALUE
                + "'), sum(revenue) FROM sessions WHERE started_at >= ? AND started_at < ? AND revenue > 0 GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 100")) {
            bind(ps, range);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getBigDecimal(2));
                }
            }
        }
        return out;
    }

    private static String label(Interval interval, ResultSet rs) throws SQLException {
        return switch (interval) {
            case HOUR_OF_DAY -> String.format(Locale.ROOT, "%02d:00", rs.getInt(1));
            case WEEKDAY -> WEEKDAYS[rs.getInt(1)];
            default -> rs.getObject(1, LocalDateTime.class).toInstant(ZoneOffset.UTC).toString();
        };
    }

    private static Instant minuteFloor(Instant i) {
        return i.truncatedTo(ChronoUnit.MINUTES);
    }

    private static void bind(PreparedStatement ps, TimeRange range) throws SQLException {
        ps.setTimestamp(1, Timestamp.from(range.from()));
        ps.setTimestamp(2, Timestamp.from(range.to()));
    }

    private static double ratio(long part, long whole) {
        return whole == 0 ? 0.0 : Math.round(part * 10000.0 / whole) / 10000.0;
    }
}
