package io.funnelflow.aggregator.privacy;

import io.funnelflow.aggregator.live.LiveFeed;
import io.funnelflow.contract.session.SessionSummary;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Finds a person's sessions, session keys and anonymous ids from their user id: in {@code sessions}
 * ({@code user_id}, {@code user_ids}), in {@code events} ({@code user_id}: the session keys of events sent
 * while signed in, whose sessions may carry no user id), and in the live feed (sessions not stored yet).
 * At most {@link #MAX_SESSIONS} sessions are taken at once.
 */
public final class PersonLocator {

    public static final int MAX_SESSIONS = 10_000;

    private final DataSource dataSource;
    private final LiveFeed feed;

    public PersonLocator(DataSource dataSource, LiveFeed feed) {
        this.dataSource = dataSource;
        this.feed = feed;
    }

    public Person find(String userId) throws SQLException {
        Set<String> sessionIds = new LinkedHashSet<>();
        Set<String> keys = new LinkedHashSet<>();
        Set<String> anonymousIds = new LinkedHashSet<>();
        boolean truncated = false;
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT DISTINCT session_key, anonymous_id FROM events WHERE user_id = ? LIMIT ?""")) {
                ps.setString(1, userId);
                ps.setInt(2, MAX_SESSIONS + 1);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        keys.add(rs.getString(1));
                        addIfPresent(anonymousIds, rs.getString(2));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT session_id, session_key, anonymous_id FROM sessions
                    WHERE user_id = ? OR ? = ANY(user_ids) OR session_key = ANY(?) LIMIT ?""")) {
                ps.setString(1, userId);
                ps.setString(2, userId);
                ps.setArray(3, c.createArrayOf("text", keys.toArray()));
                ps.setInt(4, MAX_SESSIONS + 1);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        sessionIds.add(rs.getString(1));
                        keys.add(rs.getString(2));
                        addIfPresent(anonymousIds, rs.getString(3));
                    }
                }
            }
        }
        for (SessionSummary s : feed.sessionsOf(userId, keys)) {
            sessionIds.add(s.sessionId());
            keys.add(s.sessionKey());
            addIfPresent(anonymousIds, s.anonymousId());
        }
        if (sessionIds.size() > MAX_SESSIONS || keys.size() > MAX_SESSIONS) {
            truncated = true;
        }
        return new Person(userId, first(sessionIds), first(keys), first(anonymousIds), truncated);
    }

    private static void addIfPresent(Set<String> set, String value) {
        if (value != null) {
            set.add(value);
        }
    }

    private static java.util.List<String> first(Set<String> values) {
        return new ArrayList<>(values).subList(0, Math.min(values.size(), MAX_SESSIONS));
    }
}
