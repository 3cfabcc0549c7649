package io.funnelflow.prediction.features;

import io.funnelflow.prediction.Shoppers;
import io.funnelflow.prediction.model.LabelledSession;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** No feature of a training snapshot is computed from anything that happened after its moment. */
class SnapshotsTest {

    final Snapshots snapshots = new Snapshots(3, 11);
    final List<LabelledSession> sessions = Shoppers.generate(2000, 5, Instant.parse("2026-10-01T00:00:00Z"));

    @Test
    void everySnapshotIsTakenBeforeTheFirstPurchase() {
        int purchasing = 0;
        for (LabelledSession s : sessions) {
            Instant firstPurchase = s.events().stream().filter(e -> e.type().equals("purchase")).map(SessionEvent::time)
                    .findFirst().orElse(null);
            for (Snapshots.Snapshot shot : snapshots.of(s.sessionId(), s.visitorId(), s.userId(), s.history(), s.events())) {
                assertThat(shot.purchased()).isEqualTo(firstPurchase != null);
                assertThat(shot.state().purchases()).as("no purchase is visible in a snapshot").isZero();
                if (firstPurchase != null) {
                    purchasing++;
                    assertThat(shot.state().moment()).isBefore(firstPurchase);
                }
            }
        }
        assertThat(purchasing).as("the data has purchasing sessions to check").isGreaterThan(100);
    }

    @Test
    void aSnapshotsFeaturesAreThoseOfTheSessionCutAtItsMomentWhateverFollows() {
        for (LabelledSession s : sessions) {
            for (Snapshots.Snapshot shot : snapshots.of(s.sessionId(), s.visitorId(), s.userId(), s.history(), s.events())) {
                int length = shot.state().events();
                List<SessionEvent> past = s.events().subList(0, length);
                assertThat(past.get(length - 1).time()).isEqualTo(shot.state().moment());

                // the same past with a different future: a big cart, removals, another device, a purchase
                List<SessionEvent> otherFuture = new ArrayList<>(past);
                Instant t = shot.state().moment();
                otherFuture.add(new SessionEvent("add_to_cart", t.plusSeconds(5), 999, "tablet", "ios", "tiktok", "paid"));
                otherFuture.add(new SessionEvent("remove_from_cart", t.plusSeconds(6), 15, null, null, null, null));
                otherFuture.add(new SessionEvent("checkout_start", t.plusSeconds(7), 0, null, null, null, null));
                otherFuture.add(new SessionEvent("purchase", t.plusSeconds(8), 0, null, null, null, null));
                // taken from the whole session, the snapshot equals the session cut at its moment
                assertThat(shot.features()).isEqualTo(replayed(s, past).features());
                SessionState.Replay withFuture = new SessionState.Replay(s.sessionId(), s.visitorId(), s.userId());
                otherFuture.forEach(withFuture::add);
                assertThat(Features.of(withFuture.state(), s.history())).as("the future does change the end state")
                        .isNotEqualTo(shot.features());
                Snapshots.Snapshot again = new Snapshots(1000, 0).of(s.sessionId(), s.visitorId(), s.userId(), s.history(), otherFuture)
                        .stream().filter(x -> x.state().events() == length).findFirst().orElseThrow();
                assertThat(again.features()).as("a snapshot at the same moment of a session with another future")
                        .isEqualTo(shot.features());
            }
        }
    }

    @Test
    void aSessionThatOpensWithAPurchaseGivesNothingToLearnFrom() {
        Instant t = Instant.parse("2026-10-01T10:00:00Z");
        List<SessionEvent> events = List.of(new SessionEvent("purchase", t, 0, "mobile", "web", null, null),
                new SessionEvent("page_view", t.plusSeconds(3), 0, null, null, null, null));
        assertThat(snapshots.of("s", "v", null, History.NONE, events)).isEmpty();
    }

    @Test
    void theSameHistoryAlwaysGivesTheSameSnapshots() {
        LabelledSession s = sessions.get(17);
        assertThat(snapshots.of(s.sessionId(), s.visitorId(), s.userId(), s.history(), s.events()))
                .isEqualTo(new Snapshots(3, 11).of(s.sessionId(), s.visitorId(), s.userId(), s.history(), s.events()));
    }

    static Snapshots.Snapshot replayed(LabelledSession s, List<SessionEvent> past) {
        SessionState.Replay r = new SessionState.Replay(s.sessionId(), s.visitorId(), s.userId());
        past.forEach(r::add);
        return new Snapshots.Snapshot(r.state(), s.history(), false);
    }
}
