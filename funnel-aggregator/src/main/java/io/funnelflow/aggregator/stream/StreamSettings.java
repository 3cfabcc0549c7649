package io.funnelflow.aggregator.stream;

import java.time.Duration;

/**
 * The knobs of the aggregation.
 *
 * @param inactivityGap  a session ends after this long without events (event time)
 * @param dedupeHorizon  how long an event id is remembered to drop retries of it
 * @param windowGrace    how late (in event time, behind the newest event seen) an event may come and still
 *                       be counted in its one-minute window; later ones are counted on the late path
 * @param idleRetention  how long a visitor's timeline is kept after its last event arrived (wall clock)
 */
public record StreamSettings(Duration inactivityGap, Duration dedupeHorizon, Duration windowGrace, Duration idleRetention) {

    public static StreamSettings defaults() {
        return new StreamSettings(Duration.ofMinutes(30), Duration.ofHours(24), Duration.ofMinutes(10), Duration.ofDays(7));
    }
}
