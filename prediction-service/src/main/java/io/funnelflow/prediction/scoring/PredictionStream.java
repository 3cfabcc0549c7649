package io.funnelflow.prediction.scoring;

import io.funnelflow.contract.event.RejectedEvent;
import io.funnelflow.contract.session.SessionSummary;
import io.funnelflow.contract.topic.Topics;
import io.funnelflow.service.CommittedConsumer;
import io.funnelflow.service.TransactionalProducer;
import io.funnelflow.service.store.Bisection;
import io.funnelflow.service.store.RejectedRecords;
import io.funnelflow.service.store.WriteFailure;
import io.funnelflow.prediction.store.PredictionStore;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The live path: reads session updates (read_committed), scores them, and in one Kafka transaction
 * publishes what changed to {@code funnelflow.predictions} and commits the input offsets, after the
 * same predictions were upserted into PostgreSQL. A failure aborts the transaction and re-reads the
 * batch from the committed offsets; the keyed upserts absorb the repeat.
 *
 * <p>The PostgreSQL side follows the writers' policy ({@link WriteFailure}): when PostgreSQL refuses
 * what a batch holds (reading the visitors' histories or writing the predictions), the batch is bisected
 * in offset order, each part in its own transaction, and each update refused on its own goes to
 * {@code funnelflow.events.rejected} (stage {@code prediction}, with PostgreSQL's reason) in a
 * transaction that also moves the offsets past it, before any later part is written. A session update
 * that cannot be read goes the same way. An outage (PostgreSQL or Kafka away) sets nothing aside.
 */
public final class PredictionStream implements Runnable, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PredictionStream.class);

    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, byte[]> producer;
    private final LiveScoring scoring;
    private final PredictionStore store;
    private final ScoringStats stats;
    private final String groupId;
    private final Thread thread;
    private final AtomicLong refused = new AtomicLong();
    // what this stream last committed per partition (its thread only)
    private final Map<TopicPartition, Long> committed = new HashMap<>();
    private volatile boolean running = true;
    private volatile Instant failingSince;
    private volatile String lastFailure;
    private volatile String fatal;

    /** A failure of the Kafka half of a batch: never a refusal of what it holds. */
    private static final class KafkaStepFailed extends RuntimeException {
        KafkaStepFailed(RuntimeException cause) {
            super(cause.toString(), cause);
        }
    }

    public PredictionStream(String bootstrap, String groupId, LiveScoring scoring, PredictionStore store, ScoringStats stats) {
        this.scoring = scoring;
        this.store = store;
        this.stats = stats;
        this.groupId = groupId;
        this.consumer = CommittedConsumer.create(bootstrap, groupId, 2000, 50);
        this.producer = TransactionalProducer.create(bootstrap, groupId);
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

    /** The consumer group whose committed offsets say how far the stream has come. */
    public String groupId() {
        return groupId;
    }

    /** Session updates PostgreSQL refused (or that could not be read), sent to the rejected topic since start. */
    public long refused() {
        return refused.get();
    }

    @Override
    public void run() {
        long backoff = 200;
        boolean rewind = false;
        try {
            while (running) {
                try {
                    if (rewind) {
                        CommittedConsumer.rewind(consumer, consumer.assignment());
                        rewind = false;
                    }
                    ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(500));
                    if (records.isEmpty()) {
                        CommittedConsumer.commitIdlePositions(consumer, committed);
                        continue;
                    }
                    List<ConsumerRecord<String, byte[]>> all = new ArrayList<>(records.count());
                    records.forEach(all::add);
                    Bisection.write(all, this::process, PredictionStream::classify, this::deadLetter);
                    backoff = 200;
                    failingSince = null;
                    lastFailure = null;
                } catch (WakeupException e) {
                    throw e;
                } catch (Exception | AssertionError e) {
                    // (pgjdbc asserts when a connection is closed under a batch: a failure like any other)
                    if (!running) {
                        break;
                    }
                    if (failingSince == null) {
                        failingSince = Instant.now();
                    }
                    Throwable cause = e instanceof KafkaStepFailed ? e.getCause() : e;
                    lastFailure = cause.toString();
                    if (!abort()) {
                        fatal = "the prediction producer cannot continue: " + cause;
                        LOG.error("stopping the prediction stream: {}", fatal, cause);
                        return;
                    }
                    LOG.error("could not score a batch of session updates; retrying from the last commit in {} ms", backoff, cause);
                    rewind = true;
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

    static WriteFailure.Kind classify(Exception e) {
        return e instanceof KafkaStepFailed ? WriteFailure.Kind.RETRY : WriteFailure.classify(e);
    }

    /** Scores some session updates, writes the predictions, publishes them and commits past the updates. */
    private void process(List<ConsumerRecord<String, byte[]>> records) {
        LiveScoring.Batch batch = scoring.batch();
        List<SessionSummary> updates = new ArrayList<>(records.size());
        List<String> removals = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            if (r.value() == null) {
                updates.add(null);
                removals.add(r.key());
                continue;
            }
            // a record that cannot be read is refused like one PostgreSQL refuses: bisected and set aside
            updates.add(Topics.SESSIONS.valueSerde().deserializer().deserialize(r.topic(), r.value()));
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
        try {
            producer.beginTransaction();
            for (LiveScoring.Outgoing out : batch.outgoing()) {
                producer.send(new ProducerRecord<>(Topics.PREDICTIONS.name(), out.sessionId(),
                        Topics.PREDICTIONS.valueSerde().serializer().serialize(Topics.PREDICTIONS.name(), out.prediction())));
            }
            Map<TopicPartition, OffsetAndMetadata> offsets = nextOffsets(records);
            producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
            producer.commitTransaction();
            offsets.forEach((tp, o) -> committed.put(tp, o.offset()));
        } catch (RuntimeException e) {
            throw new KafkaStepFailed(e);
        }
        batch.commit();
        stats.batch(batch.publishedPredictions());
        failingSince = null;
    }

    /** A refused update to the rejected topic, and the offsets past it, in one transaction. */
    private void deadLetter(Bisection.Refused<ConsumerRecord<String, byte[]>> r) {
        ConsumerRecord<String, byte[]> record = r.item();
        String reason = WriteFailure.reason(r.failure());
        LOG.warn("refused session update {}-{}@{} (session {}); sending it to {}: {}", record.topic(), record.partition(),
                record.offset(), record.key(), Topics.EVENTS_REJECTED.name(), reason);
        try {
            producer.beginTransaction();
            producer.send(RejectedRecords.toProduce(RejectedEvent.STAGE_PREDICTION, record, reason));
            Map<TopicPartition, OffsetAndMetadata> offsets = nextOffsets(List.of(record));
            producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
            producer.commitTransaction();
            offsets.forEach((tp, o) -> committed.put(tp, o.offset()));
        } catch (RuntimeException e) {
            throw new KafkaStepFailed(e);
        }
        refused.incrementAndGet();
    }

    private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(List<ConsumerRecord<String, byte[]>> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            offsets.merge(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1),
                    (a, b) -> a.offset() >= b.offset() ? a : b);
        }
        return offsets;
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

    /** Why the last batch failed, while batches fail. */
    public String lastFailure() {
        return lastFailure;
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
