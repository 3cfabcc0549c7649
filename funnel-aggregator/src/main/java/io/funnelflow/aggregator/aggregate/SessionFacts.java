package io.funnelflow.aggregator.aggregate;

import io.funnelflow.aggregator.funnel.FunnelMode;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What one session contributes to the figures: the buckets it falls in (its start and first campaign,
 * device and platform) and its numbers. A session's contribution is added when it appears and, when it
 * changes, its old contribution is subtracted and the new one added — so every figure stays exact
 * however late, shuffled or merged the events come.
 *
 * @param dims     the values of {@link Dimension#BREAKDOWNS}, in that order; null where the session has none
 * @param landed   whether the session had a page view (a landing)
 * @param funnels  one entry per counted funnel version and mode
 */
public record SessionFacts(long startMillis, String[] dims, String visitor, int purchases, BigDecimal revenue,
                           long durationSeconds, boolean cart, boolean landed, List<FunnelFacts> funnels) {

    public SessionFacts {
        dims = dims.clone();
        funnels = List.copyOf(funnels);
    }

    public boolean converted() {
        return purchases > 0;
    }

    public boolean abandoned() {
        return cart && purchases == 0;
    }

    /** The bucket value of dimension {@code d} (the empty string for ALL). */
    public String value(Dimension d) {
        if (d == Dimension.ALL) {
            return "";
        }
        String v = dims[d.ordinal() - 1];
        return v == null ? Dimension.NONE : v;
    }

    /** Whether this and {@code other} fall in the same buckets and say the same about the session's KPIs. */
    public boolean sameSessionFigures(SessionFacts other) {
        return other != null && startMillis == other.startMillis && Arrays.equals(dims, other.dims)
                && Objects.equals(visitor, other.visitor) && purchases == other.purchases
                && revenue.compareTo(other.revenue) == 0 && durationSeconds == other.durationSeconds
                && cart == other.cart && landed == other.landed;
    }

    public boolean sameBuckets(SessionFacts other) {
        return other != null && startMillis == other.startMillis && Arrays.equals(dims, other.dims);
    }

    /** This session's figures in one funnel version under one mode. */
    public record FunnelFacts(int funnelId, FunnelMode mode, int steps, int depth, long[] stepEvents, long[] durations) {

        public FunnelFacts {
            stepEvents = stepEvents.clone();
            durations = durations.clone();
        }

        public boolean sameAs(FunnelFacts o) {
            return o != null && funnelId == o.funnelId && mode == o.mode && steps == o.steps && depth == o.depth
                    && Arrays.equals(stepEvents, o.stepEvents) && Arrays.equals(durations, o.durations);
        }
    }

    public FunnelFacts funnel(int funnelId, FunnelMode mode) {
        for (FunnelFacts f : funnels) {
            if (f.funnelId() == funnelId && f.mode() == mode) {
                return f;
            }
        }
        return null;
    }
}
