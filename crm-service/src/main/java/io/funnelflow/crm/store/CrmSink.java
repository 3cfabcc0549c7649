package io.funnelflow.crm.store;

import io.funnelflow.contract.topic.Topics;
import io.funnelflow.service.CommittedConsumer;
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

/**
 * Carries the lifecycle's committed output into PostgreSQL: a read_committed consumer of the transitions,
 * leads and override log; each poll is written in one transaction and only then are the offsets committed.
 * A crash between the two replays the poll, which the keyed writes absorb; a failed write is retried from
 * the last committed offsets, with backoff.
 */
public final class CrmSink implements Runnable, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CrmSink.class);
    static final List<String> TOPICS = List.of(Topics.LEAD_TRANSITIONS.name(), Topics.CRM_LEADS.name(), Topics.CRM_OVERRIDES.name());

    private final KafkaConsumer<String, byte[]> consumer;
    private final CrmWriter writer;
    private final AtomicReference<Instant> lastWrite = new AtomicReference<>();
    private volatile boolean running = true;
    private final Thread thread;

    public CrmSink(String bootstrap, String groupId, CrmWriter writer) {
        this.writer = writer;
        this.consumer = CommittedConsumer.create(bootstrap, groupId, 5000, 100);
        this.thread = new Thread(this, "crm-postgres-sink");
    }

    public void start() {
        consumer.subscribe(TOPICS);
        thread.start();
    }

    public Instant lastWrite() {
        return lastWrite.get();
    }

    public boolean isRunning() {
        return thread.isAlive();
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
                    writer.write(batchOf(records));
                    consumer.commitSync();
                    lastWrite.set(Instant.now());
                    backoff = 500;
                } catch (Exception e) {
                    LOG.error("Writing {} lead records to PostgreSQL failed; retrying in {} ms: {}", records.count(), backoff, e.toString());
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

    static CrmBatch batchOf(Iterable<ConsumerRecord<String, byte[]>> records) {
        CrmBatch batch = new CrmBatch();
        for (ConsumerRecord<String, byte[]> r : records) {
            String topic = r.topic();
            if (topic.equals(Topics.LEAD_TRANSITIONS.name())) {
                batch.transition(r.key(), Topics.LEAD_TRANSITIONS.valueSerde().deserializer().deserialize(topic, r.value()));
            } else if (topic.equals(Topics.CRM_LEADS.name())) {
                batch.lead(r.key(), Topics.CRM_LEADS.valueSerde().deserializer().deserialize(topic, r.value()));
            } else if (topic.equals(Topics.CRM_OVERRIDES.name()) && r.value() != null) {
                batch.override(Topics.CRM_OVERRIDES.valueSerde().deserializer().deserialize(topic, r.value()));
            }
        }
        return batch;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(Duration.ofSeconds(15).toMillis());
    }
}
