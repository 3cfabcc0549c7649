package io.funnelflow.aggregator.store;

import io.funnelflow.aggregator.aggregate.AggregateKey;
import io.funnelflow.aggregator.aggregate.EventAggregate;
import io.funnelflow.aggregator.aggregate.FunnelAggregate;
import io.funnelflow.aggregator.aggregate.SessionAggregate;
import io.funnelflow.contract.event.TrackedEvent;
import io.funnelflow.contract.json.Json;
import io.funnelflow.contract.session.LateEvent;
import io.funnelflow.contract.session.SessionSummary;
import io.funnelflow.contract.session.SessionTimeline;

import javax.sql.DataSource;
import java.nio.ByteBuffer;
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
 * Writes a batch in one transaction, each kind of row in one multi-row statement (the driver rewrites
 * a JDBC batch into multi-row INSERTs): raw events (inserted once by key), session summaries, quiet
 * sessions' timelines and every bucket's figures (keyed upserts of absolute values), late arrivals
 * (inserted once). Writing the same batch twice leaves the database as writing it once.
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
                last_event_type, truncated, closed, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now())
            ON CONFLICT (session_id) DO UPDATE SET session_key = EXCLUDED.session_key, visitor_id = EXCLUDED.visitor_id,
                user_id = EXCLUDED.user_id, anonymous_id = EXCLUDED.anonymous_id, user_ids = EXCLUDED.user_ids,
                started_at = EXCLUDED.started_at, ended_at = EXCLUDED.ended_at, duration_seconds = EXCLUDED.duration_seconds,
                events = EXCLUDED.events, page_views = EXCLUDED.page_views, product_views = EXCLUDED.product_views,
                cart_adds = EXCLUDED.cart_adds, cart_removes = EXCLUDED.cart_removes, checkouts = EXCLUDED.checkouts,
                purchases = EXCLUDED.purchases, cart_value = EXCLUDED.cart_value, revenue = EXCLUDED.revenue,
                furthest_step = EXCLUDED.furthest_step, utm_source = EXCLUDED.utm_source, utm_medium = EXCLUDED.utm_medium,
                utm_campaign = EXCLUDED.utm_campaign, device = EXCLUDED.device, platform = EXCLUDED.platform,
                landing_page = EXCLUDED.landing_page, last_event_type = EXCLUDED.last_event_type,
                truncated = EXCLUDED.truncated, closed = EXCLUDED.closed, updated_at = now()""";

    private static final String DELETE_SESSION = "DELETE FROM sessions WHERE session_id = ?";

    private static final String UPSERT_TIMELINE = """
            INSERT INTO session_timelines (session_id, event_types, event_times) VALUES (?, ?, ?)
            ON CONFLICT (session_id) DO UPDATE SET event_types = EXCLUDED.event_types, event_times = EXCLUDED.event_times""";

    private static final String DELETE_TIMELINE = "DELETE FROM session_timelines WHERE session_id = ?";

    private static final String UPSERT_SESSION_BUCKET = """
            INSERT INTO session_buckets (granularity, bucket_start, dimension, value, part, gen, sessions, converted, purchases,
                revenue, duration_seconds, carts, abandoned, landed, visitors)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (granularity, dimension, bucket_start, value, part, gen) DO UPDATE SET sessions = EXCLUDED.sessions,
                converted = EXCLUDED.converted, purchases = EXCLUDED.purchases, revenue = EXCLUDED.revenue,
                duration_seconds = EXCLUDED.duration_seconds, carts = EXCLUDED.carts, abandoned = EXCLUDED.abandoned,
                landed = EXCLUDED.landed, visitors = EXCLUDED.visitors""";

    private static final String UPSERT_FUNNEL_BUCKET = """
            INSERT INTO funnel_buckets (funnel_id, mode, granularity, bucket_start, dimension, value, part, gen, sessions,
                events, durations)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (funnel_id, mode, granularity, dimension, bucket_start, value, part, gen) DO UPDATE SET
                sessions = EXCLUDED.sessions, events = EXCLUDED.events, durations = EXCLUDED.durations""";

    private static final String UPSERT_EVENT_BUCKET = """
            INSERT INTO event_buckets (granularity, bucket_start, event_type, part, gen, events, revenue, late)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (granularity, bucket_start, event_type, part, gen) DO UPDATE SET events = EXCLUDED.events,
                revenue = EXCLUDED.revenue, late = EXCLUDED.late""";

    private static final String FINAL_SESSION = "UPDATE sessions SET final = true, funnel_generation = ? WHERE session_id = ?";

    private static final String UPSERT_PROGRESS = """
            INSERT INTO funnel_progress (generation, part, swept, total, done, updated_at) VALUES (?, ?, ?, ?, ?, now())
            ON CONFLICT (generation, part) DO UPDATE SET swept = EXCLUDED.swept, total = EXCLUDED.total, done = EXCLUDED.done,
                updated_at = now()""";

    private static final String INSERT_LATE = """
            INSERT INTO late_events (event_id, event_type, session_key, event_time, received_at, delay_seconds)
            VALUES (?, ?, ?, ?, ?, ?)
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
                writeTimelines(c, batch.timelines);
                writeAggregates(c, batch.aggregates);
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
                upsert.setString(i++, s.lastEventType());
                upsert.setBoolean(i++, s.truncated());
                upsert.setBoolean(i, s.closed());
                upsert.addBatch();
            }
            delete.executeBatch();
            upsert.executeBatch();
        }
    }

    private static void writeTimelines(Connection c, Map<String, SessionTimeline> timelines) throws SQLException {
        if (timelines.isEmpty()) {
            return;
        }
        try (PreparedStatement upsert = c.prepareStatement(UPSERT_TIMELINE);
             PreparedStatement delete = c.prepareStatement(DELETE_TIMELINE)) {
            for (Map.Entry<String, SessionTimeline> entry : timelines.entrySet()) {
                SessionTimeline t = entry.getValue();
                if (t == null) {
                    delete.setString(1, entry.getKey());
                    delete.addBatch();
                } else {
                    upsert.setString(1, t.sessionId());
                    upsert.setArray(2, c.createArrayOf("text", t.eventTypes().toArray()));
                    upsert.setArray(3, c.createArrayOf("bigint", t.eventTimes().toArray()));
                    upsert.addBatch();
                }
            }
            delete.executeBatch();
            upsert.executeBatch();
        }
    }

    private static void writeAggregates(Connection c, Map<AggregateKey, byte[]> aggregates) throws SQLException {
        if (aggregates.isEmpty()) {
            return;
        }
        try (PreparedStatement sessions = c.prepareStatement(UPSERT_SESSION_BUCKET);
             PreparedStatement funnels = c.prepareStatement(UPSERT_FUNNEL_BUCKET);
             PreparedStatement events = c.prepareStatement(UPSERT_EVENT_BUCKET);
             PreparedStatement finals = c.prepareStatement(FINAL_SESSION);
             PreparedStatement progress = c.prepareStatement(UPSERT_PROGRESS)) {
            boolean[] used = new boolean[5];
            for (Map.Entry<AggregateKey, byte[]> entry : aggregates.entrySet()) {
                byte[] value = entry.getValue();
                if (entry.getKey() instanceof AggregateKey.Sessions k) {
                    SessionAggregate a = SessionAggregate.decode(value);
                    int i = 1;
                    sessions.setString(i++, String.valueOf(k.granularity().code()));
                    sessions.setTimestamp(i++, Timestamp.from(k.granularity().start(k.bucketStart())));
                    sessions.setShort(i++, k.dimension().code());
                    sessions.setString(i++, k.value());
                    sessions.setShort(i++, (short) k.part());
                    sessions.setLong(i++, k.gen());
                    sessions.setLong(i++, a.sessions);
                    sessions.setLong(i++, a.converted);
                    sessions.setLong(i++, a.purchases);
                    sessions.setBigDecimal(i++, a.revenue);
                    sessions.setLong(i++, a.durationSeconds);
                    sessions.setLong(i++, a.carts);
                    sessions.setLong(i++, a.abandoned);
                    sessions.setLong(i++, a.landed);
                    sessions.setBytes(i, a.visitorBytes());
                    sessions.addBatch();
                    used[0] = true;
                } else if (entry.getKey() instanceof AggregateKey.Funnel k) {
                    FunnelAggregate a = FunnelAggregate.decode(value);
                    int i = 1;
                    funnels.setInt(i++, k.funnelId());
                    funnels.setString(i++, k.mode().wireName());
                    funnels.setString(i++, String.valueOf(k.granularity().code()));
                    funnels.setTimestamp(i++, Timestamp.from(k.granularity().start(k.bucketStart())));
                    funnels.setShort(i++, k.dimension().code());
                    funnels.setString(i++, k.value());
                    funnels.setShort(i++, (short) k.part());
                    funnels.setLong(i++, k.gen());
                    funnels.setArray(i++, c.createArrayOf("bigint", boxed(a.sessions)));
                    funnels.setArray(i++, c.createArrayOf("bigint", boxed(a.events)));
                    funnels.setBytes(i, a.encodeDurations());
                    funnels.addBatch();
                    used[1] = true;
                } else if (entry.getKey() instanceof AggregateKey.Events k) {
                    EventAggregate a = EventAggregate.decode(value);
                    int i = 1;
                    events.setString(i++, String.valueOf(k.granularity().code()));
                    events.setTimestamp(i++, Timestamp.from(k.granularity().start(k.bucketStart())));
                    events.setString(i++, k.eventType());
                    events.setShort(i++, (short) k.part());
                    events.setLong(i++, k.gen());
                    events.setLong(i++, a.events);
                    events.setBigDecimal(i++, a.revenue);
                    events.setLong(i, a.late);
                    events.addBatch();
                    used[2] = true;
                } else if (entry.getKey() instanceof AggregateKey.Final k) {
                    finals.setLong(1, ByteBuffer.wrap(value).getLong());
                    finals.setString(2, k.sessionId());
                    finals.addBatch();
                    used[3] = true;
                } else if (entry.getKey() instanceof AggregateKey.Progress k) {
                    ByteBuffer b = ByteBuffer.wrap(value);
                    progress.setLong(1, k.generation());
                    progress.setShort(2, (short) k.part());
                    progress.setLong(3, b.getLong());
                    progress.setLong(4, b.getLong());
                    progress.setBoolean(5, b.get() == 1);
                    progress.addBatch();
                    used[4] = true;
                }
            }
            PreparedStatement[] statements = {sessions, funnels, events, finals, progress};
            for (int i = 0; i < statements.length; i++) {
                if (used[i]) {
                    statements[i].executeBatch();
                }
            }
        }
    }

    private static void insertLate(Connection c, SinkBatch batch) throws SQLException {
        if (batch.late.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(INSERT_LATE)) {
            for (LateEvent e : batch.late) {
                ps.setString(1, e.eventId());
                ps.setString(2, e.eventType());
                ps.setString(3, e.sessionKey());
                ps.setTimestamp(4, ts(e.eventTime()));
                ps.setTimestamp(5, ts(e.receivedAt()));
                ps.setLong(6, e.delaySeconds());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static Long[] boxed(long[] values) {
        Long[] out = new Long[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
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
