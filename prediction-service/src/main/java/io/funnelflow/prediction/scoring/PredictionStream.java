package io.funnelflow.prediction.scoring;

import io.funnelflow.contract.prediction.Prediction;
import io.funnelflow.contract.session.SessionSummary;
import io.funnelflow.contract.topic.Topics;
import io.funnelflow.service.CommittedConsumer;
import io.funnelflow.prediction.store.PredictionStore;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The live path: reads session updates (read_committed), scores them, and in one Kafka transaction
 * publishes what changed to {@code funnelflow.predictions} and commits the input offsets, after the
 * same predictions were upserted into PostgreSQL. A failure aborts the transaction and re-reads the
 * batch from the committed offsets; the keyed upserts absorb the repeat.
 */
public final class PredictionStream implements Runnable, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PredictionStream.class);

    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, Prediction> producer;
    private final LiveScoring scoring;
    private final PredictionStore store;
    private final ScoringStats stats;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Instant failingSince;
    private volatile String fatal;

    public PredictionStream(String bootstrap, String groupId, LiveScoring scoring, PredictionStore store, ScoringStats stats) {
        this.scoring = scoring;
        this.store = store;
        this.stats = stats;
        this.consumer = CommittedConsumer.create(bootstrap, groupId, 2000, 50);
        Map<String, Object> producerConfig = new HashMap<>();
        producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        producerConfig.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, groupId + "-" + UUID.randomUUID());
        producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        producerConfig.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        producerConfig.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, 5);
        producerConfig.put(ProducerConfig.RETRY_BACKOFF_MAX_MS_CONFIG, 50);
        this.producer = new KafkaProducer<>(producerConfig, new StringSerializer(), Topics.PREDICTIONS.valueSerde().serializer());
        this.thread = new Thread(this, "prediction-stream");
    }

    public void start() {
        producer.initTransactions();
        consumer.subscribe(List.of(Topics.SESSIONS.name()));
        thread.start();
    }

    public boolean isRunning() {
        return thread.isAlive();
    }

    /** The session consumer's own metrics, for {@code /metrics}; close it with the stream. */
    public KafkaClientMetrics consumerMeters() {
        return new KafkaClientMetrics(consumer);
    }

    /** The prediction producer's own metrics, for {@code /metrics}; close it with the stream. */
    public KafkaClientMetrics producerMeters() {
        return new KafkaClientMetrics(producer);
    }

    @Override
    public void run() {
        long backoff = 200;
        try {
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(500));
                if (records.isEmpty()) {
                    continue;
                }
                try {
                    process(records);
                    backoff = 200;
                } catch (WakeupException e) {
                    throw e;
                } catch (RuntimeException e) {
                    if (failingSince == null) {
                        failingSince = Instant.now();
                    }
                    if (!abort()) {
                        fatal = "the prediction producer cannot continue: " + e;
                        LOG.error("stopping the prediction stream: {}", fatal, e);
                        return;
                    }
                    LOG.error("could not score a batch of {} session updates; retrying from the last commit in {} ms",
                            records.count(), backoff, e);
                    CommittedConsumer.rewind(consumer, records.partitions());
                    sleep(backoff);
                    backoff = Math.min(10_000, backoff * 2);
                }
            }
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
        } finally {
            consumer.close();
            producer.close(Duration.ofSeconds(5));
        }
    }

    private void process(ConsumerRecords<String, byte[]> records) {
        LiveScoring.Batch batch = scoring.batch();
        List<SessionSummary> updates = new ArrayList<>(records.count());
        List<String> removals = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            if (r.value() == null) {
                updates.add(null);
                removals.add(r.key());
                continue;
            }
            try {
                updates.add(Topics.SESSIONS.valueSerde().deserializer().deserialize(r.topic(), r.value()));
            } catch (RuntimeException e) {
                LOG.error("skipping an unreadable session update at {}-{}@{}", r.topic(), r.partition(), r.offset(), e);
            }
        }
        long prefetchStarted = System.nanoTime();
        batch.prefetch(updates.stream().filter(java.util.Objects::nonNull).toList());
        // the batch's one history query, shared out over its updates
        long prefetchShare = updates.isEmpty() ? 0 : (System.nanoTime() - prefetchStarted) / updates.size();
        int removal = 0;
        for (SessionSummary summary : updates) {
            if (summary == null) {
                batch.remove(removals.get(removal++));
                continue;
            }
            long started = System.nanoTime();
            batch.update(summary);
            stats.scored(System.nanoTime() - started + prefetchShare);
        }
        store.write(batch.rows(), batch.removed());
        producer.beginTransaction();
        for (LiveScoring.Outgoing out : batch.outgoing()) {
            producer.send(new ProducerRecord<>(Topics.PREDICTIONS.name(), out.sessionId(), out.prediction()));
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition tp : records.partitions()) {
            List<ConsumerRecord<String, byte[]>> part = records.records(tp);
            offsets.put(tp, new OffsetAndMetadata(part.get(part.size() - 1).offset() + 1));
        }
        producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
        producer.commitTransaction();
        batch.commit();
        stats.batch(batch.publishedPredictions());
        failingSince = null;
    }

    /** Aborts the open transaction, if any; false when the producer is in a fatal state (e.g. fenced). */
    private boolean abort() {
        try {
            producer.abortTransaction();
            return true;
        } catch (IllegalStateException e) {
            LOG.debug("no transaction to abort", e);
            return true;
        } catch (KafkaException e) {
            return false;
        }
    }

    /** Since when batches have been failing (null while they go through). */
    public Instant failingSince() {
        return failingSince;
    }

    /** Why the stream stopped for good, if it did. */
    public String fatal() {
        return fatal;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
