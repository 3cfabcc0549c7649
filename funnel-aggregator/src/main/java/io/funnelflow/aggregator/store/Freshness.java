package io.funnelflow.aggregator.store;

import io.funnelflow.contract.event.TrackedEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * {@code funnelflow_aggregator_freshness_seconds}: for every unique event the sink has committed to
 * PostgreSQL, how long after its event time (corrected for the client's clock) that was — end to end,
 * from the shopper's click to the figure a query can read. A histogram with buckets from 50 ms to a day;
 * history sent with past timestamps (a backfill) lands in the top buckets, as it should.
 */
public final class Freshness {

    public static final String NAME = "funnelflow.aggregator.freshness";

    private final Timer timer;
    private final Clock clock;

    public Freshness(MeterRegistry registry, Clock clock) {
        this.clock = clock;
        this.timer = Timer.builder(NAME)
                .description("event time (corrected for clock skew) to committed in PostgreSQL, per unique event")
                .serviceLevelObjectives(Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
                        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5),
                        Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(5),
                        Duration.ofMinutes(15), Duration.ofHours(1), Duration.ofHours(6), Duration.ofDays(1))
                .register(registry);
    }

    /** Records each event of a batch that has just been committed. */
    public void written(SinkBatch batch) {
        Instant now = clock.instant();
        for (TrackedEvent e : batch.events()) {
            if (e.eventTime() != null) {
                Duration age = Duration.between(e.eventTime(), now);
                timer.record(age.isNegative() ? Duration.ZERO : age);
            }
        }
    }
}
