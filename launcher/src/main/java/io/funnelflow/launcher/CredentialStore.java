package io.funnelflow.launcher;

import io.funnelflow.contract.credential.Credential;
import io.funnelflow.contract.topic.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The stored credentials on a running cluster's {@code funnelflow.credentials}: every service follows
 * that topic, so what is written here is valid (or revoked) everywhere within seconds.
 */
final class CredentialStore {

    private final String bootstrap;

    CredentialStore(String bootstrap) {
        this.bootstrap = bootstrap;
    }

    /** Every credential as it stands now (the newest record of each id), oldest first. */
    List<Credential> list() {
        Map<String, Credential> latest = new LinkedHashMap<>();
        try (KafkaConsumer<String, Credential> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000),
                Topics.CREDENTIALS.keySerde().deserializer(), Topics.CREDENTIALS.valueSerde().deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.CREDENTIALS.name(), Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + Topics.CREDENTIALS + " to its end within 30 s");
                }
                for (ConsumerRecord<String, Credential> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.value() == null) {
                        latest.remove(r.key());
                    } else {
                        latest.put(r.key(), r.value());
                    }
                }
            }
        }
        return latest.values().stream().sorted(Comparator.comparing(Credential::createdAt)).toList();
    }

    /** Writes a credential record (new, or revoked) and waits for the broker's acknowledgement. */
    void put(Credential credential) throws InterruptedException, ExecutionException, TimeoutException {
        try (KafkaProducer<String, Credential> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 10000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10000),
                Topics.CREDENTIALS.keySerde().serializer(), Topics.CREDENTIALS.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(Topics.CREDENTIALS.name(), credential.id(), credential)).get(20, TimeUnit.SECONDS);
        }
    }
}
