package io.funnelflow.aggregator.stream;

import io.funnelflow.contract.event.TrackedEvent;

import java.math.BigDecimal;

/** The running count and revenue of one window. */
public record Tally(long events, BigDecimal revenue) {

    public static Tally zero() {
        return new Tally(0, BigDecimal.ZERO);
    }

    public Tally add(TrackedEvent e) {
        return new Tally(events + 1, e.revenue() == null ? revenue : revenue.add(e.revenue()));
    }
}
