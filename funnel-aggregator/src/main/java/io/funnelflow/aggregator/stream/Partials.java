package io.funnelflow.aggregator.stream;

import io.funnelflow.aggregator.aggregate.AggregateKey;
import io.funnelflow.aggregator.aggregate.Dimension;
import io.funnelflow.aggregator.aggregate.EventAggregate;
import io.funnelflow.aggregator.aggregate.FunnelAggregate;
import io.funnelflow.aggregator.aggregate.Granularity;
import io.funnelflow.aggregator.aggregate.SessionAggregate;
import io.funnelflow.aggregator.aggregate.SessionFacts;
import io.funnelflow.aggregator.funnel.FunnelMode;
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
    }

    private static final class Entry {
        final long gen;
        final Object aggregate;

        Entry(long gen, Object aggregate) {
            this.gen = gen;
            this.aggregate = aggregate;
        }
    }

    private static final int MAX_CACHED = 50_000;

    private final KeyValueStore<String, byte[]> store;
    private final Map<Bucket, Entry> cache = new HashMap<>();
    private final Set<Bucket> dirty = new LinkedHashSet<>();

    Partials(KeyValueStore<String, byte[]> store) {
        this.store = store;
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
            boolean newVisitor = before == null || !sameBuckets || !java.util.Objects.equals(before.visitor(), after == null ? null : after.visitor());
            if (before != null) {
                forEachSessionRow(before, now, a -> a.apply(before, -1));
            }
            if (after != null) {
                forEachSessionRow(after, now, a -> {
                    a.apply(after, 1);
                    if (newVisitor) {
                        a.addVisitor(after.visitor());
                    }
                });
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
    void flush(int part, BiConsumer<String, byte[]> emit) {
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
    }
}
