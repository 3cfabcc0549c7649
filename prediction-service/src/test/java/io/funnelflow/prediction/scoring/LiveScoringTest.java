package io.funnelflow.prediction.scoring;

import io.funnelflow.contract.prediction.Prediction;
import io.funnelflow.contract.session.SessionSummary;
import io.funnelflow.prediction.Shoppers;
import io.funnelflow.prediction.features.History;
import io.funnelflow.prediction.incentive.IncentiveRules;
import io.funnelflow.prediction.model.ModelTrainer;
import io.funnelflow.prediction.model.Trained;
import io.funnelflow.prediction.model.TrainingSettings;
import io.funnelflow.prediction.store.SessionHistory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class LiveScoringTest {

    static final Instant START = Instant.parse("2026-11-20T10:00:00Z");
    static Trained model;

    final AtomicInteger historyQueries = new AtomicInteger();
    LiveScoring scoring;

    @BeforeAll
    static void train() {
        Shoppers.Generated g = Shoppers.generate(2000, 4, Instant.parse("2026-09-01T00:00:00Z"));
        model = new ModelTrainer(new TrainingSettings(10, 6, 0.7f, 2, 0.2, 10, 10, 0.5, 5, 3))
                .train(g.sessions(), g.history(), Instant.parse("2026-11-01T00:00:00Z"));
    }

    LiveScoring scoring(double heldOutShare) {
        Scorer scorer = new Scorer(new IncentiveRules(new IncentiveRules.Settings(0.7, 2, 80, 0.1, 60, 3, heldOutShare)));
        scorer.serve(model);
        return new LiveScoring(scorer, visits -> {
            historyQueries.incrementAndGet();
            Map<SessionHistory.Visit, History> out = new HashMap<>();
            visits.forEach(v -> out.put(v, History.NONE));
            return out;
        }, 0.05, Clock.fixed(Instant.parse("2026-11-20T12:00:00Z"), ZoneOffset.UTC));
    }

    static SessionSummary session(String id, Instant start, int events, int views, int adds, int checkouts, double cart,
                                  int purchases, boolean closed) {
        return new SessionSummary(id, id, "a-" + id, start, start.plusSeconds(40L * events), 40L * events, events, 1, views,
                adds, 0, checkouts, purchases, BigDecimal.valueOf(cart), BigDecimal.ZERO, 1, "google", "cpc", null,
                "desktop", "web", "/", null, "a-" + id, List.of(), null, false, closed);
    }

    @Test
    void publishesFirstScoresAndMeaningfulChangesOnly() {
        scoring = scoring(0);
        LiveScoring.Batch b = scoring.batch();
        assertThat(b.update(session("s", START, 1, 0, 0, 0, 0, 0, false))).isNotNull();
        assertThat(b.update(session("s", START, 1, 0, 0, 0, 0, 0, false))).as("the same update again").isNull();
        Prediction checkout = b.update(session("s", START, 6, 3, 1, 1, 120, 0, false));
        assertThat(checkout).as("a cart and a checkout move the probability").isNotNull();
        Prediction last = checkout;
        int published = 2;
        for (int extra = 1; extra <= 5; extra++) {
            Prediction p = b.update(session("s", START, 6 + extra, 3, 1, 1, 120, 0, false));
            if (p != null) {
                assertThat(Math.abs(p.purchaseProbability() - last.purchaseProbability()) >= 0.05
                        || !p.persona().equals(last.persona()) || !p.incentive().equals(last.incentive())).isTrue();
                last = p;
                published++;
            }
        }
        Prediction bought = b.update(session("s", START, 13, 3, 1, 1, 0, 1, false));
        assertThat(bought.purchaseProbability()).isEqualTo(1.0);
        Prediction closed = b.update(session("s", START, 13, 3, 1, 1, 0, 1, true));
        assertThat(closed).as("the close is always published").isNotNull();
        assertThat(b.outgoing()).hasSize(published + 2).allSatisfy(o -> assertThat(o.prediction()).isNotNull());
        assertThat(b.publishedPredictions()).isLessThan(9);
        assertThat(historyQueries).as("one history lookup for the session").hasValue(1);
    }

    @Test
    void anIncentiveOnceGivenSticks() {
        scoring = scoring(0);
        LiveScoring.Batch b = scoring.batch();
        Prediction shipping = b.update(session("s", START, 4, 2, 1, 0, 35, 0, false));
        assertThat(shipping.incentive()).isEqualTo("free_shipping");
        Prediction later = b.update(session("s", START, 9, 6, 3, 0, 150, 0, false));
        assertThat(later == null ? shipping.incentive() : later.incentive()).isEqualTo("free_shipping");
    }

    @Test
    void anUncommittedBatchLeavesNoTrace() {
        scoring = scoring(0);
        scoring.batch().update(session("s", START, 3, 2, 0, 0, 0, 0, false));
        assertThat(scoring.batch().update(session("s", START, 3, 2, 0, 0, 0, 0, false)))
                .as("scored again in full after a failed batch").isNotNull();
        LiveScoring.Batch committed = scoring.batch();
        committed.update(session("s", START, 3, 2, 0, 0, 0, 0, false));
        committed.commit();
        assertThat(scoring.batch().update(session("s", START, 3, 2, 0, 0, 0, 0, false))).isNull();
    }

    @Test
    void anIdGivenToAnotherSessionStartsAfresh() {
        scoring = scoring(0);
        LiveScoring.Batch b = scoring.batch();
        b.update(session("k", START, 3, 2, 0, 0, 0, 0, false));
        b.commit();
        LiveScoring.Batch next = scoring.batch();
        assertThat(next.update(session("k", START.minusSeconds(7200), 3, 2, 0, 0, 0, 0, false)))
                .as("same id, earlier session").isNotNull();
        assertThat(next.rows()).extracting(r -> r.sessionStart()).containsExactly(START.minusSeconds(7200));
    }

    @Test
    void aRemovalThenARecreationKeepsTheOrderAndTheNewRow() {
        scoring = scoring(0);
        LiveScoring.Batch b = scoring.batch();
        b.update(session("k#2", START, 3, 2, 0, 0, 0, 0, false));
        b.update(session("k", START, 3, 2, 0, 0, 0, 0, false));
        b.remove("k");
        b.update(session("k", START.plusSeconds(60), 2, 1, 0, 0, 0, 0, false));
        assertThat(b.outgoing()).extracting(LiveScoring.Outgoing::sessionId).containsExactly("k#2", "k", "k", "k");
        assertThat(b.outgoing().get(2).prediction()).as("the tombstone before the new prediction").isNull();
        assertThat(b.outgoing().get(3).prediction()).isNotNull();
        assertThat(b.removed()).containsExactly("k");
        assertThat(b.rows()).extracting(r -> r.prediction().sessionId() + "@" + r.sessionStart())
                .containsExactlyInAnyOrder("k#2@" + START, "k@" + START.plusSeconds(60));
    }

    @Test
    void heldOutSessionsAreFlaggedWithTheIncentiveTheyWouldHaveHad() {
        scoring = scoring(1.0);
        Prediction p = scoring.batch().update(session("s", START, 4, 2, 1, 0, 35, 0, false));
        assertThat(p.incentive()).isEqualTo("free_shipping");
        assertThat(p.heldOut()).isTrue();
        assertThat(p.incentiveReason()).startsWith("held out");
    }
}
