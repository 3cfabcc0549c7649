package io.funnelflow.prediction.store;

import io.funnelflow.prediction.features.History;
import io.funnelflow.prediction.features.SessionEvent;
import io.funnelflow.prediction.model.LabelledSession;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads what the aggregator wrote: completed sessions with their events, to train on, and a visitor's
 * history, to score with. Both use one definition of history: the visitor's sessions that had ended
 * before the session in question started.
 */
public final class SessionHistory {

    private final DataSource dataSource;

    public SessionHistory(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A session whose visitor's history is wanted: the visitor, and when the session started. */
    public record Visit(String visitorId, Instant sessionStart) {
    }

    /** The histories of many visits in one query (visits without a visitor have none). */
    public Map<Visit, History> histories(Collection<Visit> visits) {
        List<Visit> known = visits.stream().filter(v -> v.visitorId() != null).distinct().toList();
        Map<Visit, History> out = new HashMap<>();
        visits.forEach(v -> out.put(v, History.NONE));
        if (known.isEmpty()) {
            return out;
        }
        String sql = """
                SELECT v.visitor_id, v.session_start, count(p.session_id), count(p.session_id) FILTER (WHERE p.purchases > 0)
                FROM unnest(?::text[], ?::timestamptz[]) AS v(visitor_id, session_start)
                LEFT JOIN sessions p ON p.visitor_id = v.visitor_id AND p.ended_at < v.session_start
                GROUP BY v.visitor_id, v.session_start""";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, c.createArrayOf("text", known.stream().map(Visit::visitorId).toArray()));
            ps.setArray(2, c.createArrayOf("timestamptz", known.stream().map(v -> Timestamp.from(v.sessionStart())).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(new Visit(rs.getString(1), rs.getTimestamp(2).toInstant()), new History(rs.getInt(3), rs.getInt(4)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the history of " + known.size() + " visitors", e);
        }
    }

    /**
     * Every closed session with its events in time order and its visitor's history, oldest first.
     *
     * @param since only sessions that started at or after this
     */
    public List<LabelledSession> completedSessions(Instant since) {
        String sql = """
                WITH s AS (
                    SELECT s.session_id, s.session_key, s.visitor_id, s.user_id, s.started_at, s.ended_at,
                           (SELECT count(*) FROM sessions p WHERE p.visitor_id = s.visitor_id AND p.ended_at < s.started_at) AS prev_sessions,
                           (SELECT count(*) FROM sessions p WHERE p.visitor_id = s.visitor_id AND p.ended_at < s.started_at
                                                             AND p.purchases > 0) AS prev_purchases
                    FROM sessions s WHERE s.closed AND s.started_at >= ?)
                SELECT s.session_id, s.visitor_id, s.user_id, s.started_at, s.prev_sessions, s.prev_purchases,
                       e.event_type, e.event_time, e.price, e.quantity, e.device, e.platform, e.utm_source, e.utm_medium
                FROM s JOIN events e ON e.session_key = s.session_key
                                    AND e.event_time >= s.started_at AND e.event_time < s.ended_at + interval '1 millisecond'
                ORDER BY s.started_at, s.session_id, e.event_time, e.received_at, e.event_id""";
        List<LabelledSession> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setFetchSize(5000);
                ps.setTimestamp(1, Timestamp.from(since));
                try (ResultSet rs = ps.executeQuery()) {
                    String current = null;
                    LabelledSession session = null;
                    List<SessionEvent> events = null;
                    while (rs.next()) {
                        String id = rs.getString(1);
                        if (!id.equals(current)) {
                            current = id;
                            events = new ArrayList<>();
                            session = new LabelledSession(id, rs.getString(2), rs.getString(3),
                                    rs.getTimestamp(4).toInstant(), new History(rs.getInt(5), rs.getInt(6)), events);
                            out.add(session);
                        }
                        String type = rs.getString(7);
                        double price = rs.getDouble(9);
                        int quantity = rs.getInt(10);
                        if (rs.wasNull()) {
                            quantity = 1;
                        }
                        boolean cartEvent = "add_to_cart".equals(type) || "remove_from_cart".equals(type);
                        events.add(new SessionEvent(type, rs.getTimestamp(8).toInstant(), cartEvent ? price * quantity : 0,
                                rs.getString(11), rs.getString(12), rs.getString(13), rs.getString(14)));
                    }
                }
            }
            c.commit();
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the session history", e);
        }
    }

    /** The share of closed sessions that purchased, and how many closed sessions that rests on. */
    public Baseline baseline() {
        String sql = "SELECT count(*), count(*) FILTER (WHERE purchases > 0) FROM sessions WHERE closed";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql);
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return new Baseline(rs.getLong(1), rs.getLong(2));
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the base rate", e);
        }
    }

    /** The historical base rate, with a Wilson 95 % interval. */
    public record Baseline(long sessions, long purchasing) {

        public double rate() {
            return sessions == 0 ? 0 : (double) purchasing / sessions;
        }

        public double[] interval() {
            if (sessions == 0) {
                return new double[]{0, 1};
            }
            double z = 1.96;
            double p = rate();
            double n = sessions;
            double centre = (p + z * z / (2 * n)) / (1 + z * z / n);
            double half = z * Math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n);
            return new double[]{Math.max(0, centre - half), Math.min(1, centre + half)};
        }
    }
}
