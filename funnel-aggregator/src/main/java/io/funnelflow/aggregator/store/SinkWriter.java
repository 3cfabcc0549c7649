package io.funnelflow.aggregator.store;

import io.funnelflow.contract.event.TrackedEvent;
import io.funnelflow.contract.json.Json;
import io.funnelflow.contract.session.MinuteCount;
import io.funnelflow.contract.session.SessionSummary;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes a batch in one transaction: raw events (insert once by key), session summaries and minute
 * counts (keyed upserts of absolute values), late events (insert once by event id). Writing the same
 * batch twice leaves the database as writing it once.
 */
public final class SinkWriter {

    private static final String INSERT_EVENT = """
            INSERT INTO events (event_id, event_time, event_type, session_key, session_id, user_id, anonymous_id,
                client_time, sent_at, received_at, page_url, referrer, utm_source, utm_medium, utm_campaign, platform,
                device, product_id, product_name, price, quantity, revenue, currency, metadata)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)
            ON CONFLICT DO NOTHING""";

    private static final String UPSERT_SESSION = """
            INSERT INTO sessions (session_id, session_key, visitor_id, user_id, anonymous_id, user_ids, started_at, ended_at,
                duration_seconds, events, page_views, product_views, cart_adds, cart_removes, checkouts, purchases,
                cart_value, revenue, furthest_step, utm_source, utm_medium, utm_campaign, device, platform, landing_page,
                event_types, event_times, closed, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now())
            ON CONFLICT (session_id) DO UPDATE SET session_key = EXCLUDED.session_key, visitor_id = EXCLUDED.visitor_id,
                user_id = EXCLUDED.user_id, anonymous_id = EXCLUDED.anonymous_id, user_ids = EXCLUDED.user_ids,
                started_at = EXCLUDED.started_at, ended_at = EXCLUDED.ended_at, duration_seconds = EXCLUDED.duration_seconds,
                events = EXCLUDED.events, page_views = EXCLUDED.page_views, product_views = EXCLUDED.product_views,
                cart_adds = EXCLUDED.cart_adds, cart_removes = EXCLUDED.cart_removes, checkouts = EXCLUDED.checkouts,
                purchases = EXCLUDED.purchases, cart_value = EXCLUDED.cart_value, revenue = EXCLUDED.revenue,
                furthest_step = EXCLUDED.furthest_step, utm_source = EXCLUDED.utm_source, utm_medium = EXCLUDED.utm_medium,
                utm_campaign = EXCLUDED.utm_campaign, device = EXCLUDED.device, platform = EXCLUDED.platform,
                landing_page = EXCLUDED.landing_page, event_types = EXCLUDED.event_types, event_times = EXCLUDED.event_times,
                closed = EXCLUDED.closed, updated_at = now()""";

    private static final String DELETE_SESSION = "DELETE FROM sessions WHERE session_id = ?";

    private static final String UPSERT_COUNT = """
            INSERT INTO minute_counts (minute, event_type, utm_source, utm_medium, utm_campaign, device, platform, events, revenue)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (minute, event_type, utm_source, utm_medium, utm_campaign, device, platform)
            DO UPDATE SET events = EXCLUDED.events, revenue = EXCLUDED.revenue""";

    private static final String INSERT_LATE = """
            INSERT INTO late_events (event_id, minute, event_type, utm_source, utm_medium, utm_campaign, device, platform,
                revenue, received_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (event_id) DO NOTHING""";

    private final DataSource dataSource;
    private final Set<LocalDate> partitions = ConcurrentHashMap.newKeySet();

    public SinkWriter(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void write(SinkBatch batch) throws SQLException {
        if (batch.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                ensurePartitions(c, batch);
                insertEvents(c, batch);
                writeSessions(c, batch.sessions);
                upsertCounts(c, batch.counts);
                insertLate(c, batch);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                partitions.clear();
                throw e;
            }
        }
    }

    private void ensurePartitions(Connection c, SinkBatch batch) throws SQLException {
        Set<LocalDate> days = new TreeSet<>();
        for (TrackedEvent e : batch.events) {
            LocalDate day = LocalDate.ofInstant(e.eventTime(), ZoneOffset.UTC);
            if (!partitions.contains(day)) {
                days.add(day);
            }
        }
        if (days.isEmpty()) {
            return;
        }
        try (Statement s = c.createStatement()) {
            // one partition creator at a time, across every sink instance
            s.execute("SELECT pg_advisory_xact_lock(7263501)");
            for (LocalDate day : days) {
                s.execute("CREATE TABLE IF NOT EXISTS events_" + day.toString().replace("-", "") + " PARTITION OF events"
                        + " FOR VALUES FROM ('" + day + "') TO ('" + day.plusDays(1) + "')");
            }
        }
        partitions.addAll(days);
    }

