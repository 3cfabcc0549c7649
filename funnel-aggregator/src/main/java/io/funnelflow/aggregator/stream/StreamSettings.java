package io.funnelflow.aggregator.stream;

import java.time.Duration;

/**
 * The knobs of the aggregation.
 *
 * @param inactivityGap     a session ends after this long without events (event time)
 * @param dedupeHorizon     how long an event id is remembered to drop retries of it
 * @param lateAfter         an event that arrives more than this after its event time is reported late
 *                          (it is counted all the same: figures are kept per bucket, not in closing windows)
 * @param idleRetention     how long a session key's state is kept after its last change (wall clock);
 *                          after that its sessions are final
 * @param flushInterval     how often the sessions changed since the last flush are summarised and their
 *                          figures updated: one update per session per flush, however many events came
 * @param timelineDelay     how long a closed session stays unchanged before its ordered events are published
 * @param maxEventsPerKey   events kept per session key; more are still counted per event and stored raw,
 *                          and the key's sessions say they are truncated
 * @param maxSessionsPerKey sessions kept per key; the oldest beyond are final and leave the state
 * @param bucketHorizon     how long (wall clock) a bucket's running figures are kept in the stream's state;
 *                          a later change to an older bucket starts a new generation of it, summed with the old
 * @param sweepBatch        session keys re-counted per flush after the saved funnels changed
 */
public record StreamSettings(Duration inactivityGap, Duration dedupeHorizon, Duration lateAfter, Duration idleRetention,
                             Duration flushInterval, Duration timelineDelay, int maxEventsPerKey, int maxSessionsPerKey,
                             Duration bucketHorizon, int sweepBatch) {

    public static StreamSettings defaults() {
        return new StreamSettings(Duration.ofMinutes(30), Duration.ofHours(24), Duration.ofMinutes(10), Duration.ofDays(7),
                Duration.ofMillis(250), Duration.ofSeconds(5), 2_000, 200, Duration.ofDays(3), 500);
    }

    public StreamSettings withInactivityGap(Duration gap) {
        return new StreamSettings(gap, dedupeHorizon, lateAfter, idleRetention, flushInterval, timelineDelay, maxEventsPerKey,
                maxSessionsPerKey, bucketHorizon, sweepBatch);
    }

    public StreamSettings withMaxEventsPerKey(int max) {
        return new StreamSettings(inactivityGap, dedupeHorizon, lateAfter, idleRetention, flushInterval, timelineDelay, max,
                maxSessionsPerKey, bucketHorizon, sweepBatch);
    }
}
