package io.funnelflow.ingest.kafka;

import io.funnelflow.contract.event.RejectedEvent;
import io.funnelflow.contract.event.TrackedEvent;
import io.funnelflow.contract.topic.Topic;
import io.funnelflow.contract.topic.Topics;
import io.funnelflow.ingest.track.EventSink;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;

import java.util.concurrent.CompletableFuture;

/** Accepted events onto {@code funnelflow.events}, refused ones onto {@code funnelflow.events.rejected}, keyed by session. */
public final class KafkaEventSink implements EventSink {

    private final Producer<byte[], byte[]> producer;

    public KafkaEventSink(Producer<byte[], byte[]> producer) {
        this.producer = producer;
    }

    @Override
    public CompletableFuture<RecordMetadata> accept(TrackedEvent event) {
        return send(Topics.EVENTS, event.sessionKey(), event);
    }

    @Override
    public CompletableFuture<RecordMetadata> reject(String key, RejectedEvent rejected) {
        return send(Topics.EVENTS_REJECTED, key, rejected);
    }

    private <V> CompletableFuture<RecordMetadata> send(Topic<String, V> topic, String key, V value) {
        CompletableFuture<RecordMetadata> done = new CompletableFuture<>();
        try {
            byte[] k = key == null ? null : topic.keySerde().serializer().serialize(topic.name(), key);
            byte[] v = topic.valueSerde().serializer().serialize(topic.name(), value);
            producer.send(new ProducerRecord<>(topic.name(), k, v), (metadata, error) -> {
                if (error != null) {
                    done.completeExceptionally(error);
                } else {
                    done.complete(metadata);
                }
            });
        } catch (KafkaException e) {
            // send() itself throws when metadata or buffer space did not come within max.block.ms
            done.completeExceptionally(e);
        }
        return done;
    }
}
