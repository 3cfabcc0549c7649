package io.funnelflow.service;

import io.funnelflow.contract.topic.Topic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Reads a small compacted topic from its beginning into memory and then follows it, so that a change made
 * anywhere is known here within a poll (well under a second): the credentials every service checks, the
 * suppression list ingest applies. Every instance of every service reads the whole topic (no consumer
 * group): the set is small and each instance needs all of it. While Kafka is away the last known state
 * keeps working.
 */
public final class TopicFollower<V> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TopicFollower.class);
    private static final Duration POLL = Duration.ofMillis(250);

    private final Topic<String, V> topic;
    private final BiConsumer<String, V> apply;
    private final String bootstrap;
    private final String clientId;
    private final CountDownLatch loaded = new CountDownLatch(1);
    private final CountDownLatch closing = new CountDownLatch(1);
    private final Thread thread;
    private volatile KafkaConsumer<String, V> consumer;
    private volatile boolean running = true;

    /**
     * @param apply    takes each record: key and value, or {@code null} for a tombstone
     * @param clientId names the consumer and its thread
     */
    public TopicFollower(Topic<String, V> topic, BiConsumer<String, V> apply, String bootstrap, String clientId) {
        this.topic = topic;
        this.apply = apply;
        this.bootstrap = bootstrap;
        this.clientId = clientId;
        this.thread = new Thread(this::run, clientId);
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** Waits until every record that existed at start has been read; false when that took longer than {@code timeout}. */
    public boolean awaitLoaded(Duration timeout) throws InterruptedException {
        return loaded.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean isLoaded() {
        return loaded.getCount() == 0;
    }

    private void run() {
        while (running) {
            try (KafkaConsumer<String, V> c = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ConsumerConfig.CLIENT_ID_CONFIG, clientId,
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                    ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000,
                    ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000),
                    topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
                consumer = c;
                follow(c);
            } catch (WakeupException e) {
                // closing
            } catch (RuntimeException e) {
                if (running) {
                    LOG.warn("Reading {} failed ({}); what is known of it so far stays in force, retrying", topic, e.toString());
                    pause();
                }
            } finally {
                consumer = null;
            }
        }
    }

    private void follow(KafkaConsumer<String, V> c) {
        List<PartitionInfo> infos = c.partitionsFor(topic.name(), Duration.ofSeconds(5));
        if (infos == null || infos.isEmpty()) {
            LOG.warn("Topic {} does not exist yet; it holds nothing until it does", topic);
            loaded.countDown();
            pause();
            return;
        }
        List<TopicPartition> partitions = infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        c.assign(partitions);
        c.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = c.endOffsets(partitions);
        while (running) {
            for (ConsumerRecord<String, V> r : c.poll(POLL)) {
                apply.accept(r.key(), r.value());
            }
            if (loaded.getCount() > 0 && end.entrySet().stream().allMatch(e -> c.position(e.getKey()) >= e.getValue())) {
                loaded.countDown();
            }
        }
    }

    private void pause() {
        try {
            closing.await(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void close() {
        running = false;
        closing.countDown();
        KafkaConsumer<String, V> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
