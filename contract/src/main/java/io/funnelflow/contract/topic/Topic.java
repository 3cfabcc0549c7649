package io.funnelflow.contract.topic;

import org.apache.kafka.common.serialization.Serde;

import java.util.Objects;

/**
 * A Kafka topic with the types of its keys and values: the only way code names a topic.
 *
 * @param name       the topic name
 * @param keySerde   how keys are written
 * @param valueSerde how values are written
 */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde) {

    public Topic {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(keySerde, "keySerde");
        Objects.requireNonNull(valueSerde, "valueSerde");
    }

    @Override
    public String toString() {
        return name;
    }
}
