package io.funnelflow.aggregator.stream;

import io.funnelflow.aggregator.aggregate.AggregateKey;
import io.funnelflow.aggregator.aggregate.Dimension;
import io.funnelflow.aggregator.aggregate.EventAggregate;
import io.funnelflow.aggregator.aggregate.FunnelAggregate;
import io.funnelflow.aggregator.aggregate.Granularity;
import io.funnelflow.aggregator.aggregate.SessionAggregate;
import io.funnelflow.aggregator.aggregate.SessionFacts;
import io.funnelflow.aggregator.funnel.FunnelMode;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * One stream partition's share of every bucket's figures: kept in a state store (so they move with the
 * task and survive restarts), changed in memory while a flush applies sessions' contributions, then
 * written back and published once per flush for the buckets that changed — absolute values keyed by
 * bucket, partition and generation, so the sink's upserts make a replay change nothing.
 *
 * <p>A bucket older than the horizon leaves the state; a change that reaches it later starts a new
 * generation of it (from zero, possibly negative), and a bucket's figure is the sum of all generations.
 */
final class Partials {

    /** A bucket, without partition and generation. */
    record Bucket(char kind, int funnelId, FunnelMode mode, Granularity granularity, long start, Dimension dimension,
                  String value) {

        AggregateKey key(int part, long gen) {
            return switch (kind) {
                case 'S' -> new AggregateKey.Sessions(granularity, start, dimension, value, part, gen);
                case 'F' -> new AggregateKey.Funnel(funnelId, mode, granularity, start, dimension, value, part, gen);
                case 'E' -> new AggregateKey.Events(granularity, start, value, part, gen);
                default -> throw new IllegalStateException("unknown bucket kind " + kind);
            };
        }

        String storeKey() {
            return key(0, 0).encode();
        }

        // written out: a flush looks buckets up a hundred times per changed session, and the generated
        // record methods (method handles over every field) cost several times these
        @Override
        public int hashCode() {
            int h = kind;
            h = 31 * h + funnelId;
            h = 31 * h + (mode == null ? 0 : mode.ordinal() + 1);
            h = 31 * h + granularity.ordinal();
            h = 31 * h + Long.hashCode(start);
            h = 31 * h + dimension.ordinal();
            return 31 * h + value.hashCode();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Bucket b && kind == b.kind && funnelId == b.funnelId && mode == b.mode
                    && granularity == b.granularity && start == b.start && dimension == b.dimension && value.equals(b.value);
        }
    }

    private static final class Entry {
        final long gen;
        final Object aggregate;

        Entry(long gen, Object aggregate) {
            this.gen = gen;
            this.aggregate = aggregate;
        }
    }

    /** Decoded buckets kept in the heap between flushes, per task (a bucket with its sketch is up to ~3 KB). */
    private static final int MAX_CACHED = 5_000;

    private final KeyValueStore<String, byte[]> store;
    private final KeyValueStore<String, Integer> visitorRegister;
    private final Map<Bucket, Entry> cache = new HashMap<>();
    private final Set<Bucket> dirty = new LinkedHashSet<>();
    /** Hour buckets (per dimension value) that lost a visitor since the last flush. */
    private final Set<Bucket> recount = new LinkedHashSet<>();

    /**
     * @param store           the buckets' figures
     * @param visitorRegister per hour bucket and dimension value, each visitor's number of sessions in it:
     *                        what makes distinct visitors retractable (a sketch alone cannot forget)
     */
    Partials(KeyValueStore<String, byte[]> store, KeyValueStore<String, Integer> visitorRegister) {
        this.store = store;
        this.visitorRegister = visitorRegister;
    }

    SessionAggregate sessions(Granularity g, long start, Dimension d, String value, long now) {
        return (SessionAggregate) entry(new Bucket('S', 0, null, g, start, d, clean(value)), now, 0).aggregate;
    }

    FunnelAggregate funnel(int funnelId, FunnelMode mode, int steps, Granularity g, long start, Dimension d, String value,
                           long now) {
        return (FunnelAggregate) entry(new Bucket('F', funnelId, mode, g, start, d, clean(value)), now, steps).aggregate;
    }

    EventAggregate events(Granularity g, long start, String eventType, long now) {
        return (EventAggregate) entry(new Bucket('E', 0, null, g, start, Dimension.ALL, clean(eventType)), now, 0).aggregate;
    }

    private Entry entry(Bucket bucket, long now, int steps) {
        dirty.add(bucket);
        Entry e = cache.get(bucket);
        if (e != null) {
            return e;
        }
        byte[] stored = store.get(bucket.storeKey());
        if (stored != null) {
            ByteBuffer b = ByteBuffer.wrap(stored);
            long gen = b.getLong();
            byte[] value = new byte[stored.length - 8];
            b.get(value);
            e = new Entry(gen, decode(bucket.kind(), value));
        } else {
            e = new Entry(now, fresh(bucket.kind(), steps));
        }
        cache.put(bucket, e);
        return e;
    }

