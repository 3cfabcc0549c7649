package io.funnelflow.aggregator.stream;

import io.funnelflow.contract.event.TrackedEvent;

/** An event with the way it takes: into its window, or (late) around it. */
record Routed(TrackedEvent event, boolean late) {
}
