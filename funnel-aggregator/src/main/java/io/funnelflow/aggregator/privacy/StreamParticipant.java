package io.funnelflow.aggregator.privacy;

import io.funnelflow.contract.session.Erasure;
import io.funnelflow.contract.topic.Topics;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Has the stream forget the person: one {@link Erasure} per session key on {@code funnelflow.erasures} (keyed
 * like the events, so it reaches the task that holds that key's state). The stream subtracts the key's
 * sessions from every figure, drops its state and publishes tombstones for its sessions on
 * {@code funnelflow.sessions} and the session timelines, which the sink turns into deletions. Asked right
 * after the suppression list, so that no new event of theirs is behind it.
 */
public final class StreamParticipant implements ErasureParticipant {

    private final Producer<byte[], byte[]> producer;
    private final Clock clock;

    public StreamParticipant(Producer<byte[], byte[]> producer, Clock clock) {
        this.producer = producer;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "stream";
    }

    @Override
    public int order() {
        return STREAM;
    }

    @Override
    public Object export(Person person) {
        return null; // the stream's state is the sessions' summaries, exported from the tables
    }

    @Override
    public Map<String, Object> erase(Person person) throws Exception {
        Instant now = clock.instant();
        String topic = Topics.ERASURES.name();
        List<Future<?>> sent = new ArrayList<>(person.sessionKeys().size());
        for (String key : person.sessionKeys()) {
            sent.add(producer.send(new ProducerRecord<>(topic, Topics.ERASURES.keySerde().serializer().serialize(topic, key),
                    Topics.ERASURES.valueSerde().serializer().serialize(topic, new Erasure(key, person.userId(), now)))));
        }
        for (Future<?> f : sent) {
            f.get(10, TimeUnit.SECONDS);
        }
        return Map.of("session_keys", person.sessionKeys().size());
    }
}
