package io.funnelflow.service.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.funnelflow.contract.event.RejectedEvent;
import io.funnelflow.contract.json.Json;
import io.funnelflow.contract.topic.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * A record that a writer could not store, as it goes to {@code funnelflow.events.rejected}: the stage, the
 * reason, where it was read from, and its value as it was (JSON when it was JSON, else its text), under
 * its own key.
 */
public final class RejectedRecords {

    private RejectedRecords() {
    }

    public static RejectedEvent of(String stage, ConsumerRecord<String, byte[]> record, String reason) {
        JsonNode payload = null;
        String raw = null;
        if (record.value() != null) {
            try {
                payload = Json.mapper().readTree(record.value());
            } catch (IOException notJson) {
                raw = new String(record.value(), StandardCharsets.UTF_8);
            }
        }
        String eventId = payload != null && payload.path("event_id").isTextual() ? payload.get("event_id").asText() : null;
        return new RejectedEvent(stage, eventId, null, reason, Instant.ofEpochMilli(record.timestamp()), payload, raw,
                new RejectedEvent.Origin(record.topic(), record.partition(), record.offset()));
    }

    /** The record to produce, keyed as the refused one was. */
    public static ProducerRecord<String, byte[]> toProduce(String stage, ConsumerRecord<String, byte[]> record, String reason) {
        String topic = Topics.EVENTS_REJECTED.name();
        return new ProducerRecord<>(topic, record.key(),
                Topics.EVENTS_REJECTED.valueSerde().serializer().serialize(topic, of(stage, record, reason)));
    }
}
