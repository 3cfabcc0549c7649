package io.funnelflow.ingest.auth;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A token bucket per write key, counted in events (a batch of 100 costs 100), so that one runaway
 * site cannot crowd out the others.
 */
public final class RateLimiter {

    private final long eventsPerSecond;
    private final long burst;
    private final ConcurrentMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    public RateLimiter(long eventsPerSecond, long burst) {
        if (eventsPerSecond <= 0 || burst <= 0) {
            throw new IllegalArgumentException("rate limit and burst must be positive");
        }
        this.eventsPerSecond = eventsPerSecond;
        this.burst = Math.max(burst, eventsPerSecond);
    }

    /** Empty when {@code events} may pass now, else how long until they could. */
    public Optional<Duration> tryAcquire(String writeKey, int events) {
        Bucket bucket = buckets.computeIfAbsent(writeKey, k -> Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(burst).refillGreedy(eventsPerSecond, Duration.ofSeconds(1)).build())
                .build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(Math.max(1, events));
        return probe.isConsumed() ? Optional.empty() : Optional.of(Duration.ofNanos(probe.getNanosToWaitForRefill()));
    }
}
