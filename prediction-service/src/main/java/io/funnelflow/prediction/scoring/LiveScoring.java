package io.funnelflow.prediction.scoring;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.funnelflow.contract.prediction.Prediction;
import io.funnelflow.contract.session.SessionSummary;
import io.funnelflow.prediction.features.Features;
import io.funnelflow.prediction.features.History;
import io.funnelflow.prediction.features.SessionState;
import io.funnelflow.prediction.incentive.Incentive;
import io.funnelflow.prediction.incentive.IncentiveRules;
import io.funnelflow.prediction.store.PredictionStore;
import io.funnelflow.prediction.store.SessionHistory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Scores session updates and decides which are worth publishing: a session's first score, a move of
 * the probability by at least {@code minChange}, a new persona, incentive or model, a purchase, and
 * the session's close. Work is done in batches that take effect only when committed, so a batch that
 * failed to reach Kafka and PostgreSQL is scored again in full. An incentive once given sticks: a shop
 * shows an offer once, and its uplift is measured on the first one.
 */
public final class LiveScoring {

    private final Scorer scorer;
    private final Function<Collection<SessionHistory.Visit>, Map<SessionHistory.Visit, History>> history;
    private final double minChange;
    private final Clock clock;
    private final Cache<String, Last> published;
    private final Cache<SessionHistory.Visit, History> histories;

    /**
     * @param history the visitors' histories, asked for all new sessions of a batch at once
     */
    public LiveScoring(Scorer scorer, Function<Collection<SessionHistory.Visit>, Map<SessionHistory.Visit, History>> history,
                       double minChange, Clock clock) {
        this.scorer = scorer;
        this.history = history;
        this.minChange = minChange;
        this.clock = clock;
        this.published = Caffeine.newBuilder().maximumSize(200_000).expireAfterAccess(Duration.ofHours(2)).build();
        // short-lived: a previous session's purchase may reach PostgreSQL after this session's first update
        this.histories = Caffeine.newBuilder().maximumSize(200_000).expireAfterWrite(Duration.ofMinutes(5)).build();
    }

    /** What was last published for a session id, and which session (by its start) that id meant then. */
    record Last(Prediction prediction, Instant start) {
    }

    /** A record to publish, in input order: a prediction, or a tombstone when {@code prediction} is null. */
    public record Outgoing(String sessionId, Prediction prediction) {
    }

    private record RowKey(String sessionId, Instant start, int events) {
    }

    /** The publications of one batch of session updates. */
    public final class Batch {
        private final Map<String, Last> pending = new HashMap<>();
        private final Map<RowKey, PredictionStore.Row> rows = new LinkedHashMap<>();
        private final Set<String> removed = new LinkedHashSet<>();
        private final List<Outgoing> outgoing = new ArrayList<>();
        private int publishedCount;

        /** Looks up, in one go, the histories of the visits in these updates that are not known yet. */
        public void prefetch(Collection<SessionSummary> updates) {
            Set<SessionHistory.Visit> missing = new HashSet<>();
            for (SessionSummary s : updates) {
                SessionHistory.Visit v = new SessionHistory.Visit(s.visitorId(), s.start());
                if (histories.getIfPresent(v) == null) {
                    missing.add(v);
                }
            }
            if (!missing.isEmpty()) {
                histories.putAll(history.apply(missing));
            }
        }

        /** Scores one update; returns the prediction to publish, or null when nothing changed meaningfully. */
        public Prediction update(SessionSummary s) {
            Last last = pending.containsKey(s.sessionId()) ? pending.get(s.sessionId()) : published.getIfPresent(s.sessionId());
            // the aggregator renumbers ids when an earlier session appears: an id with another start is another session
            Prediction previous = last == null || !last.start().equals(s.start()) ? null : last.prediction();
            Prediction next = predict(s, previous);
            if (previous != null && !changed(previous, next, s)) {
                return null;
            }
            pending.put(s.sessionId(), new Last(next, s.start()));
            rows.put(new RowKey(s.sessionId(), s.start(), s.events()),
                    new PredictionStore.Row(next, s.events(), s.start(), s.visitorId(), s.purchases() > 0, s.closed()));
            outgoing.add(new Outgoing(s.sessionId(), next));
            publishedCount++;
            return next;
        }

        /** A session that ceased to exist (merged into another): its predictions go too. */
        public void remove(String sessionId) {
            pending.put(sessionId, null);
            rows.keySet().removeIf(k -> k.sessionId().equals(sessionId));
            removed.add(sessionId);
            outgoing.add(new Outgoing(sessionId, null));
        }

        /** Predictions and tombstones to publish, in the order their inputs came. */
        public List<Outgoing> outgoing() {
            return outgoing;
        }

        public int publishedPredictions() {
            return publishedCount;
        }

        /** Rows to upsert; they are written after the removals, so a session removed and re-created keeps its new row. */
        public List<PredictionStore.Row> rows() {
            return List.copyOf(rows.values());
        }

        public Set<String> removed() {
            return removed;
        }

        /** The batch reached Kafka and PostgreSQL: later updates are compared with what it published. */
        public void commit() {
            pending.forEach((id, last) -> {
                if (last == null) {
                    published.invalidate(id);
                } else {
                    published.put(id, last);
                }
            });
        }
    }

    public Batch batch() {
        return new Batch();
    }

    /**
     * Forgets what was published for these sessions and every visitor history held (an erased person's are
     * among them; they are re-read from PostgreSQL when needed).
     */
    public void forget(Collection<String> sessionIds) {
        published.invalidateAll(sessionIds);
        histories.invalidateAll();
    }

    Prediction predict(SessionSummary s, Prediction previous) {
        SessionHistory.Visit visit = new SessionHistory.Visit(s.visitorId(), s.start());
        History h = histories.get(visit, v -> history.apply(List.of(v)).getOrDefault(v, History.NONE));
        Features features = Features.of(SessionState.of(s), h);
        Scorer.Scored scored = scorer.score(s.sessionId(), features);
        double p = scored.probability();
        double low = scored.low();
        double high = scored.high();
        IncentiveRules.Decision decision = scored.decision();
        String incentive = decision.incentive().wireName();
        String reason = decision.reason();
        boolean heldOut = decision.heldOut();
        if (previous != null && !Incentive.NONE.wireName().equals(previous.incentive())) {
            incentive = previous.incentive();
            reason = previous.incentiveReason();
            heldOut = previous.heldOut();
        }
        if (s.purchases() > 0) {
            p = 1;
            low = 1;
            high = 1;
            if (previous == null || Incentive.NONE.wireName().equals(previous.incentive())) {
                incentive = Incentive.NONE.wireName();
                reason = "purchased";
                heldOut = false;
            }
        }
        return new Prediction(s.sessionId(), s.userId(), round(p), round(low), round(high), scored.persona(), incentive,
                reason, heldOut, scored.modelVersion(), clock.instant());
    }

    boolean changed(Prediction previous, Prediction next, SessionSummary s) {
        return Math.abs(previous.purchaseProbability() - next.purchaseProbability()) >= minChange
                || !Objects.equals(previous.persona(), next.persona())
                || !Objects.equals(previous.incentive(), next.incentive())
                || previous.heldOut() != next.heldOut()
                || !Objects.equals(previous.modelVersion(), next.modelVersion())
                || s.closed();
    }

    static double round(double v) {
        return Math.round(v * 10000) / 10000.0;
    }
}
