package io.funnelflow.aggregator.store;

import io.funnelflow.aggregator.aggregate.AggregateKey;
import io.funnelflow.contract.event.RejectedEvent;
import io.funnelflow.contract.event.TrackedEvent;
import io.funnelflow.contract.session.SessionSummary;
import io.funnelflow.contract.session.SessionTimeline;
import io.funnelflow.contract.topic.Topics;
import io.funnelflow.service.CommittedConsumer;
import io.funnelflow.service.TransactionalProducer;
import io.funnelflow.service.store.Bisection;
import io.funnelflow.service.store.RejectedRecords;
import io.funnelflow.service.store.WriteFailure;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Carries the aggregator's committed output into PostgreSQL: a read_committed consumer of the unique
 * events, sessions, minute counts and late events; each poll is written in one transaction and only
 * then are the offsets committed. A crash between the two replays the poll, which the keyed writes
 * absorb.
 *
 * <p>When PostgreSQL refuses what a poll holds (a value it cannot store, a constraint: see
 * {@link WriteFailure}), the poll is bisected in offset order until the refused records stand alone; the
 * rest is written, and the refused records go to {@code funnelflow.events.rejected} with PostgreSQL's
 * reason and their place in Kafka, in one Kafka transaction with the poll's offsets. Any other failure
 * (PostgreSQL or Kafka away, a pool timeout) sets nothing aside: the poll is read again from the
 * committed offsets, with backoff, until it goes through.
 */
