package io.funnelflow.aggregator.live;

import io.micronaut.http.sse.Event;
import reactor.core.publisher.FluxSink;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What one page has still to be told, kept until its connection asks for more: the latest change of
 * each session (a newer change of a row replaces the one still waiting), so that a page slower than the
 * feed skips intermediate copies of a row but never its latest one. Should more sessions be waiting
 * than {@code limit}, they are dropped for one fresh snapshot of the feed, which the page applies as it
 * does the first.
 */
final class PageMailbox {

    private final Map<String, Event<Object>> waiting = new LinkedHashMap<>();
    private final Supplier<Event<Object>> snapshot;
    private final int limit;
    private boolean snapshotDue = true;

    /**
     * @param snapshot the whole feed as an event, taken when it is sent (first, and after an overflow)
     * @param limit    how many sessions' changes may wait before a snapshot replaces them
     */
    PageMailbox(Supplier<Event<Object>> snapshot, int limit) {
        this.snapshot = snapshot;
        this.limit = limit;
    }

    /** A change of one session's row (or its removal); the feed has already applied it. */
    synchronized void offer(String sessionId, Event<Object> change, FluxSink<Event<Object>> page) {
        // while a snapshot is due, nothing is kept: taken when it is sent, the snapshot contains the change
        if (!snapshotDue) {
            waiting.remove(sessionId);
            waiting.put(sessionId, change);
            if (waiting.size() > limit) {
                waiting.clear();
                snapshotDue = true;
            }
        }
        drain(page);
    }

    /**
     * Sends as much as the page has asked for, in order. Holding the lock while sending keeps the order
     * of a row and its removal whichever thread sends them.
     */
    synchronized void drain(FluxSink<Event<Object>> page) {
        while (page.requestedFromDownstream() > 0 && !page.isCancelled()) {
            Event<Object> next;
            if (snapshotDue) {
                snapshotDue = false;
                next = snapshot.get();
            } else {
                Iterator<Event<Object>> it = waiting.values().iterator();
                if (!it.hasNext()) {
                    return;
                }
                next = it.next();
                it.remove();
            }
            page.next(next);
        }
    }
}