    private static void insertEvents(Connection c, SinkBatch batch) throws SQLException {
        if (batch.events.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(INSERT_EVENT)) {
            for (TrackedEvent e : batch.events) {
                int i = 1;
                ps.setString(i++, e.eventId());
                ps.setTimestamp(i++, ts(e.eventTime()));
                ps.setString(i++, e.eventType());
                ps.setString(i++, e.sessionKey());
                ps.setString(i++, e.sessionId());
                ps.setString(i++, e.userId());
                ps.setString(i++, e.anonymousId());
                ps.setTimestamp(i++, ts(e.timestamp()));
                ps.setTimestamp(i++, ts(e.sentAt()));
                ps.setTimestamp(i++, ts(e.receivedAt() != null ? e.receivedAt() : e.eventTime()));
                ps.setString(i++, e.pageUrl());
                ps.setString(i++, e.referrer());
                ps.setString(i++, e.utmSource());
                ps.setString(i++, e.utmMedium());
                ps.setString(i++, e.utmCampaign());
                ps.setString(i++, e.platform());
                ps.setString(i++, e.device());
                ps.setString(i++, e.productId());
                ps.setString(i++, e.productName());
                ps.setBigDecimal(i++, e.price());
                setInt(ps, i++, e.quantity());
                ps.setBigDecimal(i++, e.revenue());
                ps.setString(i++, e.currency());
                ps.setString(i, e.metadata() == null ? null : json(e.metadata()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void writeSessions(Connection c, Map<String, SessionSummary> sessions) throws SQLException {
        if (sessions.isEmpty()) {
            return;
        }
        try (PreparedStatement upsert = c.prepareStatement(UPSERT_SESSION);
             PreparedStatement delete = c.prepareStatement(DELETE_SESSION)) {
            for (Map.Entry<String, SessionSummary> entry : sessions.entrySet()) {
                SessionSummary s = entry.getValue();
                if (s == null) {
                    delete.setString(1, entry.getKey());
                    delete.addBatch();
                    continue;
                }
                int i = 1;
                upsert.setString(i++, s.sessionId());
                upsert.setString(i++, s.sessionKey());
                upsert.setString(i++, s.visitorId());
                upsert.setString(i++, s.userId());
                upsert.setString(i++, s.anonymousId());
                upsert.setArray(i++, c.createArrayOf("text", s.userIds().toArray()));
                upsert.setTimestamp(i++, ts(s.start()));
                upsert.setTimestamp(i++, ts(s.end()));
                upsert.setLong(i++, s.durationSeconds());
                upsert.setInt(i++, s.events());
                upsert.setInt(i++, s.pageViews());
                upsert.setInt(i++, s.productViews());
                upsert.setInt(i++, s.cartAdds());
                upsert.setInt(i++, s.cartRemoves());
                upsert.setInt(i++, s.checkouts());
                upsert.setInt(i++, s.purchases());
                upsert.setBigDecimal(i++, s.cartValue());
                upsert.setBigDecimal(i++, s.revenue());
                upsert.setInt(i++, s.furthestStep());
                upsert.setString(i++, s.utmSource());
                upsert.setString(i++, s.utmMedium());
                upsert.setString(i++, s.utmCampaign());
                upsert.setString(i++, s.device());
                upsert.setString(i++, s.platform());
                upsert.setString(i++, s.landingPage());
                upsert.setArray(i++, c.createArrayOf("text", s.eventTypes().toArray()));
                upsert.setArray(i++, c.createArrayOf("bigint", s.eventTimes().toArray()));
                upsert.setBoolean(i, s.closed());
                upsert.addBatch();
            }
            delete.executeBatch();
            upsert.executeBatch();
        }
    }

    private static void upsertCounts(Connection c, Map<String, MinuteCount> counts) throws SQLException {
        if (counts.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(UPSERT_COUNT)) {
            for (MinuteCount m : counts.values()) {
                ps.setTimestamp(1, ts(m.minute()));
                ps.setString(2, m.eventType());
                ps.setString(3, m.utmSource());
                ps.setString(4, m.utmMedium());
                ps.setString(5, m.utmCampaign());
                ps.setString(6, m.device());
                ps.setString(7, m.platform());
                ps.setLong(8, m.events());
                ps.setBigDecimal(9, m.revenue());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void insertLate(Connection c, SinkBatch batch) throws SQLException {
        if (batch.late.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(INSERT_LATE)) {
            for (TrackedEvent e : batch.late) {
                long t = e.eventTime().toEpochMilli();
                ps.setString(1, e.eventId());
                ps.setTimestamp(2, new Timestamp(t - Math.floorMod(t, 60_000L)));
                ps.setString(3, e.eventType());
                ps.setString(4, orEmpty(e.utmSource()));
                ps.setString(5, orEmpty(e.utmMedium()));
                ps.setString(6, orEmpty(e.utmCampaign()));
                ps.setString(7, orEmpty(e.device()));
                ps.setString(8, orEmpty(e.platform()));
                ps.setBigDecimal(9, e.revenue() == null ? BigDecimal.ZERO : e.revenue());
                ps.setTimestamp(10, ts(e.receivedAt() != null ? e.receivedAt() : e.eventTime()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private static String json(Object value) {
        try {
            return Json.mapper().writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("metadata cannot be written as JSON", e);
        }
    }

    private static void setInt(PreparedStatement ps, int index, Integer value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.INTEGER);
        } else {
            ps.setInt(index, value);
        }
    }

    private static Timestamp ts(Instant i) {
        return i == null ? null : Timestamp.from(i);
    }
}
