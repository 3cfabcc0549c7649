package io.funnelflow.aggregator.funnel;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * How far one session has got in one funnel under one mode, kept up to date as the session's events
 * are added in time order (ties in the session's order): the same depth, step times and step-event
 * counts that {@link FunnelEvaluator} computes from the whole event list, at O(steps) per event and
 * O(steps) in size, whatever the session's length. A test holds the two to each other.
 *
 * <ul>
 *   <li>ordered: a step is matched to the first event of its type after the previous step's event;</li>
 *   <li>strict: the current journey (consecutive funnel events that follow the steps) and the best
 *       journey so far (the first to reach the greatest depth) are kept;</li>
 *   <li>any_order: the first time and the number of events of each step.</li>
 * </ul>
 *
 * <p>Step-event counts (for {@code count=events}): step 1 counts every step-1 event of an entered
 * session; step k counts the step-k events at or after the time step k-1 was reached — including
 * events of the same millisecond that came before it in the session's order, which is why the events
 * of the current millisecond are counted per step.
 */
public final class FunnelProgress {

    private static final byte FORMAT = 1;

    private final String[] steps;
    private final FunnelMode mode;
    private final int n;

    /** Depth, step times and step events of the reported match (strict: the best journey). */
    private int depth;
    private final long[] times;
    private final long[] events;
    /** All step-1 events; any_order: all events of every step. */
    private final long[] totals;
    /** Strict: the current journey. */
    private int curDepth;
    private final long[] curTimes;
    private final long[] curEvents;
    /** Events of each step in the current millisecond, before the event being added. */
    private long currentMs = Long.MIN_VALUE;
    private final int[] sameMs;

    public FunnelProgress(List<String> steps, FunnelMode mode) {
        this.steps = steps.toArray(String[]::new);
        this.mode = mode;
        this.n = this.steps.length;
        this.times = new long[n];
        this.events = new long[n];
        this.totals = new long[n];
        this.curTimes = new long[n];
        this.curEvents = new long[n];
        this.sameMs = new int[n];
    }

    public FunnelMode mode() {
        return mode;
    }

    /** Adds the session's next event. */
    public void add(String type, long time) {
        int j = indexOf(type);
        if (j < 0) {
            return;
        }
        if (time != currentMs) {
            currentMs = time;
            Arrays.fill(sameMs, 0);
        }
        totals[j]++;
        switch (mode) {
            case ORDERED -> addOrdered(j, time);
            case STRICT -> addStrict(j, time);
            case ANY_ORDER -> addAnyOrder(j, time);
        }
        sameMs[j]++;
    }

    private void addOrdered(int j, long time) {
        if (j >= 1 && j <= depth) {
            events[j]++;
        }
        if (j == depth && depth < n) {
            times[depth++] = time;
            if (depth < n) {
                events[depth] += sameMs[depth];
            }
        }
    }

    private void addStrict(int j, long time) {
        if (j >= 1 && j <= depth) {
            events[j]++;
        }
        if (j >= 1 && j <= curDepth) {
            curEvents[j]++;
        }
        if (curDepth >= 1 && curDepth < n && j == curDepth) {
            curTimes[curDepth++] = time;
            if (curDepth < n) {
                curEvents[curDepth] += sameMs[curDepth];
            }
        } else if (j == 0) {
            curDepth = 1;
            curTimes[0] = time;
            Arrays.fill(curEvents, 0);
            if (n > 1) {
                curEvents[1] = sameMs[1];
            }
        } else {
            curDepth = 0;
        }
        if (curDepth > depth) {
            depth = curDepth;
            System.arraycopy(curTimes, 0, times, 0, n);
            System.arraycopy(curEvents, 0, events, 0, n);
        }
    }

    private void addAnyOrder(int j, long time) {
        if (totals[j] == 1) {
            times[j] = time;
        }
        while (depth < n && totals[depth] > 0) {
            depth++;
        }
    }

    private int indexOf(String type) {
        for (int i = 0; i < n; i++) {
            if (steps[i].equals(type)) {
                return i;
            }
        }
        return -1;
    }

    /** Steps reached: 0 when the session did not enter the funnel. */
    public int depth() {
        return depth;
    }

    /** The session's match as the evaluator reports it. */
    public SessionFunnel reached() {
        return new SessionFunnel(depth, Arrays.copyOf(times, depth));
    }

    /** Per step, the step events this session contributes when counting events. */
    public long[] stepEvents() {
        long[] out = new long[n];
        if (depth == 0) {
            return out;
        }
        out[0] = totals[0];
        for (int i = 1; i <= depth && i < n; i++) {
            out[i] = mode == FunnelMode.ANY_ORDER ? totals[i] : events[i];
        }
        return out;
    }

    /**
     * Milliseconds from step k to step k + 1 for every pair of reached steps (never negative: in
     * any_order a step done before the previous one converted in zero time).
     */
    public long[] stepDurations() {
        long[] out = new long[Math.max(0, depth - 1)];
        for (int k = 1; k < depth; k++) {
            out[k - 1] = Math.max(0, times[k] - times[k - 1]);
        }
        return out;
    }

    // ---- compact binary form -----------------------------------------------------------------------

    public void writeTo(DataOutput out) throws IOException {
        out.writeByte(FORMAT);
        out.writeByte(depth);
        out.writeByte(curDepth);
        out.writeLong(currentMs);
        for (int i = 0; i < n; i++) {
            out.writeLong(times[i]);
            out.writeLong(events[i]);
            out.writeLong(totals[i]);
            out.writeLong(curTimes[i]);
            out.writeLong(curEvents[i]);
            out.writeInt(sameMs[i]);
        }
    }

    /** Reads what {@link #writeTo} wrote for the same steps and mode. */
    public static FunnelProgress readFrom(DataInput in, List<String> steps, FunnelMode mode) throws IOException {
        byte format = in.readByte();
        if (format != FORMAT) {
            throw new IOException("unknown funnel progress format " + format);
        }
        FunnelProgress p = new FunnelProgress(steps, mode);
        p.depth = in.readByte();
        p.curDepth = in.readByte();
        p.currentMs = in.readLong();
        for (int i = 0; i < p.n; i++) {
            p.times[i] = in.readLong();
            p.events[i] = in.readLong();
            p.totals[i] = in.readLong();
            p.curTimes[i] = in.readLong();
            p.curEvents[i] = in.readLong();
            p.sameMs[i] = in.readInt();
        }
        return p;
    }
}