    private static Object fresh(char kind, int steps) {
        return switch (kind) {
            case 'S' -> new SessionAggregate();
            case 'F' -> new FunnelAggregate(steps);
            default -> new EventAggregate();
        };
    }

    private static Object decode(char kind, byte[] value) {
        return switch (kind) {
            case 'S' -> SessionAggregate.decode(value);
            case 'F' -> FunnelAggregate.decode(value);
            default -> EventAggregate.decode(value);
        };
    }

    private static byte[] encode(Object aggregate) {
        if (aggregate instanceof SessionAggregate s) {
            return s.encode();
        }
        if (aggregate instanceof FunnelAggregate f) {
            return f.encode();
        }
        return ((EventAggregate) aggregate).encode();
    }

    /** Separator characters cannot be part of a value (they never pass validation; this keeps keys sound). */
    private static String clean(String value) {
        return value.indexOf(AggregateKey.SEP) < 0 ? value : value.replace(AggregateKey.SEP, ' ');
    }

    /**
     * Moves a session's contribution: subtracts {@code before} (null: it had none) and adds {@code after}
     * (null: it has none any more), touching only the parts that changed. Funnels that are no longer
     * counted are not subtracted from: nothing reads them.
     */
    void move(SessionFacts before, SessionFacts after, ActiveFunnels counted, long now) {
        if (before == null && after == null) {
            return;
        }
        boolean sameBuckets = before != null && before.sameBuckets(after);
        if (!(before != null && before.sameSessionFigures(after))) {
            boolean visitorMoved = before == null || !sameBuckets
                    || !java.util.Objects.equals(before.visitor(), after == null ? null : after.visitor());
            if (before != null) {
                forEachSessionRow(before, now, a -> a.apply(before, -1));
                if (visitorMoved) {
                    countVisitor(before, -1, now);
                }
            }
            if (after != null) {
                forEachSessionRow(after, now, a -> a.apply(after, 1));
                if (visitorMoved) {
                    countVisitor(after, 1, now);
                }
            }
        }
        List<SessionFacts.FunnelFacts> all = new ArrayList<>();
        if (after != null) {
            all.addAll(after.funnels());
        }
        if (before != null) {
            for (SessionFacts.FunnelFacts f : before.funnels()) {
                if (after == null || after.funnel(f.funnelId(), f.mode()) == null) {
                    all.add(f);
                }
            }
        }
        for (SessionFacts.FunnelFacts f : all) {
            SessionFacts.FunnelFacts was = before == null ? null : before.funnel(f.funnelId(), f.mode());
            SessionFacts.FunnelFacts is = after == null ? null : after.funnel(f.funnelId(), f.mode());
            if (sameBuckets && was != null && was.sameAs(is)) {
                continue;
            }
            if (was != null && was.depth() > 0 && counted.byId(was.funnelId()) != null) {
                forEachFunnelRow(before, was, now, a -> a.apply(was, -1));
            }
            if (is != null && is.depth() > 0) {
                forEachFunnelRow(after, is, now, a -> a.apply(is, 1));
            }
        }
    }

    /**
     * Counts a session's visitor in (sign 1) or out of (sign -1) its hour bucket's register, per dimension
     * value. A visitor new to the hour goes into the hour's and the day's sketches at once; one whose last
     * session leaves the hour has the hour's sketch rebuilt from the register at the next flush, and its
     * day's from the day's hours (so a visitor who signs in midway, or whose session moves to another hour,
     * is counted once, as the final sessions say).
     */
    private void countVisitor(SessionFacts f, int sign, long now) {
        if (f.visitor() == null) {
            return;
        }
        String visitor = clean(f.visitor());
        long hour = Granularity.HOUR.bucketStart(f.startMillis());
        long day = Granularity.DAY.bucketStart(f.startMillis());
        for (Dimension d : Dimension.values()) {
            Bucket h = new Bucket('S', 0, null, Granularity.HOUR, hour, d, clean(f.value(d)));
            String key = h.storeKey() + AggregateKey.SEP + visitor;
            Integer stored = visitorRegister.get(key);
            int was = stored == null ? 0 : stored;
            int is = Math.max(0, was + sign);
            if (is == 0) {
                if (was > 0) {
                    visitorRegister.delete(key);
                    recount.add(h);
                }
            } else {
                visitorRegister.put(key, is);
            }
            if (was == 0 && is > 0) {
                sessions(Granularity.HOUR, hour, d, h.value(), now).addVisitor(visitor);
                sessions(Granularity.DAY, day, d, h.value(), now).addVisitor(visitor);
            }
        }
    }

