package io.funnelflow.aggregator.funnel;

import java.util.Arrays;

/**
 * How far one session got in a funnel: {@code depth} is the number of steps reached (0 when the
 * session never did step 1, i.e. did not enter the funnel), and {@code stepTimesMillis[i]} is the time
 * of the event that counted for step {@code i + 1}, so the array has exactly {@code depth} entries.
 *
 * <p>Immutable: the array is copied in and out.
 */
public record SessionFunnel(int depth, long[] stepTimesMillis) {

    /** A session that did not enter the funnel. */
    public static final SessionFunnel NOT_ENTERED = new SessionFunnel(0, new long[0]);

    /** @throws IllegalArgumentException when depth is negative or differs from the number of times */
    public SessionFunnel {
        if (depth < 0 || stepTimesMillis.length != depth) {
            throw new IllegalArgumentException("depth " + depth + " with " + stepTimesMillis.length + " step times");
        }
        stepTimesMillis = stepTimesMillis.clone();
    }

    /** A copy of the step times. */
    @Override
    public long[] stepTimesMillis() {
        return stepTimesMillis.clone();
    }

    /** Whether the session did step 1. */
    public boolean entered() {
        return depth > 0;
    }

    /** The time of the event that counted for step {@code step} (1-based, at most {@link #depth()}). */
    public long stepTimeMillis(int step) {
        return stepTimesMillis[step - 1];
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SessionFunnel that
                && depth == that.depth
                && Arrays.equals(stepTimesMillis, that.stepTimesMillis);
    }

    @Override
    public int hashCode() {
        return 31 * depth + Arrays.hashCode(stepTimesMillis);
    }

    @Override
    public String toString() {
        return "SessionFunnel[depth=" + depth + ", stepTimesMillis=" + Arrays.toString(stepTimesMillis) + "]";
    }
}
