package io.funnelflow.prediction.scoring;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.Arrays;

/**
 * How long scoring one session update takes inside the service (features, history lookup on a
 * session's first update, forest, persona, rules, change check), over the latest updates, and how
 * many were scored and published.
 */
public final class ScoringStats {

    private final long[] nanos;
    private long count;
    private long published;
    private long batches;

    public ScoringStats(int window) {
        this.nanos = new long[window];
    }

    public synchronized void scored(long tookNanos) {
        nanos[(int) (count % nanos.length)] = tookNanos;
        count++;
    }

    public synchronized void batch(int publishedInBatch) {
        published += publishedInBatch;
        batches++;
    }

    /** Session updates scored so far (cheap, unlike a snapshot). */
    public synchronized long scored() {
        return count;
    }

    /** Predictions published so far. */
    public synchronized long published() {
        return published;
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Snapshot(long scored, long published, long batches, long window, double p50Micros, double p99Micros,
                           double maxMicros) {
    }

    public synchronized Snapshot snapshot() {
        int n = (int) Math.min(count, nanos.length);
        if (n == 0) {
            return new Snapshot(0, published, batches, 0, 0, 0, 0);
        }
        long[] sorted = Arrays.copyOf(nanos, n);
        Arrays.sort(sorted);
        return new Snapshot(count, published, batches, n, micros(sorted[(int) Math.floor(0.5 * (n - 1))]),
                micros(sorted[(int) Math.floor(0.99 * (n - 1))]), micros(sorted[n - 1]));
    }

    private static double micros(long nanos) {
        return Math.round(nanos / 100.0) / 10.0;
    }
}
