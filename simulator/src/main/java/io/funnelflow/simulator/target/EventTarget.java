package io.funnelflow.simulator.target;

import io.funnelflow.contract.event.TrackedEvent;

import java.util.List;

/** Where simulated events go: FunnelFlow's HTTP API, its Segment-compatible API, or straight to Kafka. */
public interface EventTarget extends AutoCloseable {

    /** What became of one request. */
    record Outcome(int status, int accepted, int rejected, long nanos) {
        public boolean ok() {
            return status / 100 == 2;
        }
    }

    /** Sends the events as one request (one produce batch for Kafka) and waits for the answer. */
    Outcome send(List<TrackedEvent> events) throws Exception;

    @Override
    default void close() throws Exception {
    }
}
