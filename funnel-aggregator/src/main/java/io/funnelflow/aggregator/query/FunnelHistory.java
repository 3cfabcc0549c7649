package io.funnelflow.aggregator.query;

import io.funnelflow.aggregator.aggregate.Dimension;
import io.funnelflow.aggregator.aggregate.FunnelAggregate;
import io.funnelflow.aggregator.aggregate.Granularity;
import io.funnelflow.aggregator.funnel.FunnelMode;
import io.funnelflow.aggregator.funnel.FunnelProgress;
import io.funnelflow.contract.topic.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Completes a funnel saved after the fact. The stream re-counts every session it holds with the new
 * funnel and says when each partition is done; the sessions it had already let go of (final, counted
 * at an older funnel generation) are counted here, from their stored timelines, into the funnel's
 * buckets as part −1 — each session by exactly one of the two. Until then the funnel answers
 * {@code status: counting} with its progress.
 *
 * <p>Runs on one instance at a time (a PostgreSQL advisory lock); re-running it writes the same rows.
 */
public final class FunnelHistory implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(FunnelHistory.class);
    private static final long LOCK = 7263502;
    private static final int PAGE = 5_000;

    private final DataSource dataSource;
    private final DataSource queries;
    private final FunnelStore store;
    private final Admin admin;
    private final String sinkGroup;
    private final Map<Integer, Map<TopicPartition, Long>> awaited = new ConcurrentHashMap<>();
    private volatile Integer partitions;

    public FunnelHistory(DataSource dataSource, FunnelStore store, Admin admin, String sinkGroup) {
        this(dataSource, dataSource, store, admin, sinkGroup);
    }

    /** @param queries what {@link #history} reads through: the query API's own pool with its statement timeout */
    public FunnelHistory(DataSource dataSource, DataSource queries, FunnelStore store, Admin admin, String sinkGroup) {
        this.dataSource = dataSource;
        this.queries = queries;
        this.store = store;
        this.admin = admin;
        this.sinkGroup = sinkGroup;
    }

    @Override
    public void run() {
        try {
            List<FunnelStore.Version> counting = store.counting();
            if (counting.isEmpty()) {
                return;
            }
            try (Connection lock = dataSource.getConnection()) {
                if (!tryLock(lock)) {
                    return;
                }
                try {
                    for (FunnelStore.Version v : counting) {
                        advance(v);
                    }
                } finally {
                    try (PreparedStatement ps = lock.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                        ps.setLong(1, LOCK);
                        ps.execute();
                    }
                }
            }
        } catch (Exception e) {
            LOG.warn("Counting saved funnels' history failed; trying again: {}", e.toString());
        }
    }

    /** How far the version's history is: what queries say until it is complete. */
    public FunnelQuery.History history(FunnelStore.Version v) throws SQLException {
        if (FunnelStore.COMPLETE.equals(v.historyStatus())) {
            return FunnelQuery.History.COMPLETE;
        }
        try (Connection c = queries.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     SELECT generation, count(*) FILTER (WHERE done), coalesce(sum(swept), 0), coalesce(sum(total), 0)
                     FROM funnel_progress WHERE generation >= ? GROUP BY generation ORDER BY generation DESC LIMIT 1""")) {
            ps.setLong(1, v.generation());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return new FunnelQuery.History(FunnelStore.COUNTING, 0.0, "the stream has not started counting it yet");
                }
                int parts = partitions();
                long done = rs.getLong(2);
                double fraction = rs.getLong(4) == 0 ? (done == parts ? 1.0 : 0.0) : Math.min(1.0, (double) rs.getLong(3) / rs.getLong(4));
                double progress = Math.round(fraction * 0.95 * 1000) / 1000.0;
                String reason = done < parts
                        ? "the stream is counting the sessions it holds (" + done + " of " + parts + " partitions done)"
                        : "counting the sessions the stream no longer holds, from PostgreSQL";
                return new FunnelQuery.History(FunnelStore.COUNTING, progress, reason);
            }
        }
    }

    private void advance(FunnelStore.Version v) throws Exception {
        if (!streamDone(v)) {
            return;
        }
        Map<TopicPartition, Long> ends = awaited.get(v.id());
        if (ends == null) {
            // everything the stream published before its sweep ended lies below these offsets
            awaited.put(v.id(), endOffsets());
            return;
        }
        if (!sinkReached(ends)) {
            return;
        }
        long sessions = countHistory(v);
        store.markComplete(v, sessions);
        awaited.remove(v.id());
        LOG.info("Funnel '{}' (version {}) is complete: {} sessions counted from PostgreSQL beside the stream's", v.name(), v.id(),
                sessions);
    }

    private boolean streamDone(FunnelStore.Version v) throws Exception {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     SELECT 1 FROM funnel_progress WHERE generation >= ?
                     GROUP BY generation HAVING count(*) FILTER (WHERE done) >= ? LIMIT 1""")) {
            ps.setLong(1, v.generation());
            ps.setInt(2, partitions());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** The sessions the stream let go of before it counted this version, folded from their timelines into the buckets. */
    long countHistory(FunnelStore.Version v) throws SQLException {
        Map<String, Object[]> buckets = new HashMap<>();
        long counted = 0;
        Timestamp afterStart = Timestamp.from(Instant.EPOCH);
        String afterId = "";
        int steps = v.steps().size();
        try (Connection c = dataSource.getConnection()) {
            while (true) {
                int page = 0;
                long pageDay = Long.MIN_VALUE;
                try (PreparedStatement ps = c.prepareStatement("""
                        SELECT s.session_id, s.started_at, s.utm_source, s.utm_medium, s.utm_campaign, s.device, s.platform,
                               t.event_types, t.event_times
                        FROM sessions s JOIN session_timelines t USING (session_id)
                        WHERE s.final AND s.funnel_generation < ? AND (s.started_at, s.session_id) > (?, ?)
                        ORDER BY s.started_at, s.session_id LIMIT ?""")) {
                    ps.setLong(1, v.generation());
                    ps.setTimestamp(2, afterStart);
                    ps.setString(3, afterId);
                    ps.setInt(4, PAGE);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            page++;
                            counted++;
                            afterId = rs.getString(1);
                            afterStart = rs.getTimestamp(2);
                            long start = afterStart.getTime();
                            pageDay = Granularity.DAY.bucketStart(start);
                            String[] dims = {rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7)};
                            String[] types = (String[]) rs.getArray(8).getArray();
                            Long[] times = (Long[]) rs.getArray(9).getArray();
                            for (FunnelMode mode : FunnelMode.values()) {
                                FunnelProgress p = new FunnelProgress(v.steps(), mode);
                                for (int i = 0; i < types.length; i++) {
                                    p.add(types[i], times[i]);
                                }
                                if (p.depth() == 0) {
                                    continue;
                                }
                                var facts = new io.funnelflow.aggregator.aggregate.SessionFacts.FunnelFacts(v.id(), mode, steps,
                                        p.depth(), p.stepEvents(), p.stepDurations());
                                for (Granularity g : Granularity.values()) {
                                    for (Dimension d : Dimension.values()) {
                                        String value = d == Dimension.ALL ? "" : dims[d.ordinal() - 1] == null ? Dimension.NONE : dims[d.ordinal() - 1];
                                        long bucketStart = g.bucketStart(start);
                                        String key = mode.wireName() + '\u001f' + g.code() + '\u001f' + bucketStart + '\u001f' + d.code() + '\u001f' + value;
                                        Object[] entry = buckets.computeIfAbsent(key, k -> new Object[]{mode, g, bucketStart, d, value,
                                                new FunnelAggregate(steps)});
                                        ((FunnelAggregate) entry[5]).apply(facts, 1);
                                    }
                                }
                            }
                        }
                    }
                }
                // buckets of days before the page's last day are complete: write them and let them go
                write(c, v, buckets, page < PAGE ? Long.MAX_VALUE : pageDay);
                if (page < PAGE) {
                    return counted;
                }
            }
        }
    }

    private void write(Connection c, FunnelStore.Version v, Map<String, Object[]> buckets, long beforeDay) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO funnel_buckets (funnel_id, mode, granularity, bucket_start, dimension, value, part, gen, sessions,
                    events, durations)
                VALUES (?, ?, ?, ?, ?, ?, -1, 0, ?, ?, ?)
                ON CONFLICT (funnel_id, mode, granularity, dimension, bucket_start, value, part, gen) DO UPDATE SET
                    sessions = EXCLUDED.sessions, events = EXCLUDED.events, durations = EXCLUDED.durations""")) {
            int n = 0;
            for (Iterator<Object[]> it = buckets.values().iterator(); it.hasNext(); ) {
                Object[] e = it.next();
                long bucketStart = (Long) e[2];
                if (Granularity.DAY.bucketStart(bucketStart * 1000) >= beforeDay) {
                    continue;
                }
                FunnelAggregate a = (FunnelAggregate) e[5];
                ps.setInt(1, v.id());
                ps.setString(2, ((FunnelMode) e[0]).wireName());
                ps.setString(3, String.valueOf(((Granularity) e[1]).code()));
                ps.setTimestamp(4, Timestamp.from(Instant.ofEpochSecond(bucketStart)));
                ps.setShort(5, ((Dimension) e[3]).code());
                ps.setString(6, (String) e[4]);
                ps.setArray(7, array(c, a.sessions));
                ps.setArray(8, array(c, a.events));
                ps.setBytes(9, a.encodeDurations());
                ps.addBatch();
                it.remove();
                n++;
            }
            if (n > 0) {
                ps.executeBatch();
            }
        }
    }

    private static Array array(Connection c, long[] values) throws SQLException {
        Long[] boxed = new Long[values.length];
        for (int i = 0; i < values.length; i++) {
            boxed[i] = values[i];
        }
        return c.createArrayOf("bigint", boxed);
    }

    private boolean tryLock(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            ps.setLong(1, LOCK);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private int partitions() throws SQLException {
        if (partitions == null) {
            try {
                partitions = admin.describeTopics(List.of(Topics.EVENTS.name())).allTopicNames().get(10, TimeUnit.SECONDS)
                        .get(Topics.EVENTS.name()).partitions().size();
            } catch (Exception e) {
                throw new SQLException("cannot tell how many partitions " + Topics.EVENTS.name() + " has: " + e, e);
            }
        }
        return partitions;
    }

    private Map<TopicPartition, Long> endOffsets() throws Exception {
        Map<TopicPartition, OffsetSpec> ask = new HashMap<>();
        admin.describeTopics(List.of(Topics.AGGREGATES.name())).allTopicNames().get(10, TimeUnit.SECONDS).forEach((topic, d) ->
                d.partitions().forEach(p -> ask.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest())));
        Map<TopicPartition, Long> out = new HashMap<>();
        admin.listOffsets(ask).all().get(10, TimeUnit.SECONDS).forEach((tp, end) -> out.put(tp, end.offset()));
        return out;
    }

    private boolean sinkReached(Map<TopicPartition, Long> ends) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(sinkGroup)
                .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        List<TopicPartition> behind = new ArrayList<>();
        ends.forEach((tp, end) -> {
            OffsetAndMetadata c = committed.get(tp);
            // a transaction's commit marker takes an offset no consumer commits past
            if (end > 0 && (c == null || c.offset() < end - 1)) {
                behind.add(tp);
            }
        });
        return behind.isEmpty();
    }
}
