package io.funnelflow.prediction.store;

import io.funnelflow.contract.event.EventType;
import io.funnelflow.prediction.features.History;
import io.funnelflow.prediction.features.HistoryLookup;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads what the aggregator wrote: completed sessions with their events, to train on, and visitors'
 * histories, to train and score with. Both use one definition of history: the visitor's sessions that
 * had ended before the session in question started.
 */
public final class SessionHistory {

    /** Visits whose histories are read in one query. */
    static final int HISTORY_BATCH = 5000;

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
        // starts as epoch milliseconds: a timestamp array would travel as local time without its offset
        String sql = """
                SELECT v.n, count(p.session_id), count(p.session_id) FILTER (WHERE p.purchases > 0)
                FROM unnest(?::text[], ?::bigint[]) WITH ORDINALITY AS v(visitor_id, start_ms, n)
                LEFT JOIN sessions p ON p.visitor_id = v.visitor_id AND p.ended_at < to_timestamp(v.start_ms / 1000.0)
                GROUP BY v.n""";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, c.createArrayOf("text", known.stream().map(Visit::visitorId).toArray()));
            ps.setArray(2, c.createArrayOf("bigint", known.stream().map(v -> v.sessionStart().toEpochMilli()).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(known.get(rs.getInt(1) - 1), new History(rs.getInt(2), rs.getInt(3)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the history of " + known.size() + " visitors", e);
        }
    }

    /**
     * The visitors' histories that training will ask for, and only those: for each session, every visitor
     * it may be known as at a snapshot (its user ids, its anonymous id, its key) at the session's start.
     * Read in batches with the live path's own query, so training and service share one definition, and
     * never more than the sample's own visits are held.
     */
    public HistoryLookup historiesOf(List<LabelledSession> sessions) {
        Set<Visit> visits = new LinkedHashSet<>();
        for (LabelledSession s : sessions) {
            if (s.events().isEmpty()) {
                continue;
            }
            Instant start = s.events().get(0).time();
            visits.add(new Visit(s.sessionKey(), start));
            for (SessionEvent e : s.events()) {
                if (e.userId() != null) {
                    visits.add(new Visit(e.userId(), start));
                }
                if (e.anonymousId() != null) {
                    visits.add(new Visit(e.anonymousId(), start));
                }
            }
        }
        Map<String, History> known = new HashMap<>();
        List<Visit> all = new ArrayList<>(visits);
        for (int i = 0; i < all.size(); i += HISTORY_BATCH) {
            histories(all.subList(i, Math.min(all.size(), i + HISTORY_BATCH))).forEach((visit, history) ->
                    known.put(visit.visitorId() + '\n' + visit.sessionStart().toEpochMilli(), history));
        }
        return (visitor, start) -> visitor == null ? History.NONE
                : known.getOrDefault(visitor + '\n' + start.toEpochMilli(), History.NONE);
    }

    /** Closed sessions sampled for training, and how many the window held. */
    public record Sample(List<LabelledSession> sessions, long eligible, long tooLong) {
    }

    /**
     * The window's closed sessions with their events in the aggregator's order (millisecond, then event
     * id), oldest first, bounded: at most {@code maxSessions} of them, chosen uniformly over the window
     * (the smallest hashes of their ids under {@code seed}, so a run is repeatable), and none with more than
     * {@code maxEvents} events (a crawler's endless session teaches nothing about shoppers). Each event
     * keeps its user and anonymous ids, so that a snapshot knows only the visitor identified by then.
     *
     * @param since only sessions that started at or after this
     */
    public Sample completedSessions(Instant since, int maxSessions, int maxEvents, long seed) {
        String count = "SELECT count(*) FILTER (WHERE events <= ?), count(*) FILTER (WHERE events > ?) FROM sessions"
                + " WHERE closed AND started_at >= ?";
        String sql = """
                WITH chosen AS (
                    SELECT session_id, session_key, started_at, ended_at FROM sessions
                    WHERE closed AND started_at >= ? AND events <= ?
                    ORDER BY hashtextextended(session_id, ?), session_id
                    LIMIT ?)
                SELECT s.session_id, s.session_key, s.started_at,
                       e.event_type, e.event_time, e.price, e.quantity, e.device, e.platform, e.utm_source, e.utm_medium,
                       e.user_id, e.anonymous_id
                FROM chosen s JOIN events e ON e.session_key = s.session_key
                    AND e.event_time >= s.started_at AND e.event_time < s.ended_at + interval '1 millisecond'
                ORDER BY s.started_at, s.session_id, date_trunc('milliseconds', e.event_time), e.event_id COLLATE "C\"""";
        List<LabelledSession> out = new ArrayList<>();
        // the same few device, channel and type names repeat on every row: keep one copy of each
        Map<String, String> shared = new HashMap<>();
        try (Connection c = dataSource.getConnection()) {
            long eligible;
            long tooLong;
            try (PreparedStatement ps = c.prepareStatement(count)) {
                ps.setInt(1, maxEvents);
                ps.setInt(2, maxEvents);
                ps.setTimestamp(3, Timestamp.from(since));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    eligible = rs.getLong(1);
                    tooLong = rs.getLong(2);
                }
            }
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setFetchSize(5000);
                ps.setTimestamp(1, Timestamp.from(since));
                ps.setInt(2, maxEvents);
                ps.setLong(3, seed);
                ps.setInt(4, maxSessions);
                try (ResultSet rs = ps.executeQuery()) {
                    String current = null;
                    List<SessionEvent> events = null;
                    while (rs.next()) {
                        String id = rs.getString(1);
                        if (!id.equals(current)) {
                            current = id;
                            events = new ArrayList<>();
                            out.add(new LabelledSession(id, rs.getString(2), rs.getTimestamp(3).toInstant(), events));
                        }
                        String type = share(shared, rs.getString(4));
                        double price = rs.getDouble(6);
                        int quantity = rs.getInt(7);
                        if (rs.wasNull()) {
                            quantity = 1;
                        }
                        boolean cartEvent = EventType.ADD_TO_CART.wireName().equals(type) || EventType.REMOVE_FROM_CART.wireName().equals(type);
                        events.add(new SessionEvent(type, rs.getTimestamp(5).toInstant(), cartEvent ? price * quantity : 0,
                                share(shared, rs.getString(8)), share(shared, rs.getString(9)), share(shared, rs.getString(10)),
                                share(shared, rs.getString(11)), share(shared, rs.getString(12)), share(shared, rs.getString(13))));
                    }
                }
            }
            c.commit();
            return new Sample(out, eligible, tooLong);
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the session history", e);
        }
    }

    private static String share(Map<String, String> shared, String value) {
        if (value == null) {
            return null;
        }
        if (shared.size() > 100_000) {
            return value;
        }
        String known = shared.putIfAbsent(value, value);
        return known != null ? known : value;
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
