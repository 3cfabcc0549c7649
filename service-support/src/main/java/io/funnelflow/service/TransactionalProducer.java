package io.funnelflow.service;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A producer whose records and a consumer group's offsets are committed in one Kafka transaction, so that
 * what a consumer derived from a batch and its moving past the batch happen together or not at all.
 * Each instance has its own transactional id; fencing is by the consumer group's generation.
 */
public final class TransactionalProducer {

    private TransactionalProducer() {
    }

    public static KafkaProducer<String, byte[]> create(String bootstrap, String idPrefix) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, idPrefix + "-" + UUID.randomUUID());
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        config.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, 5);
        config.put(ProducerConfig.RETRY_BACKOFF_MAX_MS_CONFIG, 50);
        // a broker that is away fails a step within this, instead of the default minute, and the batch is retried
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }
}
