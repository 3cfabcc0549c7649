package io.funnelflow.aggregator.stream;

import io.funnelflow.contract.event.TrackedEvent;
import io.funnelflow.contract.session.Erasure;

/** What reaches the sessionizer, keyed by session key: an event, or a request to forget the key. */
sealed interface Input {

    record Event(TrackedEvent event) implements Input {
    }

    record Erase(Erasure erasure) implements Input {
    }
}
