package io.funnelflow.aggregator.privacy;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.funnelflow.contract.json.Json;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The aggregator's rows about a person: raw events (by session key and by user id), sessions (by session
 * key, id and user ids), their timelines and late events, in one transaction. The stream's tombstones
 * ({@link StreamParticipant}) delete the sessions and timelines too, a moment later; doing it here as well
 * makes the answer true when it is given. Figures (the bucket tables) are anonymous counts and stay: the
 * stream subtracts the person's sessions from them.
 */
public final class StoredRowsParticipant implements ErasureParticipant {

    /** The most rows one table gives to an export. */
    public static final int MAX_EXPORT_ROWS = 50_000;

    /** A table and which of its rows are the person's. */
    private enum Rows {
        EVENTS("events", "session_key = ANY(?) OR user_id = ?", "event_time, event_id"),
        SESSIONS("sessions", "session_key = ANY(?) OR user_id = ? OR ? = ANY(user_ids) OR session_id = ANY(?)", "started_at"),
        SESSION_TIMELINES("session_timelines", "session_id = ANY(?)", "session_id"),
        LATE_EVENTS("late_events", "session_key = ANY(?)", "event_time, event_id");

        final String table;
        final String where;
        final String order;

        Rows(String table, String where, String order) {
            this.table = table;
            this.where = where;
            this.order = order;
        }

        void bind(Connection c, PreparedStatement ps, Person person) throws SQLException {
            var keys = c.createArrayOf("text", person.sessionKeys().toArray());
            var ids = c.createArrayOf("text", person.sessionIds().toArray());
            switch (this) {
                case EVENTS -> {
                    ps.setArray(1, keys);
                    ps.setString(2, person.userId());
                }
                case SESSIONS -> {
                    ps.setArray(1, keys);
                    ps.setString(2, person.userId());
                    ps.setString(3, person.userId());
                    ps.setArray(4, ids);
                }
                case SESSION_TIMELINES -> ps.setArray(1, ids);
                case LATE_EVENTS -> ps.setArray(1, keys);
            }
        }
    }

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
            for (Rows rows : Rows.values()) {
                out.put(rows.table, export(c, rows, person));
            }
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
                for (Rows rows : Rows.values()) {
                    try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + rows.table + " WHERE " + rows.where)) {
                        rows.bind(c, ps, person);
                        out.put(rows.table, ps.executeUpdate());
                    }
                }
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

    private static List<Object> export(Connection c, Rows rows, Person person) throws SQLException {
        List<Object> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT to_jsonb(r)::text FROM " + rows.table + " r WHERE " + rows.where
                + " ORDER BY " + rows.order + " LIMIT " + MAX_EXPORT_ROWS)) {
            rows.bind(c, ps, person);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(Json.mapper().readTree(rs.getString(1)));
                }
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("PostgreSQL gave a row that is not JSON", e);
        }
        return out;
    }
}
