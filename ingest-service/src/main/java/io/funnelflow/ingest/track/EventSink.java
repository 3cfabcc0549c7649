package io.funnelflow.ingest.track;

import io.funnelflow.contract.event.RejectedEvent;
import io.funnelflow.contract.event.TrackedEvent;

import java.util.concurrent.CompletableFuture;

/** Where judged events go. A future completes when the event is durably stored (for Kafka: acknowledged by acks=all). */
public interface EventSink {

    CompletableFuture<?> accept(TrackedEvent event);

    CompletableFuture<?> reject(String key, RejectedEvent rejected);
}
