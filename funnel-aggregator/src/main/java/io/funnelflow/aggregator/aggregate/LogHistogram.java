package io.funnelflow.aggregator.aggregate;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * A mergeable quantile sketch with a relative-error guarantee (the DDSketch construction: values are
 * counted in logarithmic buckets of ratio γ = (1+α)/(1−α), so every quantile is returned within a
 * relative error α). Unlike KLL it is exactly retractable: a count added can be taken out again, which
 * is what a figure that follows a changing session needs (a late event moves a session's step time;
 * its old time is subtracted, its new one added). Zero is counted apart; negative values are not taken.
 */
public final class LogHistogram {

    /** Relative accuracy of every quantile. */
    public static final double RELATIVE_ACCURACY = 0.01;
    private static final double GAMMA = (1 + RELATIVE_ACCURACY) / (1 - RELATIVE_ACCURACY);
    private static final double LOG_GAMMA = Math.log(GAMMA);

    private final TreeMap<Integer, Long> buckets = new TreeMap<>();
    private long zeros;
    private long count;

    /** Adds {@code times} occurrences of {@code value} (negative {@code times} retracts them). */
    public void add(double value, long times) {
        if (value < 0 || Double.isNaN(value)) {
            throw new IllegalArgumentException("value must be a non-negative number, not " + value);
        }
        count += times;
        if (value == 0) {
            zeros += times;
            return;
        }
        int index = (int) Math.ceil(Math.log(value) / LOG_GAMMA);
        long now = buckets.getOrDefault(index, 0L) + times;
        if (now == 0) {
            buckets.remove(index);
        } else {
            buckets.put(index, now);
        }
    }

    public void merge(LogHistogram other) {
        count += other.count;
        zeros += other.zeros;
        other.buckets.forEach((index, n) -> {
            long now = buckets.getOrDefault(index, 0L) + n;
            if (now == 0) {
                buckets.remove(index);
            } else {
                buckets.put(index, now);
            }
        });
    }

    public long count() {
        return count;
    }

    public boolean isEmpty() {
        return count == 0 && buckets.isEmpty() && zeros == 0;
    }

    /**
     * The median as the reference computes it (the middle value, or the mean of the middle two), each
     * value within the relative accuracy; null when empty.
     */
    public Double median() {
        if (count <= 0) {
            return null;
        }
        double low = valueAtRank((count - 1) / 2);
        double high = valueAtRank(count / 2);
        return (low + high) / 2;
    }

    /** The value at quantile q (0..1), within the relative accuracy; null when empty. */
    public Double quantile(double q) {
        if (count <= 0) {
            return null;
        }
        return valueAtRank((long) Math.floor(q * (count - 1)));
    }

    private double valueAtRank(long rank) {
        long seen = zeros;
        if (rank < seen) {
            return 0;
        }
        for (Map.Entry<Integer, Long> e : buckets.entrySet()) {
            seen += e.getValue();
            if (rank < seen) {
                return 2 * Math.pow(GAMMA, e.getKey()) / (GAMMA + 1);
            }
        }
        Integer last = buckets.isEmpty() ? null : buckets.lastKey();
        return last == null ? 0 : 2 * Math.pow(GAMMA, last) / (GAMMA + 1);
    }

    public void writeTo(DataOutput out) throws IOException {
        Varints.writeSigned(out, count);
        Varints.writeSigned(out, zeros);
        Varints.writeUnsigned(out, buckets.size());
        int previous = 0;
        for (Map.Entry<Integer, Long> e : buckets.entrySet()) {
            Varints.writeSigned(out, e.getKey() - previous);
            Varints.writeSigned(out, e.getValue());
            previous = e.getKey();
        }
    }

    public static LogHistogram readFrom(DataInput in) throws IOException {
        LogHistogram h = new LogHistogram();
        h.count = Varints.readSigned(in);
        h.zeros = Varints.readSigned(in);
        long size = Varints.readUnsigned(in);
        int index = 0;
        for (long i = 0; i < size; i++) {
            index += (int) Varints.readSigned(in);
            h.buckets.put(index, Varints.readSigned(in));
        }
        return h;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LogHistogram h && h.count == count && h.zeros == zeros && h.buckets.equals(buckets);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(count) * 31 + buckets.hashCode();
    }
}
