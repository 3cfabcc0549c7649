package io.funnelflow.crm.stream;

import java.time.Clock;
import java.time.Duration;

/**
 * The knobs of the lead lifecycle.
 *
 * @param punctuateEvery how often (wall clock) silence and rule sweeps are looked at
 * @param sweepBatch     at most this many leads are evaluated per punctuation
 * @param sessionRetention how long an identified session's lead is remembered after it was last seen
 * @param clock          what "now" is for silence; null: the stream's own wall clock
 */
public record CrmSettings(Duration punctuateEvery, int sweepBatch, Duration sessionRetention, Clock clock) {

    public static CrmSettings defaults() {
        return new CrmSettings(Duration.ofSeconds(10), 2000, Duration.ofDays(7), null);
    }
}
