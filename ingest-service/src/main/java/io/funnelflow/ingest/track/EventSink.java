package io.funnelflow.ingest.track;

import io.funnelflow.contract.event.RejectedEvent;
import io.funnelflow.contract.event.TrackedEvent;

/**
 * Where judged events go. Each write reports once to its {@link Ack} when the event is durably stored
 * (for Kafka: acknowledged under acks=all) or could not be.
 */
public interface EventSink {

    void accept(TrackedEvent event, Ack ack);

    void reject(String key, RejectedEvent rejected, Ack ack);

    /** Told the fate of one write: {@code error} is null when it was stored. */
    @FunctionalInterface
    interface Ack {
        void done(Throwable error);
    }
}