public final class PostgresSink implements Runnable, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresSink.class);
    public static final List<String> TOPICS = List.of(Topics.UNIQUE_EVENTS.name(), Topics.SESSIONS.name(),
            Topics.AGGREGATES.name(), Topics.SESSION_TIMELINES.name(), Topics.LATE_EVENTS.name());
    private static final long FIRST_BACKOFF_MS = 500;
    private static final long MAX_BACKOFF_MS = 30_000;

    private final long maxBackoffMs;
    private final String bootstrap;
    private final String groupId;
    private final KafkaConsumer<String, byte[]> consumer;
    private final SinkWriter writer;
    private final AtomicReference<Instant> lastWrite = new AtomicReference<>();
    private final AtomicLong refused = new AtomicLong();
    private final Consumer<SinkBatch> afterWrite;
    private final CountDownLatch stopping = new CountDownLatch(1);
    private volatile boolean running = true;
    private volatile Instant failingSince;
    private volatile String lastFailure;
    private KafkaProducer<String, byte[]> deadLetters;
    // what this sink last committed per partition (its thread only)
    private final Map<TopicPartition, Long> committed = new HashMap<>();
    private final Thread thread;

    /**
     * @param afterWrite told of each batch after it has been committed to PostgreSQL (on the sink's thread)
     */
    public PostgresSink(String bootstrap, String groupId, SinkWriter writer, Consumer<SinkBatch> afterWrite) {
        this(bootstrap, groupId, writer, afterWrite, Duration.ofMillis(MAX_BACKOFF_MS));
    }

    /**
     * @param maxBackoff the longest wait between two attempts at a failing batch
     */
    public PostgresSink(String bootstrap, String groupId, SinkWriter writer, Consumer<SinkBatch> afterWrite, Duration maxBackoff) {
        this.maxBackoffMs = Math.max(FIRST_BACKOFF_MS, maxBackoff.toMillis());
        this.bootstrap = bootstrap;
        this.groupId = groupId;
        this.writer = writer;
        this.afterWrite = afterWrite;
        this.consumer = CommittedConsumer.create(bootstrap, groupId, 5000, 100);
        this.thread = new Thread(this, "postgres-sink");
    }

    public void start() {
        consumer.subscribe(TOPICS);
        thread.start();
    }

    /** When the last batch reached PostgreSQL, or null before the first. */
    public Instant lastWrite() {
        return lastWrite.get();
    }

    /** Since when batches have been failing and are retried (null while they go through). */
    public Instant failingSince() {
        return failingSince;
    }

    /** Why the last batch failed, while batches fail. */
    public String lastFailure() {
        return lastFailure;
    }

    /** Records PostgreSQL refused, sent to the rejected topic since start. */
    public long refused() {
        return refused.get();
    }

    /** The consumer group whose committed offsets say how far the sink has come. */
    public String groupId() {
        return groupId;
    }

    public boolean isRunning() {
        return thread.isAlive();
    }

    /** The sink consumer's own metrics (fetch rate, lag, commit latency), for {@code /metrics}; close it with the sink. */
    public KafkaClientMetrics meters() {
        return new KafkaClientMetrics(consumer);
    }

    @Override
    public void run() {
        long backoff = FIRST_BACKOFF_MS;
        boolean rewind = false;
        try {
            while (running) {
                try {
                    if (rewind) {
                        // never read on past a batch that did not go through
                        CommittedConsumer.rewind(consumer, consumer.assignment());
                        rewind = false;
                    }
                    ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(500));
                    if (records.isEmpty()) {
                        CommittedConsumer.commitIdlePositions(consumer, committed);
                        continue;
                    }
                    store(records);
                    backoff = FIRST_BACKOFF_MS;
                    failingSince = null;
                    lastFailure = null;
                } catch (WakeupException e) {
                    throw e;
                } catch (Exception | AssertionError e) {
                    // (pgjdbc asserts when a connection is closed under a batch, which fails the attempt when
                    // assertions are enabled: a failure like any other, never the end of the sink)
                    if (!running) {
                        break;
                    }
                    if (failingSince == null) {
                        failingSince = Instant.now();
                    }
                    lastFailure = e.toString();
                    LOG.error("Writing to PostgreSQL failed; retrying from the last commit in {} ms: {}", backoff, e.toString());
                    rewind = true;
                    if (stopping.await(backoff, TimeUnit.MILLISECONDS)) {
                        break;
                    }
                    backoff = Math.min(backoff * 2, maxBackoffMs);
                }
            }
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            consumer.close(Duration.ofSeconds(5));
            if (deadLetters != null) {
                deadLetters.close(Duration.ofSeconds(5));
            }
        }
    }

    /** Writes a poll (bisected if PostgreSQL refuses part of it), dead-letters what it refused, then commits. */
    private void store(ConsumerRecords<String, byte[]> records) throws Exception {
        List<ConsumerRecord<String, byte[]>> all = new ArrayList<>(records.count());
        records.forEach(all::add);
        // what went into PostgreSQL, told to afterWrite once its offsets are committed too
        List<SinkBatch> written = new ArrayList<>();
        List<Bisection.Refused<ConsumerRecord<String, byte[]>>> refusedRecords = Bisection.write(all, part -> {
            SinkBatch batch = batchOf(part);
            writer.write(batch);
            written.add(batch);
        });
        if (refusedRecords.isEmpty()) {
            Map<TopicPartition, OffsetAndMetadata> positions = new HashMap<>();
            for (TopicPartition tp : consumer.assignment()) {
                positions.put(tp, new OffsetAndMetadata(consumer.position(tp)));
            }
            consumer.commitSync(positions);
            positions.forEach((tp, o) -> committed.put(tp, o.offset()));
        } else {
            deadLetter(refusedRecords, records);
        }
        lastWrite.set(Instant.now());
        written.forEach(afterWrite);
    }

    /** The refused records to the rejected topic and the poll's offsets, in one Kafka transaction. */
    private void deadLetter(List<Bisection.Refused<ConsumerRecord<String, byte[]>>> refusedRecords,
                            ConsumerRecords<String, byte[]> records) {
        if (deadLetters == null) {
            KafkaProducer<String, byte[]> producer = TransactionalProducer.create(bootstrap, groupId);
            try {
                producer.initTransactions();
            } catch (KafkaException e) {
                producer.close(Duration.ZERO);
                throw e;
            }
            deadLetters = producer;
        }
        try {
            deadLetters.beginTransaction();
            for (Bisection.Refused<ConsumerRecord<String, byte[]>> r : refusedRecords) {
                ConsumerRecord<String, byte[]> record = r.item();
                String reason = WriteFailure.reason(r.failure());
                LOG.warn("PostgreSQL refused {}-{}@{} (key {}); sending it to {}: {}", record.topic(), record.partition(),
                        record.offset(), record.key(), Topics.EVENTS_REJECTED.name(), reason);
                deadLetters.send(RejectedRecords.toProduce(RejectedEvent.STAGE_POSTGRES_SINK, record, reason));
            }
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            for (TopicPartition tp : records.partitions()) {
                List<ConsumerRecord<String, byte[]>> part = records.records(tp);
                offsets.put(tp, new OffsetAndMetadata(part.get(part.size() - 1).offset() + 1));
            }
            deadLetters.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
            deadLetters.commitTransaction();
            offsets.forEach((tp, o) -> committed.put(tp, o.offset()));
            refused.addAndGet(refusedRecords.size());
        } catch (KafkaException e) {
            try {
                deadLetters.abortTransaction();
            } catch (KafkaException | IllegalStateException fatal) {
                deadLetters.close(Duration.ZERO);
                deadLetters = null;
            }
            throw e;
        }
    }

    static SinkBatch batchOf(Iterable<ConsumerRecord<String, byte[]>> records) {
        SinkBatch batch = new SinkBatch();
        for (ConsumerRecord<String, byte[]> r : records) {
            String topic = r.topic();
            if (topic.equals(Topics.UNIQUE_EVENTS.name())) {
                batch.event(read(Topics.UNIQUE_EVENTS.valueSerde().deserializer(), topic, r.value()));
            } else if (topic.equals(Topics.SESSIONS.name())) {
                SessionSummary s = r.value() == null ? null : Topics.SESSIONS.valueSerde().deserializer().deserialize(topic, r.value());
                batch.session(r.key(), s);
            } else if (topic.equals(Topics.AGGREGATES.name())) {
                batch.aggregate(AggregateKey.parse(r.key()), r.value());
            } else if (topic.equals(Topics.SESSION_TIMELINES.name())) {
                SessionTimeline t = r.value() == null ? null : Topics.SESSION_TIMELINES.valueSerde().deserializer().deserialize(topic, r.value());
                batch.timeline(r.key(), t);
            } else if (topic.equals(Topics.LATE_EVENTS.name())) {
                batch.late(Topics.LATE_EVENTS.valueSerde().deserializer().deserialize(topic, r.value()));
            }
        }
        return batch;
    }

    private static TrackedEvent read(org.apache.kafka.common.serialization.Deserializer<TrackedEvent> d, String topic, byte[] value) {
        return d.deserialize(topic, value);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        stopping.countDown();
        consumer.wakeup();
        thread.join(Duration.ofSeconds(15).toMillis());
    }
}
