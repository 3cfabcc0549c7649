package io.funnelflow.ingest.kafka;

import io.funnelflow.contract.event.RejectedEvent;
import io.funnelflow.contract.event.TrackedEvent;
import io.funnelflow.contract.topic.Topic;
import io.funnelflow.contract.topic.Topics;
import io.funnelflow.ingest.track.EventSink;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;

/** Accepted events onto {@code funnelflow.events}, refused ones onto {@code funnelflow.events.rejected}, keyed by session. */
public final class KafkaEventSink implements EventSink {

    private final Producer<byte[], byte[]> producer;

    public KafkaEventSink(Producer<byte[], byte[]> producer) {
        this.producer = producer;
    }

    @Override
    public void accept(TrackedEvent event, Ack ack) {
        send(Topics.EVENTS, event.sessionKey(), event, ack);
    }

    @Override
    public void reject(String key, RejectedEvent rejected, Ack ack) {
        send(Topics.EVENTS_REJECTED, key, rejected, ack);
    }

    private <V> void send(Topic<String, V> topic, String key, V value, Ack ack) {
        try {
            byte[] k = key == null ? null : topic.keySerde().serializer().serialize(topic.name(), key);
            byte[] v = topic.valueSerde().serializer().serialize(topic.name(), value);
            producer.send(new ProducerRecord<>(topic.name(), k, v), (metadata, error) -> ack.done(error));
        } catch (KafkaException e) {
            // send() itself throws when metadata or buffer space did not come within max.block.ms
            ack.done(e);
        }
    }
}
