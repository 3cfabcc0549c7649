package io.funnelflow.aggregator.aggregate;

import java.time.Instant;

/** The time buckets figures are kept in: hours, and days rolled up beside them (UTC). */
public enum Granularity {
    HOUR(3_600),
    DAY(86_400);

    private final long seconds;

    Granularity(long seconds) {
        this.seconds = seconds;
    }

    public long seconds() {
        return seconds;
    }

    /** The start (epoch seconds) of the bucket holding {@code epochMillis}. */
    public long bucketStart(long epochMillis) {
        long s = Math.floorDiv(epochMillis, 1000L);
        return s - Math.floorMod(s, seconds);
    }

    public Instant start(long bucketStartSeconds) {
        return Instant.ofEpochSecond(bucketStartSeconds);
    }

    public char code() {
        return this == HOUR ? 'h' : 'd';
    }

    public static Granularity ofCode(char c) {
        return switch (c) {
            case 'h' -> HOUR;
            case 'd' -> DAY;
            default -> throw new IllegalArgumentException("unknown granularity " + c);
        };
    }
}
