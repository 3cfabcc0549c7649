package io.funnelflow.aggregator.stream;

import io.funnelflow.aggregator.aggregate.AggregateKey;
import io.funnelflow.aggregator.aggregate.Granularity;
import io.funnelflow.aggregator.aggregate.SessionFacts;
import io.funnelflow.contract.event.RejectedEvent;
import io.funnelflow.contract.event.TrackedEvent;
import io.funnelflow.contract.funnel.SavedFunnel;
import io.funnelflow.contract.session.LateEvent;
import io.funnelflow.contract.session.SessionSummary;
import io.funnelflow.contract.session.SessionTimeline;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns each session key's events into sessions, and sessions into every figure the query side
 * serves, exactly once.
 *
 * <p>An event costs O(1) when it arrives: it is stored under its key (its own state entry), counted
 * in its event-time buckets, and noted as pending. Every {@code flushInterval} the keys with pending
 * events are brought up to date once each: events that extend the latest session are folded into it
 * (O(1) each, whatever the session's length); an event that lands before what was folded already, or
 * a change of the saved funnels, re-folds the key's sessions from its stored events. Each changed
 * session's old contribution is subtracted from its buckets and the new one added, its summary is
 * published once, and the changed buckets are published once per flush.
 *
 * <p>Sessions are a function of the set of events, not of their order of arrival: a new session starts
 * when an event comes at least the inactivity gap after the one before. A client session id's sessions
 * are named by the key, then {@code key#2}, {@code key#3} …; a visitor's (no session id) by the key and
 * the session's start, so they never repeat. A session that ceases to exist (merged by a bridging late
 * event, renamed) is published as a tombstone.
 *
 * <p>Chores on the wall clock: publishing sessions that have gone quiet as closed; publishing a closed
 * session's ordered events once it has been unchanged for a while; forgetting keys idle for the
 * retention (their sessions are final); leaving old buckets; re-counting every key held after the
 * saved funnels changed, a batch per flush, with each partition's progress published.
 */
final class Sessionizer implements Processor<String, Input, String, Out> {

    private static final Logger LOG = LoggerFactory.getLogger(Sessionizer.class);

    static final String EVENTS = "session-events";
    static final String STATES = "session-key-states";
    static final String PENDING = "pending-session-events";
    static final String OPEN = "open-session-keys";
    static final String TIMELINES_DUE = "session-timelines-due";
    static final String PARTIALS = "bucket-partials";
    static final String VISITORS = "bucket-visitors";
    static final String SWEEP = "funnel-sweep";
    static final String REGISTRY = "funnel-registry";

    private static final Duration QUIET_CHECK = Duration.ofSeconds(30);
    private static final Duration TIMELINE_CHECK = Duration.ofSeconds(1);
    private static final Duration HOUSEKEEPING = Duration.ofHours(1);
    /**
     * Decoded key states kept in the heap, per task (a stream thread runs one task per partition it
     * owns): enough for the keys a burst touches between two flushes, small enough that every task of a
     * 256 MB aggregator fits (a key state with its funnels' progress is one to two kilobytes).
     */
    private static final int CACHED_KEYS = 2_000;
    private static final String SWEEP_KEY = "sweep";

    private final StreamSettings settings;
    private final long gap;
    private ProcessorContext<String, Out> context;
    private KeyValueStore<Bytes, byte[]> events;
    private KeyValueStore<String, byte[]> states;
    private KeyValueStore<String, byte[]> pending;
    private KeyValueStore<String, Long> open;
    private KeyValueStore<String, Long> timelinesDue;
    private KeyValueStore<String, byte[]> sweep;
    private TimestampedKeyValueStore<String, SavedFunnel> registry;
    private Partials partials;
    private int part;
    private final Map<String, KeyState> cache = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, KeyState> eldest) {
            return size() > CACHED_KEYS;
        }
    };
    private ActiveFunnels current = ActiveFunnels.onlyDefault();

    Sessionizer(StreamSettings settings) {
        this.settings = settings;
        this.gap = settings.inactivityGap().toMillis();
    }

    @Override
    public void init(ProcessorContext<String, Out> context) {
        this.context = context;
        this.events = context.getStateStore(EVENTS);
        this.states = context.getStateStore(STATES);
        this.pending = context.getStateStore(PENDING);
        this.open = context.getStateStore(OPEN);
        this.timelinesDue = context.getStateStore(TIMELINES_DUE);
        this.sweep = context.getStateStore(SWEEP);
        this.registry = context.getStateStore(REGISTRY);
        this.partials = new Partials(context.getStateStore(PARTIALS), context.getStateStore(VISITORS));
        this.part = context.taskId().partition();
        // a task that starts again (after a failure, a rebalance) reads its stores afresh
        cache.clear();
        partials.reset();
        current = readRegistry();
        context.schedule(settings.flushInterval(), PunctuationType.WALL_CLOCK_TIME, this::flush);
        context.schedule(QUIET_CHECK, PunctuationType.WALL_CLOCK_TIME, this::closeQuietSessions);
        context.schedule(TIMELINE_CHECK, PunctuationType.WALL_CLOCK_TIME, this::publishDueTimelines);
        context.schedule(HOUSEKEEPING, PunctuationType.WALL_CLOCK_TIME, this::housekeeping);
    }

    @Override
    public void process(Record<String, Input> record) {
        String key = record.key();
        if (record.value() instanceof Input.Erase) {
            erase(key);
            return;
        }
        TrackedEvent e = ((Input.Event) record.value()).event();
        long now = context.currentSystemTimeMs();
        long time = e.eventTime().toEpochMilli();
        boolean late = e.receivedAt() != null
                && e.receivedAt().toEpochMilli() - time > settings.lateAfter().toMillis();
        if (late) {
            long delay = (e.receivedAt().toEpochMilli() - time) / 1000;
            forward(new Out.Late(new LateEvent(e.eventId(), e.eventType(), key, e.eventTime(), e.receivedAt(), delay,
                    "arrived " + delay + " s after its event time (more than " + settings.lateAfter().toSeconds()
                            + " s); counted in its own hour")), e.eventId(), now);
        }
        byte[] stored = pending.get(key);
        Pending p = stored != null ? Pending.decode(stored)
                : new Pending(e.sessionId() != null && !e.sessionId().isBlank() ? KeyState.CLIENT : KeyState.VISITOR);
        p.count(e.eventType(), Granularity.HOUR.bucketStart(time), e.revenue(), late);
        KeyState state = load(key);
        int kept = (state == null ? 0 : state.storedEvents) + p.positions.size();
        if (kept >= settings.maxEventsPerKey()) {
            p.dropped++;
        } else {
            events.put(EventKeys.key(key, time, e.eventId()), StoredEvent.of(e).encode());
            p.positions.add(EventKeys.position(time, e.eventId()));
        }
        pending.put(key, p.encode());
    }

    // ---- the flush -----------------------------------------------------------------------------------

    private void flush(long now) {
        current = readRegistry();
        List<KeyValue<String, byte[]>> due = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = pending.all()) {
            while (it.hasNext()) {
                due.add(it.next());
            }
        }
        for (KeyValue<String, byte[]> kv : due) {
            pending.delete(kv.key);
            try {
                bringUpToDate(kv.key, Pending.decode(kv.value), now);
            } catch (RuntimeException failed) {
                // never a replay loop: the key's events stay stored and are folded with its next ones
                cache.remove(kv.key);
                LOG.error("Could not bring session key {} up to date; its new events wait for its next ones", kv.key, failed);
                forward(new Out.Rejected(new RejectedEvent(RejectedEvent.STAGE_AGGREGATOR, null, "session_key",
                        "the aggregator could not summarise session key '" + kv.key + "': " + failed,
                        Instant.ofEpochMilli(now), null, null)), kv.key, now);
            }
        }
        sweepBatch(now);
        partials.flush(part, (key, value) -> forward(new Out.Aggregate(value), key, now), now);
    }

    private void bringUpToDate(String key, Pending p, long now) {
        p.counts.forEach((typeAndHour, c) -> {
            long hour = typeAndHour.getValue();
            for (Granularity g : Granularity.values()) {
                partials.events(g, g.bucketStart(hour * 1000), typeAndHour.getKey(), now).add(c.events, c.revenue, c.late);
            }
        });
        KeyState state = load(key);
        if (state == null) {
            state = new KeyState(p.kind);
            state.generation = -1;
        }
        state.touchedAt = now;
        boolean newlyTruncated = p.dropped > 0 && state.droppedEvents == 0;
        state.droppedEvents += p.dropped;
        if (p.positions.isEmpty()) {
            if (newlyTruncated && state.last != null) {
                publish(key, state, state.last, now);
            }
            save(key, state);
            return;
        }
        byte[] earliest = p.positions.stream().min(EventKeys::compare).orElseThrow();
        boolean extendsLatest = state.last != null && state.generation == current.generation()
                && state.lastPosition != null && EventKeys.compare(earliest, state.lastPosition) > 0;
        state.storedEvents += p.positions.size();
        if (extendsLatest) {
            foldLatest(key, state, now);
        } else {
            refold(key, state, p.positions, now);
        }
        retireOldSessions(key, state, now);
        save(key, state);
    }

    /** The common case: every new event comes after everything folded; only the latest session (or new ones) change. */
    private void foldLatest(String key, KeyState state, long now) {
        SessionFold fold = state.last;
        SessionFacts before = fold.facts(key);
        List<SessionFold> changed = new ArrayList<>(2);
        changed.add(fold);
        try (KeyValueIterator<Bytes, byte[]> it = events.range(EventKeys.after(key, state.lastPosition), EventKeys.afterLast(key))) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> kv = it.next();
                StoredEvent e = StoredEvent.decode(kv.value);
                if (e.time() - fold.end() >= gap) {
                    updateSlot(state, fold, now);
                    fold = new SessionFold(state.sessionName(key, state.sessions.size(), e.time()), current);
                    state.sessions.add(new KeyState.Slot(fold.id, e.time(), e.time(), 0, 0));
                    changed.add(fold);
                }
                fold.add(e);
                state.lastPosition = positionOf(key, kv.key);
            }
        }
        updateSlot(state, fold, now);
        state.last = fold;
        for (int i = 0; i < changed.size(); i++) {
            SessionFold f = changed.get(i);
            partials.move(i == 0 ? before : null, f.facts(key), current, now);
            publish(key, state, f, now);
        }
    }

    /**
     * Re-folds every session of the key from its stored events: what the figures said before (the
     * events without the pending ones, with the funnels they were counted with) is subtracted and what
     * they say now added, session by session; vanished sessions are published as tombstones.
     */
    private void refold(String key, KeyState state, List<byte[]> pendingPositions, long now) {
        Set<ByteBuffer> fresh = new HashSet<>();
        pendingPositions.forEach(pos -> fresh.add(ByteBuffer.wrap(pos)));
        List<StoredEvent> all = new ArrayList<>();
        List<StoredEvent> before = new ArrayList<>();
        byte[] lastPosition = null;
        try (KeyValueIterator<Bytes, byte[]> it = events.range(EventKeys.first(key), EventKeys.afterLast(key))) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> kv = it.next();
                StoredEvent e = StoredEvent.decode(kv.value);
                byte[] position = positionOf(key, kv.key);
                all.add(e);
                if (!fresh.contains(ByteBuffer.wrap(position))) {
                    before.add(e);
                }
                lastPosition = position;
            }
        }
        ActiveFunnels counted = current.only(state.funnelIds);
        List<SessionFold> old = state.generation < 0 && state.sessions.isEmpty() ? List.of() : folds(key, state, before, counted);
        List<SessionFold> now_ = folds(key, state, all, current);
        Map<String, SessionFold> oldById = new HashMap<>();
        old.forEach(f -> oldById.put(f.id, f));
        Map<String, KeyState.Slot> slots = new HashMap<>();
        state.sessions.forEach(s -> slots.put(s.id, s));
        state.sessions.clear();
        for (SessionFold f : now_) {
            SessionFold was = oldById.remove(f.id);
            SessionFacts after = f.facts(key);
            partials.move(was == null ? null : was.facts(key), after, counted, now);
            KeyState.Slot previous = slots.get(f.id);
            state.sessions.add(new KeyState.Slot(f.id, f.start(), f.end(), f.events(), previous == null ? 0 : previous.timelineDue));
            boolean unchanged = was != null && was.summary(key, state.truncated(), closed(was, now))
                    .equals(f.summary(key, state.truncated(), closed(f, now)));
            if (!unchanged) {
                publish(key, state, f, now);
            }
        }
        for (SessionFold gone : oldById.values()) {
            partials.move(gone.facts(key), null, counted, now);
            forward(new Out.Summary(null), gone.id, now);
            forward(new Out.Timeline(null), gone.id, now);
        }
        state.last = now_.isEmpty() ? null : now_.get(now_.size() - 1);
        state.lastPosition = lastPosition;
        state.generation = current.generation();
        state.funnelIds = current.ids();
    }

    /** The key's sessions from its events in order, named as the key names them. */
    private List<SessionFold> folds(String key, KeyState state, List<StoredEvent> ordered, ActiveFunnels funnels) {
        List<SessionFold> out = new ArrayList<>();
        SessionFold fold = null;
        for (StoredEvent e : ordered) {
            if (fold == null || e.time() - fold.end() >= gap) {
                fold = new SessionFold(state.sessionName(key, out.size(), e.time()), funnels);
                out.add(fold);
            }
            fold.add(e);
        }
        return out;
    }

    private void updateSlot(KeyState state, SessionFold fold, long now) {
        KeyState.Slot slot = state.slot(fold.id);
        slot.start = fold.start();
        slot.end = fold.end();
        slot.events = fold.events();
    }

    /** Publishes a session's summary; a closed one will have its ordered events published once it stays unchanged. */
    private void publish(String key, KeyState state, SessionFold fold, long now) {
        boolean closed = closed(fold, now);
        forward(new Out.Summary(fold.summary(key, state.truncated(), closed)), fold.id, now);
        KeyState.Slot slot = state.slot(fold.id);
        if (closed && slot != null) {
            slot.timelineDue = now + settings.timelineDelay().toMillis();
            Long due = timelinesDue.get(key);
            if (due == null || due > slot.timelineDue) {
                timelinesDue.put(key, slot.timelineDue);
            }
        } else if (slot == state.lastSlot()) {
            open.put(key, fold.end());
        }
    }

    private boolean closed(SessionFold fold, long now) {
        return now - fold.end() >= gap;
    }

    /** Sessions over the per-key cap leave the state, oldest first: they are final from then on. */
    private void retireOldSessions(String key, KeyState state, long now) {
        while (state.sessions.size() > settings.maxSessionsPerKey()) {
            KeyState.Slot oldest = state.sessions.remove(0);
            if (oldest.timelineDue > 0) {
                publishTimeline(key, oldest, now);
            }
            finalise(oldest, state, now);
            state.storedEvents -= deleteEvents(key, oldest.start, oldest.end);
            state.retiredSessions++;
        }
    }

    // ---- erasure -------------------------------------------------------------------------------------

    /** Forgets the key: its sessions' contributions are subtracted from every figure, its state dropped, tombstones published. */
    private void erase(String key) {
        long now = context.currentSystemTimeMs();
        current = readRegistry();
        KeyState state = load(key);
        byte[] pendingBytes = pending.get(key);
        if (pendingBytes != null) {
            // event counts are not about a person: the erased key's events stay counted per type and hour
            Pending.decode(pendingBytes).counts.forEach((typeAndHour, c) -> {
                for (Granularity g : Granularity.values()) {
                    partials.events(g, g.bucketStart(typeAndHour.getValue() * 1000), typeAndHour.getKey(), now)
                            .add(c.events, c.revenue, c.late);
                }
            });
        }
        if (state != null && !state.sessions.isEmpty()) {
            Set<ByteBuffer> fresh = new HashSet<>();
            if (pendingBytes != null) {
                Pending.decode(pendingBytes).positions.forEach(pos -> fresh.add(ByteBuffer.wrap(pos)));
            }
            List<StoredEvent> counted = new ArrayList<>();
            try (KeyValueIterator<Bytes, byte[]> it = events.range(EventKeys.first(key), EventKeys.afterLast(key))) {
                while (it.hasNext()) {
                    KeyValue<Bytes, byte[]> kv = it.next();
                    if (!fresh.contains(ByteBuffer.wrap(positionOf(key, kv.key)))) {
                        counted.add(StoredEvent.decode(kv.value));
                    }
                }
            }
            ActiveFunnels with = current.only(state.funnelIds);
            for (SessionFold f : folds(key, state, counted, with)) {
                partials.move(f.facts(key), null, with, now);
            }
            for (KeyState.Slot s : state.sessions) {
                forward(new Out.Summary(null), s.id, now);
                forward(new Out.Timeline(null), s.id, now);
            }
        }
        deleteEvents(key, Long.MIN_VALUE, Long.MAX_VALUE);
        states.delete(key);
        cache.remove(key);
        pending.delete(key);
        open.delete(key);
        timelinesDue.delete(key);
    }

    // ---- chores ----------------------------------------------------------------------------------------

    private void closeQuietSessions(long now) {
        List<String> quiet = new ArrayList<>();
        try (KeyValueIterator<String, Long> it = open.all()) {
            while (it.hasNext()) {
                KeyValue<String, Long> kv = it.next();
                if (now - kv.value >= gap) {
                    quiet.add(kv.key);
                }
            }
        }
        for (String key : quiet) {
            open.delete(key);
            KeyState state = load(key);
            if (state != null && state.last != null && closed(state.last, now)) {
                publish(key, state, state.last, now);
                save(key, state);
            }
        }
    }

    private void publishDueTimelines(long now) {
        List<String> due = new ArrayList<>();
        try (KeyValueIterator<String, Long> it = timelinesDue.all()) {
            while (it.hasNext()) {
                KeyValue<String, Long> kv = it.next();
                if (kv.value <= now) {
                    due.add(kv.key);
                }
            }
        }
        for (String key : due) {
            KeyState state = load(key);
            if (state == null) {
                timelinesDue.delete(key);
                continue;
            }
            long next = Long.MAX_VALUE;
            for (KeyState.Slot s : state.sessions) {
                if (s.timelineDue > 0 && s.timelineDue <= now) {
                    publishTimeline(key, s, now);
                } else if (s.timelineDue > 0) {
                    next = Math.min(next, s.timelineDue);
                }
            }
            if (next == Long.MAX_VALUE) {
                timelinesDue.delete(key);
            } else {
                timelinesDue.put(key, next);
            }
            save(key, state);
        }
    }

    private void publishTimeline(String key, KeyState.Slot s, long now) {
        List<String> types = new ArrayList<>(s.events);
        List<Long> times = new ArrayList<>(s.events);
        try (KeyValueIterator<Bytes, byte[]> it = events.range(EventKeys.key(key, s.start, ""), EventKeys.key(key, s.end + 1, ""))) {
            while (it.hasNext()) {
                StoredEvent e = StoredEvent.decode(it.next().value);
                types.add(e.type());
                times.add(e.time());
            }
        }
        s.timelineDue = 0;
        if (!types.isEmpty()) {
            forward(new Out.Timeline(new SessionTimeline(s.id, types, times)), s.id, now);
        }
    }

    private void housekeeping(long now) {
        List<String> idle = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = states.all()) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                if (now - KeyState.touchedAt(kv.value) > settings.idleRetention().toMillis()) {
                    idle.add(kv.key);
                }
            }
        }
        for (String key : idle) {
            KeyState state = load(key);
            if (state == null || pending.get(key) != null) {
                continue;
            }
            for (KeyState.Slot s : state.sessions) {
                if (s.timelineDue > 0) {
                    publishTimeline(key, s, now);
                }
                finalise(s, state, now);
            }
            deleteEvents(key, Long.MIN_VALUE, Long.MAX_VALUE);
            states.delete(key);
            cache.remove(key);
            open.delete(key);
            timelinesDue.delete(key);
        }
        partials.purgeBefore(Granularity.DAY.bucketStart(now - settings.bucketHorizon().toMillis()));
    }

    /** Tells the sink that a session has left the state, with the generation its figures were counted at. */
    private void finalise(KeyState.Slot s, KeyState state, long now) {
        forward(new Out.Aggregate(ByteBuffer.allocate(8).putLong(state.generation).array()),
                new AggregateKey.Final(s.id).encode(), now);
    }

    // ---- re-counting after the saved funnels changed ----------------------------------------------------

    /**
     * When the saved funnels change, every key held is re-counted with the new ones, a batch per flush
     * (keys with new events are re-counted as they are brought up to date). Each partition publishes its
     * progress; a funnel saved later is complete once every partition is done and its history beyond the
     * state has been counted from PostgreSQL.
     */
    private void sweepBatch(long now) {
        byte[] stored = sweep.get(SWEEP_KEY);
        ByteBuffer b = stored == null ? null : ByteBuffer.wrap(stored);
        long generation = b == null ? -1 : b.getLong();
        boolean done = b != null && b.get() == 1;
        long swept = b == null ? 0 : b.getLong();
        long total = b == null ? 0 : b.getLong();
        String cursor = null;
        if (b != null && b.remaining() > 0) {
            byte[] c = new byte[b.remaining()];
            b.get(c);
            cursor = new String(c, java.nio.charset.StandardCharsets.UTF_8);
        }
        if (generation != current.generation()) {
            generation = current.generation();
            done = false;
            swept = 0;
            total = states.approximateNumEntries();
            cursor = null;
        } else if (done) {
            return;
        }
        List<String> batch = new ArrayList<>(settings.sweepBatch());
        boolean exhausted;
        try (KeyValueIterator<String, byte[]> it = cursor == null ? states.all() : states.range(cursor, null)) {
            while (it.hasNext() && batch.size() < settings.sweepBatch()) {
                String key = it.next().key;
                if (!key.equals(cursor)) {
                    batch.add(key);
                }
            }
            exhausted = !it.hasNext();
        }
        for (String key : batch) {
            KeyState state = load(key);
            if (state != null && state.generation != current.generation() && pending.get(key) == null) {
                refold(key, state, List.of(), now);
                save(key, state);
            }
            swept++;
            cursor = key;
        }
        done = exhausted;
        byte[] c = cursor == null ? new byte[0] : cursor.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        sweep.put(SWEEP_KEY, ByteBuffer.allocate(25 + c.length).putLong(generation).put((byte) (done ? 1 : 0))
                .putLong(swept).putLong(Math.max(total, swept)).put(c).array());
        forward(new Out.Aggregate(ByteBuffer.allocate(17).putLong(swept).putLong(Math.max(total, swept))
                .put((byte) (done ? 1 : 0)).array()), new AggregateKey.Progress(generation, part).encode(), now);
    }

    // ---- state access ------------------------------------------------------------------------------------

    private ActiveFunnels readRegistry() {
        List<SavedFunnel> saved = new ArrayList<>();
        try (KeyValueIterator<String, ValueAndTimestamp<SavedFunnel>> it = registry.all()) {
            while (it.hasNext()) {
                ValueAndTimestamp<SavedFunnel> v = it.next().value;
                if (v != null && v.value() != null) {
                    saved.add(v.value());
                }
            }
        }
        ActiveFunnels read = ActiveFunnels.of(saved);
        return read.equals(current) ? current : read;
    }

    private KeyState load(String key) {
        KeyState s = cache.get(key);
        if (s != null) {
            return s;
        }
        byte[] stored = states.get(key);
        if (stored == null) {
            return null;
        }
        s = KeyState.decode(stored, current);
        if (s.last == null && !s.sessions.isEmpty()) {
            s.generation = -2;   // the latest session's fold cannot be restored: re-fold at the next change
        }
        cache.put(key, s);
        return s;
    }

    private void save(String key, KeyState state) {
        cache.put(key, state);
        states.put(key, state.encode());
    }

    private int deleteEvents(String key, long from, long to) {
        List<Bytes> keys = new ArrayList<>();
        Bytes start = from == Long.MIN_VALUE ? EventKeys.first(key) : EventKeys.key(key, from, "");
        Bytes end = to == Long.MAX_VALUE ? EventKeys.afterLast(key) : EventKeys.key(key, to + 1, "");
        try (KeyValueIterator<Bytes, byte[]> it = events.range(start, end)) {
            while (it.hasNext()) {
                keys.add(it.next().key);
            }
        }
        keys.forEach(events::delete);
        return keys.size();
    }

    private static byte[] positionOf(String key, Bytes storeKey) {
        int prefix = key.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 1;
        byte[] k = storeKey.get();
        return Arrays.copyOfRange(k, prefix, k.length);
    }

    private void forward(Out out, String key, long now) {
        context.forward(new Record<>(key, out, now));
    }
}
