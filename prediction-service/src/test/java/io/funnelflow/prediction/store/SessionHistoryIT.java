package io.funnelflow.prediction.store;

import io.funnelflow.prediction.features.History;
import io.funnelflow.prediction.features.HistoryIndex;
import io.funnelflow.prediction.features.HistoryLookup;
import io.funnelflow.prediction.features.SessionEvent;
import io.funnelflow.prediction.model.LabelledSession;
import io.funnelflow.testing.SharedPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Training reads a bounded sample of its window, whatever the history holds: at most the cap of sessions,
 * chosen over the whole window, none longer than the events cap, and only the visitors' histories those
 * sessions need — the same histories as the reference index over every session.
 */
class SessionHistoryIT {

    static final Instant T0 = Instant.parse("2026-10-01T00:00:00Z");
    static PGSimpleDataSource db;
    static final List<HistoryIndex.Past> everySession = new ArrayList<>();

    @BeforeAll
    static void history() throws Exception {
        db = new PGSimpleDataSource();
        db.setUrl(SharedPostgres.newDatabase("session_history_it"));
        db.setUser(SharedPostgres.user());
        db.setPassword(SharedPostgres.password());
        Flyway.configure().dataSource(db).locations("classpath:db/migration").load().migrate();
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
             PreparedStatement session = c.prepareStatement("""
                     INSERT INTO sessions (session_id, session_key, visitor_id, user_ids, started_at, ended_at, duration_seconds,
                         events, page_views, product_views, cart_adds, cart_removes, checkouts, purchases, cart_value, revenue,
                         furthest_step, closed)
                     VALUES (?, ?, ?, '{}', ?, ?, 0, ?, 0, 0, 0, 0, 0, ?, 0, 0, 0, true)""");
             PreparedStatement event = c.prepareStatement("""
                     INSERT INTO events (event_id, event_time, event_type, session_key, user_id, anonymous_id, received_at, device)
                     VALUES (?, ?, ?, ?, ?, ?, ?, 'mobile')""")) {
            s.execute("CREATE TABLE events_rest PARTITION OF events DEFAULT");
            // 60 sessions over 30 days by 15 visitors; every tenth is a crawler's, with 40 events
            for (int i = 0; i < 60; i++) {
                Instant start = T0.plus(Duration.ofHours(12L * i));
                String key = "k" + i;
                String visitor = "u" + (i % 15);
                int events = i % 10 == 9 ? 40 : 3;
                boolean purchased = i % 4 == 0;
                Instant end = start.plusSeconds(events - 1);
                session.setString(1, key);
                session.setString(2, key);
                session.setString(3, visitor);
                session.setTimestamp(4, Timestamp.from(start));
                session.setTimestamp(5, Timestamp.from(end));
                session.setInt(6, events);
                session.setInt(7, purchased ? 1 : 0);
                session.addBatch();
                for (int e = 0; e < events; e++) {
                    event.setString(1, key + "-e" + e);
                    event.setTimestamp(2, Timestamp.from(start.plusSeconds(e)));
                    event.setString(3, purchased && e == events - 1 ? "purchase" : "page_view");
                    event.setString(4, key);
                    // signs in at the second event
                    event.setString(5, e >= 1 ? visitor : null);
                    event.setString(6, "a-" + key);
                    event.setTimestamp(7, Timestamp.from(start.plusSeconds(e)));
                    event.addBatch();
                }
                everySession.add(new HistoryIndex.Past(visitor, end, purchased));
            }
            session.executeBatch();
            event.executeBatch();
        }
    }

    @Test
    void atMostTheCapIsReadChosenOverTheWholeWindowWithoutTheCrawlers() {
        SessionHistory history = new SessionHistory(db);
        SessionHistory.Sample sample = history.completedSessions(T0, 20, 10, 42);

        assertThat(sample.sessions()).hasSize(20);
        assertThat(sample.eligible()).isEqualTo(54);
        assertThat(sample.tooLong()).isEqualTo(6);
        assertThat(sample.sessions()).allSatisfy(s -> assertThat(s.events()).hasSize(3));
        // not the oldest twenty: the sample spans the window
        Instant middle = T0.plus(Duration.ofDays(15));
        assertThat(sample.sessions()).anyMatch(s -> s.start().isBefore(middle)).anyMatch(s -> s.start().isAfter(middle));
        assertThat(sample.sessions()).isSortedAccordingTo(java.util.Comparator.comparing(LabelledSession::start));
        // repeatable under its seed, another under another
        assertThat(ids(history.completedSessions(T0, 20, 10, 42))).isEqualTo(ids(sample));
        assertThat(ids(history.completedSessions(T0, 20, 10, 7))).isNotEqualTo(ids(sample));
        // under the cap, everything eligible
        assertThat(history.completedSessions(T0, 1000, 10, 42).sessions()).hasSize(54);
    }

    @Test
    void theHistoriesReadForTheSampleAreThoseOfTheReferenceIndexOverEverySession() {
        SessionHistory history = new SessionHistory(db);
        List<LabelledSession> sample = history.completedSessions(T0, 20, 10, 42).sessions();
        HistoryLookup read = history.historiesOf(sample);
        HistoryIndex reference = new HistoryIndex(everySession);
        int known = 0;
        for (LabelledSession s : sample) {
            Instant start = s.events().get(0).time();
            for (SessionEvent e : s.events()) {
                for (String visitor : new String[]{e.userId(), e.anonymousId(), s.sessionKey()}) {
                    History expected = reference.of(visitor, start);
                    assertThat(read.of(visitor, start)).as(visitor + " at " + start).isEqualTo(expected);
                    known += expected.previousSessions() > 0 ? 1 : 0;
                }
            }
        }
        assertThat(known).as("visitors with a history").isPositive();
    }

    static List<String> ids(SessionHistory.Sample sample) {
        return sample.sessions().stream().map(LabelledSession::sessionId).toList();
    }
}
