package io.funnelflow.aggregator.privacy;

import io.funnelflow.contract.privacy.Suppression;
import io.funnelflow.contract.topic.Topics;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Puts the person on {@code funnelflow.suppressions} (their user id and anonymous ids), first of all: from
 * then on ingest publishes none of their events, so nothing of theirs flows in behind the erasure.
 */
public final class SuppressionParticipant implements ErasureParticipant {

    private final Producer<byte[], byte[]> producer;
    private final Clock clock;

    public SuppressionParticipant(Producer<byte[], byte[]> producer, Clock clock) {
        this.producer = producer;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "suppression_list";
    }

    @Override
    public int order() {
        return SUPPRESSION;
    }

    @Override
    public Object export(Person person) {
        return null; // it holds people only once they are erased
    }

    @Override
    public Map<String, Object> erase(Person person) throws Exception {
        Suppression suppression = new Suppression(person.userId(), person.anonymousIds(), clock.instant());
        String topic = Topics.SUPPRESSIONS.name();
        producer.send(new ProducerRecord<>(topic, Topics.SUPPRESSIONS.keySerde().serializer().serialize(topic, person.userId()),
                Topics.SUPPRESSIONS.valueSerde().serializer().serialize(topic, suppression))).get(10, TimeUnit.SECONDS);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("user_id", person.userId());
        out.put("anonymous_ids", person.anonymousIds().size());
        return out;
    }
}
