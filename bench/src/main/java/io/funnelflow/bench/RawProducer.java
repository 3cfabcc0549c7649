package io.funnelflow.bench;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ceiling: one producer sending ready-made event JSON as fast as the broker takes it, with the
 * settings ingest uses (acks=all, idempotent, lz4, linger 5 ms, 64 KiB batches), as Kafka's
 * ProducerPerformance measures it.
 */
final class RawProducer {

    private RawProducer() {
    }

    /** Records per second over {@code duration} (until every record sent is acknowledged), round-robin over {@code values}. */
    static double run(String bootstrap, String topic, List<byte[]> keys, List<byte[]> values, java.time.Duration duration)
            throws Exception {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024,
                ProducerConfig.BUFFER_MEMORY_CONFIG, 64L * 1024 * 1024);
        AtomicLong failed = new AtomicLong();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            long start = System.nanoTime();
            long deadline = start + duration.toNanos();
            long count = 0;
            for (int i = 0; (i & 1023) != 0 || System.nanoTime() < deadline; i++, count++) {
                int k = i % values.size();
                producer.send(new ProducerRecord<>(topic, keys.get(k), values.get(k)), (md, e) -> {
                    if (e != null) {
                        failed.incrementAndGet();
                    }
                });
            }
            producer.flush();
            double seconds = (System.nanoTime() - start) / 1e9;
            if (failed.get() > 0) {
                throw new IllegalStateException(failed.get() + " records failed");
            }
            return count / seconds;
        }
    }
}
