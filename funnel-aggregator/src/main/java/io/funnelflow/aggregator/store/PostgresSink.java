package io.funnelflow.aggregator.store;

import io.funnelflow.aggregator.aggregate.AggregateKey;
import io.funnelflow.contract.event.TrackedEvent;
import io.funnelflow.contract.session.SessionSummary;
import io.funnelflow.contract.session.SessionTimeline;
import io.funnelflow.contract.topic.Topics;
import io.funnelflow.service.CommittedConsumer;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Carries the aggregator's committed output into PostgreSQL: a read_committed consumer of the unique
 * events, sessions, minute counts and late events; each poll is written in one transaction and only
 * then are the offsets committed. A crash between the two replays the poll, which the keyed writes
 * absorb. A failed write is retried from the last committed offsets, with backoff.
 */
public final class PostgresSink implements Runnable, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresSink.class);
    public static final List<String> TOPICS = List.of(Topics.UNIQUE_EVENTS.name(), Topics.SESSIONS.name(),
            Topics.AGGREGATES.name(), Topics.SESSION_TIMELINES.name(), Topics.LATE_EVENTS.name());

    private final KafkaConsumer<String, byte[]> consumer;
    private final SinkWriter writer;
    private final AtomicReference<Instant> lastWrite = new AtomicReference<>();
    private final Consumer<SinkBatch> afterWrite;
    private volatile boolean running = true;
    private final Thread thread;

    /**
     * @param afterWrite told of each batch after it has been committed to PostgreSQL (on the sink's thread)
     */
    public PostgresSink(String bootstrap, String groupId, SinkWriter writer, Consumer<SinkBatch> afterWrite) {
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

    public boolean isRunning() {
        return thread.isAlive();
    }

    /** The sink consumer's own metrics (fetch rate, lag, commit latency), for {@code /metrics}; close it with the sink. */
    public KafkaClientMetrics meters() {
        return new KafkaClientMetrics(consumer);
    }

    @Override
    public void run() {
        long backoff = 500;
        try {
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(500));
                if (records.isEmpty()) {
                    continue;
                }
                try {
                    SinkBatch batch = batchOf(records);
                    writer.write(batch);
                    consumer.commitSync();
                    lastWrite.set(Instant.now());
                    backoff = 500;
                    afterWrite.accept(batch);
                } catch (Exception e) {
                    LOG.error("Writing {} records to PostgreSQL failed; retrying in {} ms: {}", records.count(), backoff, e.toString());
                    Thread.sleep(backoff);
                    backoff = Math.min(backoff * 2, 30_000);
                    CommittedConsumer.rewind(consumer, consumer.assignment());
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
        }
    }

    static SinkBatch batchOf(ConsumerRecords<String, byte[]> records) {
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
        consumer.wakeup();
        thread.join(Duration.ofSeconds(15).toMillis());
    }
}