    /** Rebuilds the sketches of the hours that lost a visitor, then those of their days. */
    private void recountVisitors(long now) {
        if (recount.isEmpty()) {
            return;
        }
        Set<Bucket> days = new LinkedHashSet<>();
        for (Bucket h : recount) {
            String prefix = h.storeKey() + AggregateKey.SEP;
            org.apache.datasketches.hll.HllSketch sketch = null;
            try (KeyValueIterator<String, Integer> it = visitorRegister.prefixScan(prefix, new StringSerializer())) {
                while (it.hasNext()) {
                    if (sketch == null) {
                        sketch = SessionAggregate.emptySketch();
                    }
                    sketch.update(it.next().key.substring(prefix.length()));
                }
            }
            sessions(Granularity.HOUR, h.start(), h.dimension(), h.value(), now).replaceVisitors(sketch);
            days.add(new Bucket('S', 0, null, Granularity.DAY, Granularity.DAY.bucketStart(h.start() * 1000), h.dimension(), h.value()));
        }
        recount.clear();
        for (Bucket day : days) {
            org.apache.datasketches.hll.Union union = new org.apache.datasketches.hll.Union(SessionAggregate.LG_K);
            boolean any = false;
            for (long hour = day.start(); hour < day.start() + Granularity.DAY.seconds(); hour += Granularity.HOUR.seconds()) {
                SessionAggregate a = peekSessions(new Bucket('S', 0, null, Granularity.HOUR, hour, day.dimension(), day.value()));
                if (a != null && a.visitors() != null) {
                    union.update(a.visitors());
                    any = true;
                }
            }
            sessions(Granularity.DAY, day.start(), day.dimension(), day.value(), now)
                    .replaceVisitors(any ? union.getResult(org.apache.datasketches.hll.TgtHllType.HLL_4) : null);
        }
    }

    /** A session bucket's figures as they stand, without creating or touching it; null when it has none. */
    private SessionAggregate peekSessions(Bucket bucket) {
        Entry e = cache.get(bucket);
        if (e != null) {
            return (SessionAggregate) e.aggregate;
        }
        byte[] stored = store.get(bucket.storeKey());
        return stored == null ? null : SessionAggregate.decode(java.util.Arrays.copyOfRange(stored, 8, stored.length));
    }

    private void forEachSessionRow(SessionFacts f, long now, java.util.function.Consumer<SessionAggregate> action) {
        for (Granularity g : Granularity.values()) {
            long start = g.bucketStart(f.startMillis());
            for (Dimension d : Dimension.values()) {
                action.accept(sessions(g, start, d, f.value(d), now));
            }
        }
    }

    private void forEachFunnelRow(SessionFacts f, SessionFacts.FunnelFacts ff, long now,
                                  java.util.function.Consumer<FunnelAggregate> action) {
        for (Granularity g : Granularity.values()) {
            long start = g.bucketStart(f.startMillis());
            for (Dimension d : Dimension.values()) {
                action.accept(funnel(ff.funnelId(), ff.mode(), ff.steps(), g, start, d, f.value(d), now));
            }
        }
    }

    /** Writes every changed bucket back to the store and hands its record to {@code emit}. */
    void flush(int part, BiConsumer<String, byte[]> emit, long now) {
        recountVisitors(now);
        for (Bucket bucket : dirty) {
            Entry e = cache.get(bucket);
            byte[] value = encode(e.aggregate);
            byte[] stored = ByteBuffer.allocate(8 + value.length).putLong(e.gen).put(value).array();
            store.put(bucket.storeKey(), stored);
            emit.accept(bucket.key(part, e.gen).encode(), value);
        }
        dirty.clear();
        if (cache.size() > MAX_CACHED) {
            cache.clear();
        }
    }

    /** Drops from the state the buckets that started before {@code startSeconds}. */
    int purgeBefore(long startSeconds) {
        List<String> old = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                if (bucketStart(AggregateKey.parse(kv.key)) < startSeconds) {
                    old.add(kv.key);
                }
            }
        }
        old.forEach(store::delete);
        List<String> oldVisitors = new ArrayList<>();
        try (KeyValueIterator<String, Integer> it = visitorRegister.all()) {
            while (it.hasNext()) {
                String key = it.next().key;
                if (bucketStart(AggregateKey.parse(key.substring(0, key.lastIndexOf(AggregateKey.SEP)))) < startSeconds) {
                    oldVisitors.add(key);
                }
            }
        }
        oldVisitors.forEach(visitorRegister::delete);
        cache.clear();
        return old.size();
    }

    private static long bucketStart(AggregateKey key) {
        if (key instanceof AggregateKey.Sessions s) {
            return s.bucketStart();
        }
        if (key instanceof AggregateKey.Funnel f) {
            return f.bucketStart();
        }
        if (key instanceof AggregateKey.Events e) {
            return e.bucketStart();
        }
        return Long.MAX_VALUE;
    }

    /** Forgets what is held in memory (a task that starts over reads the store again). */
    void reset() {
        cache.clear();
        dirty.clear();
        recount.clear();
    }
}
