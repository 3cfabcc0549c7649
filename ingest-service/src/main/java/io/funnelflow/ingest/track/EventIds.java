package io.funnelflow.ingest.track;

import io.funnelflow.contract.event.TrackedEvent;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Ids for events that came without one. An event with a client timestamp gets an id derived from its
 * content, so that a client retrying the identical request after a timeout or a 503 produces the
 * same id and the event is still counted once; one without a timestamp cannot be told from a new
 * identical event, so it gets a random id.
 */
final class EventIds {

    private EventIds() {
    }

    static String generate(String writeKey, TrackedEvent e) {
        if (e.timestamp() == null) {
            return UUID.randomUUID().toString();
        }
        String content = String.join("\u001f", writeKey, e.eventType(), e.timestamp().toString(),
                String.valueOf(e.sessionKey()), String.valueOf(e.productId()), String.valueOf(e.pageUrl()),
                String.valueOf(e.revenue()), String.valueOf(e.quantity()), String.valueOf(e.metadata()));
        return UUID.nameUUIDFromBytes(content.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
