package io.funnelflow.aggregator.live;

import io.micronaut.http.sse.Event;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the dashboard's Server-Sent Events stream carries, to every connected page:
 * <ul>
 *   <li>{@code snapshot} — first, the whole live feed ({@code {"sessions": [...]}}), most recent first;</li>
 *   <li>{@code session} — a live feed row that was added or changed;</li>
 *   <li>{@code session_removed} — {@code {"session_id": ...}} of a row that left the feed;</li>
 *   <li>{@code refresh} — {@code {"at": ...}}: PostgreSQL has new data, so KPIs, funnel and trends are worth
 *       asking for again; at most one per {@code refreshInterval} however fast the data changes;</li>
 *   <li>{@code ping} — now and then, so that proxies keep an idle connection open.</li>
 * </ul>
 * Each page has its own {@link PageMailbox}: a page slower than the feed may skip intermediate copies of
 * a row but always gets its latest one (or, far behind, a fresh snapshot).
 */
public final class LiveStream {

    public record Snapshot(List<LiveSession> sessions) {
    }

    public record Removed(String sessionId) {
    }

    public record Refresh(Instant at) {
    }

    /** Sessions whose changes may wait for one slow page before it is sent a fresh snapshot instead. */
    static final int PAGE_BACKLOG = 1000;

    // every subscriber is a page's mailbox, which takes every change at once: best effort loses nothing
    private final Sinks.Many<LiveFeed.Change> changes = Sinks.many().multicast().directBestEffort();
    private final Sinks.Many<Instant> writes = Sinks.many().multicast().directBestEffort();
    private final Flux<Event<Object>> refreshes;
    private final Duration pingInterval;
    private final Clock clock;
    private volatile LiveFeed feed;

    public LiveStream(Duration refreshInterval, Duration pingInterval, Clock clock) {
        this.pingInterval = pingInterval;
        this.clock = clock;
        this.refreshes = writes.asFlux()
                .sample(refreshInterval)
                .map(at -> Event.<Object>of(new Refresh(at)).name("refresh"))
                .share();
    }

    /** The feed whose snapshot opens every stream. */
    public void attach(LiveFeed feed) {
        this.feed = feed;
    }

    /** Hands a feed change to every connected page; called by the feed's one writing thread. */
    public void onChange(LiveFeed.Change change) {
        synchronized (changes) {
            changes.tryEmitNext(change);
        }
    }

    private static Event<Object> event(LiveFeed.Change change) {
        return change.row() != null
                ? Event.<Object>of(change.row()).name("session").id(String.valueOf(change.row().revision()))
                : Event.<Object>of(new Removed(change.removedSessionId())).name("session_removed");
    }

    /** PostgreSQL has committed new data. */
    public void onDataWritten() {
        synchronized (writes) {
            writes.tryEmitNext(clock.instant());
        }
    }

    /** One page's stream: the snapshot, then the changes, refreshes and pings. */
    public Flux<Event<Object>> connect() {
        return Flux.merge(
                rows(),
                refreshes,
                Flux.interval(pingInterval).map(n -> Event.<Object>of(Map.of("at", clock.instant())).name("ping")));
    }

    /**
     * The snapshot, then the rows' changes at the pace the page takes them. The mailbox subscribes to
     * the changes before it takes the snapshot, so that nothing falls between the two.
     */
    private Flux<Event<Object>> rows() {
        return Flux.create(page -> {
            PageMailbox mailbox = new PageMailbox(
                    () -> Event.<Object>of(new Snapshot(feed == null ? List.of() : feed.snapshot())).name("snapshot"), PAGE_BACKLOG);
            Disposable subscription = changes.asFlux().subscribe(change ->
                    mailbox.offer(change.row() != null ? change.row().sessionId() : change.removedSessionId(), event(change), page));
            page.onRequest(n -> mailbox.drain(page));
            page.onDispose(subscription);
        });
    }
}
