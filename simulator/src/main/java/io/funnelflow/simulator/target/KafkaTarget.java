package io.funnelflow.simulator.target;

import io.funnelflow.contract.event.TrackedEvent;
import io.funnelflow.contract.topic.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;

/**
 * Straight onto {@code funnelflow.events}, for raw load: what ingest would write — the receive time and
 * the skew-corrected event time set, keyed by session — without HTTP. Nothing is validated here; the
 * aggregator rejects what is broken.
 */
public final class KafkaTarget implements EventTarget {

    private final KafkaProducer<String, TrackedEvent> producer;

    public KafkaTarget(String bootstrap) {
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024),
                new StringSerializer(), Topics.EVENTS.valueSerde().serializer());
    }

    @Override
    public Outcome send(List<TrackedEvent> events) throws Exception {
        long t0 = System.nanoTime();
        Instant received = Instant.now();
        List<Future<?>> sent = new ArrayList<>(events.size());
        for (TrackedEvent e : events) {
            TrackedEvent accepted = e.accepted(e.eventId(), received, null);
            sent.add(producer.send(new ProducerRecord<>(Topics.EVENTS.name(), accepted.sessionKey(), accepted)));
        }
        for (Future<?> f : sent) {
            f.get();
        }
        return new Outcome(200, events.size(), 0, System.nanoTime() - t0);
    }

    @Override
    public void close() {
        producer.close();
    }
}
