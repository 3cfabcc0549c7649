package io.funnelflow.aggregator.stream;

import io.funnelflow.contract.event.TrackedEvent;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

import java.time.Duration;

/**
 * Decides, just before the one-minute windows and in the same task, whether an event's window is
 * still open. The window aggregation drops a record whose window ended more than the grace period
 * before the newest time it has seen; this detector applies the same rule with a stream time at least
 * as new as the window's (its own newest time and the task's), so every event it lets through is
 * counted by the window and every other one is marked late and counted on the late path — each
 * event exactly once.
 */
final class LateDetector implements FixedKeyProcessor<String, TrackedEvent, Routed> {

    private final long windowMillis;
    private final long graceMillis;
    private FixedKeyProcessorContext<String, Routed> context;
    private long observed = Long.MIN_VALUE;

    LateDetector(Duration window, Duration grace) {
        this.windowMillis = window.toMillis();
        this.graceMillis = grace.toMillis();
    }

    @Override
    public void init(FixedKeyProcessorContext<String, Routed> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, TrackedEvent> record) {
        long ts = record.timestamp();
        observed = Math.max(Math.max(observed, ts), context.currentStreamTimeMs());
        long windowEnd = ts - Math.floorMod(ts, windowMillis) + windowMillis;
        boolean late = windowEnd <= observed - graceMillis;
        context.forward(record.withValue(new Routed(record.value(), late)));
    }
}
