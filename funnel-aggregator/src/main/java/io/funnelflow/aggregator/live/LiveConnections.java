package io.funnelflow.aggregator.live;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * How many live streams are open, per token and in all: each open stream holds a connection and a
 * subscriber to every change, so one token (or everyone together) may hold only so many. A stream takes a
 * {@link Lease} when it opens and gives it back when it ends.
 */
public final class LiveConnections {

    /** One open stream; closing it twice gives it back once. */
    public final class Lease implements AutoCloseable {
        private final String token;
        private final AtomicBoolean open = new AtomicBoolean(true);

        private Lease(String token) {
            this.token = token;
        }

        @Override
        public void close() {
            if (open.compareAndSet(true, false)) {
                release(token);
            }
        }
    }

    /** A stream's lease, or why it may not open. */
    public record Attempt(Lease lease, String refusal) {

        public boolean granted() {
            return lease != null;
        }
    }

    private final int perToken;
    private final int total;
    private final ConcurrentMap<String, Integer> byToken = new ConcurrentHashMap<>();
    private int open;

    public LiveConnections(int perToken, int total) {
        if (perToken < 1 || total < 1) {
            throw new IllegalArgumentException("the live stream caps must be at least 1");
        }
        this.perToken = perToken;
        this.total = total;
    }

    /** A lease for one more stream of {@code token}, or why there is none. */
    public synchronized Attempt open(String token) {
        int mine = byToken.getOrDefault(token, 0);
        if (mine >= perToken) {
            return new Attempt(null, "this token has its " + perToken
                    + " live streams open (FUNNELFLOW_SSE_MAX_PER_TOKEN); close one first");
        }
        if (open >= total) {
            return new Attempt(null, "the live feed has its " + total + " streams open (FUNNELFLOW_SSE_MAX_CONNECTIONS)");
        }
        byToken.put(token, mine + 1);
        open++;
        return new Attempt(new Lease(token), null);
    }

    public synchronized int open() {
        return open;
    }

    public synchronized int openBy(String token) {
        return byToken.getOrDefault(token, 0);
    }

    private synchronized void release(String token) {
        byToken.computeIfPresent(token, (k, n) -> n <= 1 ? null : n - 1);
        open--;
    }
}
