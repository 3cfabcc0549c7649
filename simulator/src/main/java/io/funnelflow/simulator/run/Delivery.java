package io.funnelflow.simulator.run;

import io.funnelflow.contract.event.TrackedEvent;
import io.funnelflow.simulator.target.EventTarget;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends requests on a few threads, as many clients would, stamping {@code sent_at} as they leave and
 * now and then sending a request twice (a client that never saw the answer). Counts what happened.
 */
final class Delivery implements AutoCloseable {

    final AtomicLong requests = new AtomicLong();
    final AtomicLong failedRequests = new AtomicLong();
    final AtomicLong retriedRequests = new AtomicLong();
    final AtomicLong eventsSent = new AtomicLong();
    final AtomicLong accepted = new AtomicLong();
    final AtomicLong rejected = new AtomicLong();
    private final List<Long> latencies = new ArrayList<>();
    private final EventTarget target;
    private final double retryShare;
    private final ThreadPoolExecutor pool;
    private final AtomicLong retryDraws;
    private volatile Exception firstFailure;

    Delivery(EventTarget target, double retryShare, int threads, long seed) {
        this.target = target;
        this.retryShare = retryShare;
        this.retryDraws = new AtomicLong(seed);
        BlockingQueue<Runnable> queue = new ArrayBlockingQueue<>(threads * 4);
        this.pool = new ThreadPoolExecutor(threads, threads, 1, TimeUnit.MINUTES, queue, new ThreadPoolExecutor.CallerRunsPolicy());
    }

    /** Queues one request of {@code events}; blocks when all senders are busy. */
    void submit(List<Wire.Outgoing> events) {
        pool.execute(() -> {
            List<TrackedEvent> stamped = events.stream().map(o -> o.at(Instant.now())).toList();
            boolean retry = new SplittableRandom(retryDraws.incrementAndGet()).nextDouble() < retryShare;
            sendOnce(stamped);
            if (retry) {
                retriedRequests.incrementAndGet();
                sendOnce(stamped);
            }
        });
    }

    private void sendOnce(List<TrackedEvent> events) {
        try {
            EventTarget.Outcome o = target.send(events);
            requests.incrementAndGet();
            eventsSent.addAndGet(events.size());
            if (!o.ok() && o.status() != 400) {
                failedRequests.incrementAndGet();
                if (firstFailure == null) {
                    firstFailure = new IllegalStateException("the target answered " + o.status());
                }
            }
            accepted.addAndGet(o.accepted());
            rejected.addAndGet(o.rejected());
            synchronized (latencies) {
                latencies.add(o.nanos());
            }
        } catch (Exception e) {
            failedRequests.incrementAndGet();
            if (firstFailure == null) {
                firstFailure = e;
            }
        }
    }

    /** Waits for every queued request. */
    void drain() throws InterruptedException {
        pool.shutdown();
        pool.awaitTermination(1, TimeUnit.HOURS);
    }

    Exception firstFailure() {
        return firstFailure;
    }

    long[] latenciesSorted() {
        synchronized (latencies) {
            return latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        }
    }

    @Override
    public void close() throws Exception {
        drain();
    }
}
