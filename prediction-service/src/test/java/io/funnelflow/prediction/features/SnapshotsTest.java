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
    final Shoppers.Generated generated = Shoppers.generate(2000, 5, Instant.parse("2026-10-01T00:00:00Z"));
    final List<LabelledSession> sessions = generated.sessions();
    final HistoryLookup history = generated.history();

    List<Snapshots.Snapshot> of(LabelledSession s) {
        return snapshots.of(s.sessionId(), s.sessionKey(), s.events(), history);
    }

    @Test
    void everySnapshotIsTakenBeforeTheFirstPurchase() {
        int purchasing = 0;
        for (LabelledSession s : sessions) {
            Instant firstPurchase = s.events().stream().filter(e -> e.type().equals("purchase")).map(SessionEvent::time)
                    .findFirst().orElse(null);
            for (Snapshots.Snapshot shot : of(s)) {
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
            for (Snapshots.Snapshot shot : of(s)) {
                int length = shot.state().events();
                List<SessionEvent> past = s.events().subList(0, length);
                assertThat(past.get(length - 1).time()).isEqualTo(shot.state().moment());
                // taken from the whole session, the snapshot equals the session cut at its moment
                assertThat(shot.features()).isEqualTo(cut(s, past).features());

                // the same past with a different future: a big cart, another device, a login, a purchase
                List<SessionEvent> otherFuture = new ArrayList<>(past);
                Instant t = shot.state().moment();
                otherFuture.add(new SessionEvent("add_to_cart", t.plusSeconds(5), 999, "tablet", "ios", "tiktok", "paid", "u1", "x"));
                otherFuture.add(new SessionEvent("remove_from_cart", t.plusSeconds(6), 15, null, null, null, null));
                otherFuture.add(new SessionEvent("checkout_start", t.plusSeconds(7), 0, null, null, null, null, "u2", null));
                otherFuture.add(new SessionEvent("purchase", t.plusSeconds(8), 0, null, null, null, null));
                Snapshots.Snapshot again = new Snapshots(1000, 0).of(s.sessionId(), s.sessionKey(), otherFuture, history)
                        .stream().filter(x -> x.state().events() == length).findFirst().orElseThrow();
                assertThat(again.features()).as("a snapshot at the same moment of a session with another future")
                        .isEqualTo(shot.features());
            }
        }
    }

    @Test
    void aCustomerWhoLogsInAtCheckoutIsAnonymousBeforeAndKnownAfter() {
        int before = 0;
        int after = 0;
        for (LabelledSession s : sessions) {
            int login = -1;
            for (int i = 0; i < s.events().size(); i++) {
                if (s.events().get(i).userId() != null) {
                    login = i;
                    break;
                }
            }
            for (Snapshots.Snapshot shot : new Snapshots(1000, 0).of(s.sessionId(), s.sessionKey(), s.events(), history)) {
                String user = login < 0 ? null : s.events().get(login).userId();
                if (login == 0) {
                    assertThat(shot.state().visitorId()).isEqualTo(user);
                } else if (login < 0 || shot.state().events() <= login) {
                    assertThat(shot.state().visitorId()).startsWith("a");
                    assertThat(shot.history()).as("the customer's past is unknown before they log in").isEqualTo(History.NONE);
                    before++;
                } else {
                    assertThat(shot.state().visitorId()).isEqualTo(user);
                    assertThat(shot.history()).isEqualTo(history.of(user, s.start()));
                    after++;
                }
            }
        }
        assertThat(before).isPositive();
        assertThat(after).isPositive();
    }

    @Test
    void aSessionThatOpensWithAPurchaseGivesNothingToLearnFrom() {
        Instant t = Instant.parse("2026-10-01T10:00:00Z");
        List<SessionEvent> events = List.of(new SessionEvent("purchase", t, 0, "mobile", "web", null, null),
                new SessionEvent("page_view", t.plusSeconds(3), 0, null, null, null, null));
        assertThat(snapshots.of("s", "k", events, HistoryLookup.NONE)).isEmpty();
    }

    @Test
    void theSameHistoryAlwaysGivesTheSameSnapshots() {
        LabelledSession s = sessions.get(17);
        assertThat(of(s)).isEqualTo(new Snapshots(3, 11).of(s.sessionId(), s.sessionKey(), s.events(), history));
    }

    @Test
    void historyCountsOnlySessionsThatEndedBeforeTheStart() {
        Instant t = Instant.parse("2026-10-01T10:00:00Z");
        HistoryIndex index = new HistoryIndex(List.of(new HistoryIndex.Past("u", t.minusSeconds(60), true),
                new HistoryIndex.Past("u", t.minusSeconds(30), false), new HistoryIndex.Past("u", t, true),
                new HistoryIndex.Past("u", t.plusSeconds(60), true), new HistoryIndex.Past("v", t.minusSeconds(10), true)));
        assertThat(index.of("u", t)).isEqualTo(new History(2, 1));
        assertThat(index.of("u", t.plusMillis(1))).isEqualTo(new History(3, 2));
        assertThat(index.of("u", t.minusSeconds(3600))).isEqualTo(History.NONE);
        assertThat(index.of("w", t)).isEqualTo(History.NONE);
        assertThat(index.of(null, t)).isEqualTo(History.NONE);
    }

    Snapshots.Snapshot cut(LabelledSession s, List<SessionEvent> past) {
        SessionState.Replay r = new SessionState.Replay(s.sessionId(), s.sessionKey());
        past.forEach(r::add);
        SessionState state = r.state();
        return new Snapshots.Snapshot(state, history.of(state.visitorId(), state.start()), false);
    }
}
