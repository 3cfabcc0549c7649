package io.funnelflow.aggregator.live;

import io.funnelflow.contract.prediction.Prediction;
import io.funnelflow.contract.session.SessionSummary;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The most recently active sessions, each joined with its latest prediction by session id, bounded in
 * size. A session is shown as soon as its first summary arrives, with no prediction; the prediction
 * fills in when it arrives. A prediction that comes before any summary of its session is kept (in a
 * bounded side table) until the summary comes.
 *
 * <p>Every change is handed to the listener as a {@link Change}; rows carry a revision number so that a
 * client merging a snapshot with a stream of changes keeps the newest copy of each row.
 */
public final class LiveFeed {

    /** A row that was added or changed, or (row null) the id of a session that left the feed. */
    public record Change(LiveSession row, String removedSessionId) {
    }

    private final int capacity;
    private final Consumer<Change> listener;
    private final Map<String, Entry> sessions;
    private final Map<String, Prediction> orphanPredictions;
    private long revision;
    private boolean replaying;

    private record Entry(SessionSummary summary, Prediction prediction, LiveSession row) {
    }

    /**
     * @param capacity how many sessions the feed keeps; the least recently updated leaves first
     * @param listener told of every change, on the thread that made it, in order
     */
    public LiveFeed(int capacity, Consumer<Change> listener) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.capacity = capacity;
        this.listener = Objects.requireNonNull(listener);
        this.sessions = new LinkedHashMap<>(capacity * 2, 0.75f, false);
        this.orphanPredictions = new LinkedHashMap<>(capacity * 2, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Prediction> eldest) {
                return size() > capacity * 4;
            }
        };
    }

    /** A session's new summary; null (a tombstone) when the session ceased to exist. */
    public void onSession(String sessionId, SessionSummary summary) {
        List<Change> changes = new ArrayList<>(2);
        synchronized (this) {
            if (summary == null) {
                orphanPredictions.remove(sessionId);
                if (sessions.remove(sessionId) != null) {
                    changes.add(new Change(null, sessionId));
                }
            } else {
                Entry old = sessions.remove(sessionId);
                Prediction prediction = old != null ? old.prediction() : orphanPredictions.remove(sessionId);
                LiveSession row = LiveSession.of(++revision, summary, prediction);
                sessions.put(sessionId, new Entry(summary, prediction, row));
                changes.add(new Change(row, null));
                if (sessions.size() > capacity) {
                    String eldest = sessions.keySet().iterator().next();
                    sessions.remove(eldest);
                    changes.add(new Change(null, eldest));
                }
            }
        }
        if (!replaying) {
            changes.forEach(listener);
        }
    }

    /** A session's new prediction. */
    public void onPrediction(String sessionId, Prediction prediction) {
        Change change = null;
        synchronized (this) {
            Entry old = sessions.get(sessionId);
            if (old == null) {
                if (prediction != null) {
                    orphanPredictions.put(sessionId, prediction);
                }
                return;
            }
            LiveSession row = LiveSession.of(++revision, old.summary(), prediction);
            sessions.put(sessionId, new Entry(old.summary(), prediction, row));
            change = new Change(row, null);
        }
        if (!replaying) {
            listener.accept(change);
        }
    }

    /**
     * Applies past records (a restarted service catching up on the recent past) without telling the
     * listener of each; then tells it once of every row that remains, the oldest first. Called, like
     * the other writers, from the feed's one writing thread.
     */
    public void replay(Runnable records) {
        replaying = true;
        try {
            records.run();
        } finally {
            replaying = false;
        }
        List<LiveSession> rows = snapshot();
        Collections.reverse(rows);
        rows.forEach(row -> listener.accept(new Change(row, null)));
    }

    /** The rows, most recently updated first. */
    public synchronized List<LiveSession> snapshot() {
        List<LiveSession> rows = new ArrayList<>(sessions.size());
        sessions.values().forEach(e -> rows.add(e.row()));
        Collections.reverse(rows);
        return rows;
    }

    public synchronized Optional<LiveSession> find(String sessionId) {
        return Optional.ofNullable(sessions.get(sessionId)).map(Entry::row);
    }

    /** The summaries of the sessions in the feed that are a person's: by user id, or by one of their session keys. */
    public synchronized List<SessionSummary> sessionsOf(String userId, java.util.Collection<String> sessionKeys) {
        List<SessionSummary> out = new ArrayList<>();
        for (Entry e : sessions.values()) {
            SessionSummary s = e.summary();
            if (userId.equals(s.userId()) || s.userIds() != null && s.userIds().contains(userId) || sessionKeys.contains(s.sessionKey())) {
                out.add(s);
            }
        }
        return out;
    }
}
