package io.funnelflow.service.limit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;

import java.time.Duration;
import java.util.Optional;

/**
 * A token bucket per key (a write key, a client address…): {@code rate} per {@code period}, bursts up to
 * {@code burst}. The buckets of at most {@code maxKeys} keys are kept, those unused for a while go first,
 * so that many addresses cannot fill the memory (a forgotten key starts again with a full bucket).
 */
public final class KeyedRateLimit {

    private final long rate;
    private final long burst;
    private final Duration period;
    private final Cache<String, Bucket> buckets;

    public KeyedRateLimit(long rate, long burst, Duration period, long maxKeys) {
        if (rate <= 0 || burst <= 0 || period.isZero() || period.isNegative() || maxKeys <= 0) {
            throw new IllegalArgumentException("a rate limit needs a positive rate, burst, period and key count");
        }
        this.rate = rate;
        this.burst = Math.max(burst, rate);
        this.period = period;
        this.buckets = Caffeine.newBuilder().maximumSize(maxKeys)
                .expireAfterAccess(period.multipliedBy(Math.max(1, this.burst / rate + 1)))
                .build();
    }

    /** Empty when {@code cost} may pass now, else how long until it could. */
    public Optional<Duration> tryAcquire(String key, long cost) {
        Bucket bucket = buckets.get(key, k -> Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(burst).refillGreedy(rate, period).build())
                .build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(Math.max(1, cost));
        return probe.isConsumed() ? Optional.empty() : Optional.of(Duration.ofNanos(probe.getNanosToWaitForRefill()));
    }

    /** Whole seconds to wait, at least one: for Retry-After. */
    public static long seconds(Duration wait) {
        return Math.max(1, (wait.toMillis() + 999) / 1000);
    }
}
