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
 * @param configs    topic configs it is created with (e.g. compaction), beside the defaults
 */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde, Map<String, String> configs) {

    /** Compacted: the latest value per key is kept, a null value (tombstone) removes the key. */
    public static final Map<String, String> COMPACTED = Map.of("cleanup.policy", "compact");

    public Topic {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(keySerde, "keySerde");
        Objects.requireNonNull(valueSerde, "valueSerde");
        configs = Map.copyOf(configs);
    }

    public Topic(String name, Serde<K> keySerde, Serde<V> valueSerde) {
        this(name, keySerde, valueSerde, Map.of());
    }

    @Override
    public String toString() {
        return name;
    }
}
