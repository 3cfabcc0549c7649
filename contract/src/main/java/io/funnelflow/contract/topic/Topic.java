package io.funnelflow.contract.topic;

import org.apache.kafka.common.serialization.Serde;

import java.util.Map;
import java.util.Objects;

/**
 * A Kafka topic with the types of its keys and values: the only way code names a topic.
 *
 * @param name       the topic name
 * @param keySerde   how keys are written
 * @param valueSerde how values are written
 * @param partitions how many partitions it is created with; 0: the platform's default
 * @param configs    topic configuration it is created with (e.g. compaction), beyond the defaults
 */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde, int partitions, Map<String, String> configs) {

    public Topic {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(keySerde, "keySerde");
        Objects.requireNonNull(valueSerde, "valueSerde");
        if (partitions < 0) {
            throw new IllegalArgumentException("partitions must be 0 (the default) or more");
        }
        configs = Map.copyOf(configs);
    }

    /** Compacted: the latest value per key is kept, a null value (tombstone) removes the key. */
    public static final Map<String, String> COMPACTED = Map.of("cleanup.policy", "compact");

    /** A topic with the default partition count and the configuration given. */
    public Topic(String name, Serde<K> keySerde, Serde<V> valueSerde, Map<String, String> configs) {
        this(name, keySerde, valueSerde, 0, configs);
    }

    /** A topic with the default partition count and configuration. */
    public Topic(String name, Serde<K> keySerde, Serde<V> valueSerde) {
        this(name, keySerde, valueSerde, 0, Map.of());
    }

    @Override
    public String toString() {
        return name;
    }
}
