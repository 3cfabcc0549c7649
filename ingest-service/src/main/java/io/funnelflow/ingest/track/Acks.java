package io.funnelflow.ingest.track;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Completes when every write of a request is stored, or fails with the first error: one counter per
 * request rather than a future per event, which matters at a hundred events a request.
 */
final class Acks implements EventSink.Ack {

    private final AtomicInteger pending;
    private final CompletableFuture<Void> all = new CompletableFuture<>();

    Acks(int writes) {
        pending = new AtomicInteger(writes);
        if (writes == 0) {
            all.complete(null);
        }
    }

    @Override
    public void done(Throwable error) {
        if (error != null) {
            all.completeExceptionally(error);
        } else if (pending.decrementAndGet() == 0) {
            all.complete(null);
        }
    }

    CompletableFuture<Void> all() {
        return all;
    }
}
