package io.funnelflow.aggregator.privacy;

import io.funnelflow.contract.json.Json;

import javax.sql.DataSource;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The aggregator's rows about a person: raw events (by session key and by user id) and sessions (by session
 * key, id and user ids), in one transaction. Figures (the bucket tables) are anonymous counts and stay; the
 * stream subtracts the person's sessions from them ({@link StreamParticipant}).
 */
public final class StoredRowsParticipant implements ErasureParticipant {

    /** The most rows one table gives to an export. */
    public static final int MAX_EXPORT_ROWS = 50_000;

    private final DataSource dataSource;

    public StoredRowsParticipant(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public String name() {
        return "aggregator";
    }

    @Override
    public int order() {
        return STORES;
    }

    @Override
    public Object export(Person person) throws SQLException {
        Map<String, Object> out = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection()) {
            out.put("sessions", rows(c, "SELECT to_jsonb(s)::text FROM sessions s WHERE " + SESSIONS + " ORDER BY started_at", person));
            out.put("events", rows(c, "SELECT to_jsonb(e)::text FROM events e WHERE " + EVENTS + " ORDER BY event_time, event_id", person));
        }
        return out;
    }

    @Override
    public Map<String, Object> erase(Person person) throws SQLException {
        Map<String, Object> out = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                out.put("events", delete(c, "DELETE FROM events WHERE " + EVENTS, person));
                out.put("sessions", delete(c, "DELETE FROM sessions WHERE " + SESSIONS, person));
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        }
        return out;
    }

    /** Parameters: session keys, user id. */
    private static final String EVENTS = "(session_key = ANY(?) OR user_id = ?)";
    /** Parameters: session keys, user id, user id, session ids. */
    private static final String SESSIONS = "(session_key = ANY(?) OR user_id = ? OR ? = ANY(user_ids) OR session_id = ANY(?))";

    private static void bind(Connection c, PreparedStatement ps, String sql, Person person) throws SQLException {
        Array keys = c.createArrayOf("text", person.sessionKeys().toArray());
        ps.setArray(1, keys);
        ps.setString(2, person.userId());
        if (sql.contains("user_ids")) {
            ps.setString(3, person.userId());
            ps.setArray(4, c.createArrayOf("text", person.sessionIds().toArray()));
        }
    }

    private static int delete(Connection c, String sql, Person person) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(c, ps, sql, person);
            return ps.executeUpdate();
        }
    }

    private static List<Object> rows(Connection c, String sql, Person person) throws SQLException {
        List<Object> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql + " LIMIT " + MAX_EXPORT_ROWS)) {
            bind(c, ps, sql, person);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(Json.mapper().readTree(rs.getString(1)));
                }
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("PostgreSQL gave a row that is not JSON", e);
        }
        return out;
    }
}
