package io.funnelflow.crm.store;

import io.funnelflow.contract.json.Json;
import io.funnelflow.contract.lead.Lead;
import io.funnelflow.crm.rules.Stage;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The read side of leads, all bounded: pages by lead id (keyset), one lead with its most recent
 * transitions, the override log by time, and the stage funnel by SQL aggregation.
 */
public final class LeadQuery {

    private final DataSource dataSource;

    public LeadQuery(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Filters of the lead list; null: any. */
    public record Filter(String stage, String health, String track, String owner) {
    }

    /** One page: the leads after {@code after} (by lead id), and the id to continue after, if there are more. */
    public record Page(List<Lead> leads, String next) {
    }

    public Page list(Filter f, String after, int limit) {
        StringBuilder sql = new StringBuilder("SELECT lead FROM leads WHERE lead_id > ?");
        List<String> args = new ArrayList<>();
        args.add(after == null ? "" : after);
        add(sql, args, "stage", f.stage());
        add(sql, args, "engagement_health", f.health());
        add(sql, args, "nurture_track", f.track());
        add(sql, args, "owner_team", f.owner());
        sql.append(" ORDER BY lead_id LIMIT ?");
        List<Lead> out = new ArrayList<>();
        query(sql.toString(), ps -> {
            for (int i = 0; i < args.size(); i++) {
                ps.setString(i + 1, args.get(i));
            }
            ps.setInt(args.size() + 1, limit + 1);
        }, rs -> out.add(read(rs.getString(1), Lead.class)));
        String next = null;
        if (out.size() > limit) {
            out.remove(out.size() - 1);
            next = out.get(out.size() - 1).leadId();
        }
        return new Page(out, next);
    }

    private static void add(StringBuilder sql, List<String> args, String column, String value) {
        if (value != null) {
            sql.append(" AND ").append(column).append(" = ?");
            args.add(value);
        }
    }

    public Optional<Lead> lead(String id) {
        List<Lead> out = new ArrayList<>();
        query("SELECT lead FROM leads WHERE lead_id = ?", ps -> ps.setString(1, id), rs -> out.add(read(rs.getString(1), Lead.class)));
        return out.stream().findFirst();
    }

    /** A lead's transitions, newest first, at most {@code limit}. */
    public List<Map<String, Object>> transitions(String leadId, int limit) {
        List<Map<String, Object>> out = new ArrayList<>();
        query("""
                SELECT transition_id, field, from_value, to_value, reason, rule_id, rule_version, source, actor, why, at
                FROM lead_transitions WHERE lead_id = ? ORDER BY at DESC, transition_id DESC LIMIT ?""", ps -> {
            ps.setString(1, leadId);
            ps.setInt(2, limit);
        }, rs -> {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("transition_id", rs.getString(1));
            t.put("field", rs.getString(2));
            t.put("from", rs.getString(3));
            t.put("to", rs.getString(4));
            t.put("reason", rs.getString(5));
            t.put("rule_id", rs.getString(6));
            t.put("rule_version", rs.getObject(7));
            t.put("source", rs.getString(8));
            t.put("actor", rs.getString(9));
            t.put("why", rs.getString(10));
            t.put("at", rs.getTimestamp(11).toInstant());
            out.add(t);
        });
        return out;
    }

    /** One entry of the override log. */
    public record OverrideEntry(String overrideId, String leadId, String field, String action, String value, String previous,
                                String by, String why, Instant at) {
    }

    /** The override log, newest first, before {@code before} (exclusive), at most {@code limit}; or one lead's. */
    public List<OverrideEntry> overrides(String leadId, Instant before, int limit) {
        List<OverrideEntry> out = new ArrayList<>();
        String where = leadId == null ? "at < ?" : "lead_id = ? AND at < ?";
        query("SELECT override_id, lead_id, field, action, value, previous, by_whom, why, at FROM lead_overrides WHERE " + where
                + " ORDER BY at DESC, logged DESC LIMIT ?", ps -> {
            int i = 1;
            if (leadId != null) {
                ps.setString(i++, leadId);
            }
            ps.setTimestamp(i++, Timestamp.from(before == null ? Instant.parse("9999-01-01T00:00:00Z") : before));
            ps.setInt(i, limit);
        }, rs -> out.add(new OverrideEntry(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getString(7), rs.getString(8), rs.getTimestamp(9).toInstant())));
        return out;
    }

    /** A stage of the funnel: leads there now, leads that ever reached it, and the median stay of those that moved on. */
    public record FunnelStage(String stage, long current, long reached, Double conversionFromPrevious, long dropOff,
                              Double medianDaysInStage, long completedStays) {
    }

    public List<FunnelStage> funnel() {
        Map<String, Long> current = new LinkedHashMap<>();
        query("SELECT stage, count(*) FROM leads GROUP BY stage", ps -> { }, rs -> current.put(rs.getString(1), rs.getLong(2)));
        // the furthest stage each lead ever had (overrides and recycling included), from the stage history
        long[] reachedAt = new long[Stage.values().length];
        query("""
                SELECT furthest, count(*) FROM (
                  SELECT lead_id, max(CASE to_value WHEN 'Lead' THEN 0 WHEN 'MQL' THEN 1 WHEN 'SQL' THEN 2 WHEN 'Customer' THEN 3 END) AS furthest
                  FROM lead_transitions WHERE field = 'stage' GROUP BY lead_id) f
                WHERE furthest IS NOT NULL GROUP BY furthest""", ps -> { }, rs -> {
            int furthest = rs.getInt(1);
            for (int i = 0; i <= furthest; i++) {
                reachedAt[i] += rs.getLong(2);
            }
        });
        Map<String, double[]> medians = new LinkedHashMap<>();
        query("""
                SELECT stage, percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds), count(*) FROM (
                  SELECT to_value AS stage, extract(epoch FROM (lead(at) OVER (PARTITION BY lead_id ORDER BY at, transition_id) - at)) AS seconds
                  FROM lead_transitions WHERE field = 'stage') s
                WHERE seconds IS NOT NULL GROUP BY stage""", ps -> { }, rs -> medians.put(rs.getString(1),
                new double[]{rs.getDouble(2), rs.getLong(3)}));
        List<FunnelStage> out = new ArrayList<>();
        for (Stage s : Stage.values()) {
            long reached = reachedAt[s.ordinal()];
            long previous = s.ordinal() == 0 ? reached : reachedAt[s.ordinal() - 1];
            double[] m = medians.get(s.label());
            out.add(new FunnelStage(s.label(), current.getOrDefault(s.label(), 0L), reached,
                    s.ordinal() == 0 ? null : previous == 0 ? null : Math.round(10000.0 * reached / previous) / 10000.0,
                    s.ordinal() == 0 ? 0 : previous - reached,
                    m == null ? null : Math.round(m[0] / 86400.0 * 100) / 100.0, m == null ? 0 : (long) m[1]));
        }
        return out;
    }

    /** Counts of leads per value of one column (engagement_health, nurture_track, owner_team). */
    public Map<String, Long> distribution(String column) {
        if (!List.of("engagement_health", "nurture_track", "owner_team", "stage").contains(column)) {
            throw new IllegalArgumentException(column);
        }
        Map<String, Long> out = new LinkedHashMap<>();
        query("SELECT coalesce(" + column + ", ''), count(*) FROM leads GROUP BY 1 ORDER BY 2 DESC, 1", ps -> { },
                rs -> out.put(rs.getString(1), rs.getLong(2)));
        return out;
    }

    interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    interface RowReader {
        void read(ResultSet rs) throws SQLException;
    }

    void query(String sql, Binder binder, RowReader reader) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    reader.read(rs);
                }
            }
        } catch (SQLException e) {
            throw Database.unavailable(e);
        }
    }

    static <T> T read(String json, Class<T> type) {
        try {
            return Json.mapper().readValue(json, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
