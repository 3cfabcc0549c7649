package io.funnelflow.aggregator.live;

import io.funnelflow.contract.prediction.Prediction;
import io.funnelflow.contract.session.SessionSummary;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LiveFeedTest {

    final List<LiveFeed.Change> changes = new ArrayList<>();

    static SessionSummary session(String id, int events, String... types) {
        Instant start = Instant.parse("2026-11-22T10:00:00Z");
        return new SessionSummary(id, id, "v-" + id, start, start.plusSeconds(events), events, events, 1, 0, 0, 0, 0, 0,
                BigDecimal.ZERO, BigDecimal.ZERO, Math.min(events, 2), "google", "cpc", "winter", "mobile", "web", "/",
                null, "a-" + id, List.of(), types.length == 0 ? null : types[types.length - 1], false, false);
    }

    static Prediction prediction(String id, double p, String persona) {
        return new Prediction(id, null, p, p - 0.1, p + 0.1, persona, "free_shipping", "cart without purchase", false, "v1",
                Instant.parse("2026-11-22T10:00:05Z"));
    }

    @Test
    void aSessionIsShownBeforeItsPredictionAndTheArrivingPredictionFillsIn() {
        LiveFeed feed = new LiveFeed(10, changes::add);
        feed.onSession("s1", session("s1", 1, "page_view"));

        assertThat(feed.snapshot()).singleElement().satisfies(row -> {
            assertThat(row.sessionId()).isEqualTo("s1");
            assertThat(row.prediction()).isNull();
            assertThat(row.lastEvent()).isEqualTo("page_view");
        });

        feed.onPrediction("s1", prediction("s1", 0.4, "browser"));
        LiveSession row = feed.find("s1").orElseThrow();
        assertThat(row.prediction().persona()).isEqualTo("browser");
        assertThat(changes).hasSize(2);
        assertThat(changes.get(1).row().revision()).isGreaterThan(changes.get(0).row().revision());

        // a newer summary keeps the prediction it had
        feed.onSession("s1", session("s1", 2, "page_view", "product_view"));
        assertThat(feed.find("s1").orElseThrow().prediction().purchaseProbability()).isEqualTo(0.4);
        assertThat(feed.find("s1").orElseThrow().events()).isEqualTo(2);
    }

    @Test
    void aPredictionThatComesFirstWaitsForItsSession() {
        LiveFeed feed = new LiveFeed(10, changes::add);
        feed.onPrediction("s1", prediction("s1", 0.7, "quick buyer"));
        assertThat(feed.snapshot()).isEmpty();
        assertThat(changes).isEmpty();

        feed.onSession("s1", session("s1", 1, "page_view"));
        assertThat(feed.find("s1").orElseThrow().prediction().persona()).isEqualTo("quick buyer");
    }

    @Test
    void theFeedKeepsTheMostRecentlyUpdatedSessionsAndSaysWhichLeft() {
        LiveFeed feed = new LiveFeed(2, changes::add);
        feed.onSession("s1", session("s1", 1, "page_view"));
        feed.onSession("s2", session("s2", 1, "page_view"));
        feed.onSession("s1", session("s1", 2, "page_view", "add_to_cart"));
        feed.onSession("s3", session("s3", 1, "page_view"));

        assertThat(feed.snapshot()).extracting(LiveSession::sessionId).containsExactly("s3", "s1");
        assertThat(changes.get(changes.size() - 1).removedSessionId()).isEqualTo("s2");
    }

    @Test
    void aTombstoneRemovesTheSession() {
        LiveFeed feed = new LiveFeed(5, changes::add);
        feed.onSession("s1", session("s1", 1, "page_view"));
        feed.onSession("s1", null);
        assertThat(feed.snapshot()).isEmpty();
        assertThat(changes.get(1).removedSessionId()).isEqualTo("s1");

        feed.onSession("unknown", null);
        assertThat(changes).hasSize(2);
    }

    @Test
    void aReplayIsAnnouncedOnceAsTheRowsThatRemainOldestFirst() {
        LiveFeed feed = new LiveFeed(2, changes::add);
        feed.replay(() -> {
            feed.onSession("s1", session("s1", 1, "page_view"));
            feed.onSession("s2", session("s2", 1, "page_view"));
            feed.onPrediction("s2", prediction("s2", 0.3, "browser"));
            feed.onSession("s3", session("s3", 1, "page_view"));
            feed.onSession("s3", null);
            feed.onSession("s4", session("s4", 2, "page_view", "product_view"));
        });

        assertThat(feed.snapshot()).extracting(LiveSession::sessionId).containsExactly("s4", "s2");
        assertThat(changes).extracting(c -> c.row().sessionId()).containsExactly("s2", "s4");
        assertThat(changes.get(0).row().prediction().persona()).isEqualTo("browser");

        // after the replay every change is told again
        feed.onSession("s5", session("s5", 1, "page_view"));
        assertThat(changes).hasSize(4);
        assertThat(changes.get(3).removedSessionId()).isEqualTo("s2");
    }

    @Test
    void capacityMustBePositive() {
        assertThatThrownBy(() -> new LiveFeed(0, changes::add)).isInstanceOf(IllegalArgumentException.class);
    }
}
