package io.funnelflow.aggregator.stream;

import io.funnelflow.contract.event.TrackedEvent;
import io.funnelflow.contract.json.JsonSerde;
import java.util.Map;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * An event as read from {@code funnelflow.events}: parsed once, with the bytes it came in, so that the
 * raw events written on for PostgreSQL are those bytes, not a second serialisation of the same event.
 */
record Received(byte[] raw, TrackedEvent event) {

    /** Reads events as {@link Received}, writes them as their original bytes. */
    static final class ReceivedSerde implements Serde<Received>, Serializer<Received>, Deserializer<Received> {

        private final JsonSerde<TrackedEvent> json = JsonSerde.of(TrackedEvent.class);

        @Override
        public Received deserialize(String topic, byte[] data) {
            return data == null ? null : new Received(data, json.deserialize(topic, data));
        }

        @Override
        public byte[] serialize(String topic, Received data) {
            return data == null ? null : data.raw();
        }

        @Override
        public Serializer<Received> serializer() {
            return this;
        }

        @Override
        public Deserializer<Received> deserializer() {
            return this;
        }

        @Override
        public void configure(Map<String, ?> configs, boolean isKey) {
        }

        @Override
        public void close() {
        }
    }
}
