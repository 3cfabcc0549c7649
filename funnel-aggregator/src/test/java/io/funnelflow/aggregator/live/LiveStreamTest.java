package io.funnelflow.aggregator.live;

import io.micronaut.http.sse.Event;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.BaseSubscriber;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A page reads its stream at the pace of its connection, while the feed may change hundreds of rows
 * within one poll: whatever the page skips, it must end with each row's latest copy.
 */
class LiveStreamTest {

    /** A page that asks for one event at first, as a busy connection does, and for the rest later. */
    static final class SlowPage extends BaseSubscriber<Event<Object>> {
        final List<Event<Object>> received = new CopyOnWriteArrayList<>();

        @Override
        protected void hookOnSubscribe(org.reactivestreams.Subscription subscription) {
            request(1);
        }

        @Override
        protected void hookOnNext(Event<Object> event) {
            received.add(event);
        }

        /** What the page shows, applying events as the dashboard does: a snapshot resets, a row keeps its newest revision. */
        Map<String, LiveSession> rows() {
            Map<String, LiveSession> rows = new HashMap<>();
            for (Event<Object> e : received) {
                if (e.getData() instanceof LiveStream.Snapshot s) {
                    rows.clear();
                    s.sessions().forEach(r -> rows.put(r.sessionId(), r));
                } else if (e.getData() instanceof LiveSession r) {
                    rows.merge(r.sessionId(), r, (old, now) -> now.revision() > old.revision() ? now : old);
                } else if (e.getData() instanceof LiveStream.Removed removed) {
                    rows.remove(removed.sessionId());
                }
            }
            return rows;
        }
    }

    final LiveStream stream = new LiveStream(Duration.ofHours(1), Duration.ofHours(1), Clock.systemUTC());
    final LiveFeed feed = new LiveFeed(50, stream::onChange);

    {
        stream.attach(feed);
    }

    @Test
    void aPageBehindABurstStillGetsTheLatestRowOfEverySession() {
        SlowPage page = new SlowPage();
        stream.connect().subscribe(page);
        assertThat(page.received).singleElement().satisfies(e -> assertThat(e.getName()).isEqualTo("snapshot"));

        // a catching-up stream: ten sessions changed forty times each, then one of them scored, then one gone
        for (int update = 1; update <= 40; update++) {
            for (int s = 0; s < 10; s++) {
                feed.onSession("s" + s, LiveFeedTest.session("s" + s, update, "page_view"));
            }
        }
        feed.onPrediction("s3", LiveFeedTest.prediction("s3", 0.42, "browser"));
        feed.onSession("s7", null);
        page.requestUnbounded();

        Map<String, LiveSession> shown = page.rows();
        assertThat(shown).containsOnlyKeys("s0", "s1", "s2", "s3", "s4", "s5", "s6", "s8", "s9");
        assertThat(shown.values()).allSatisfy(row -> assertThat(row.events()).isEqualTo(40));
        assertThat(shown.get("s3").prediction().purchaseProbability()).isEqualTo(0.42);
        assertThat(shown).isEqualTo(feedRows());
        // intermediate copies were skipped rather than queued: the page was not sent 400 rows
        assertThat(page.received.size()).isLessThan(100);
        page.dispose();
    }

    @Test
    void aPageTooFarBehindIsSentAFreshSnapshotInsteadOfItsBacklog() {
        SlowPage page = new SlowPage();
        stream.connect().subscribe(page);
        LiveFeed big = new LiveFeed(LiveStream.PAGE_BACKLOG * 2, stream::onChange);
        stream.attach(big);
        for (int s = 0; s < LiveStream.PAGE_BACKLOG + 100; s++) {
            big.onSession("b" + s, LiveFeedTest.session("b" + s, 1, "page_view"));
        }
        page.requestUnbounded();

        assertThat(page.received.stream().filter(e -> e.getName().equals("snapshot")).count()).isEqualTo(2);
        assertThat(page.rows()).hasSize(LiveStream.PAGE_BACKLOG + 100);
        page.dispose();
    }

    @Test
    void aRemovalIsNeverOvertakenByAnOlderCopyOfItsRow() {
        SlowPage page = new SlowPage();
        stream.connect().subscribe(page);
        feed.onSession("gone", LiveFeedTest.session("gone", 1, "page_view"));
        feed.onSession("gone", LiveFeedTest.session("gone", 2, "page_view"));
        feed.onSession("gone", null);
        page.requestUnbounded();
        assertThat(page.rows()).doesNotContainKey("gone");
        page.dispose();
    }

    Map<String, LiveSession> feedRows() {
        Map<String, LiveSession> rows = new HashMap<>();
        feed.snapshot().forEach(r -> rows.put(r.sessionId(), r));
        return rows;
    }
}
