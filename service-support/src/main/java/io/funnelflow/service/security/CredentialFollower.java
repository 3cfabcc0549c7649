package io.funnelflow.service.security;

import io.funnelflow.contract.credential.Credential;
import io.funnelflow.contract.topic.Topics;
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

/**
 * Reads {@code funnelflow.credentials} from its beginning into {@link Credentials} and then follows it,
 * so that a token created or revoked anywhere is known here within a poll (well under a second). Every
 * instance of every service reads the whole topic (no consumer group): the set is small and each
 * instance needs all of it. While Kafka is away the last known set keeps working.
 */
public final class CredentialFollower implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CredentialFollower.class);
    private static final Duration POLL = Duration.ofMillis(250);

    private final Credentials credentials;
    private final String bootstrap;
    private final CountDownLatch loaded = new CountDownLatch(1);
    private final CountDownLatch closing = new CountDownLatch(1);
    private final Thread thread;
    private volatile KafkaConsumer<String, Credential> consumer;
    private volatile boolean running = true;

    public CredentialFollower(Credentials credentials, String bootstrap) {
        this.credentials = credentials;
        this.bootstrap = bootstrap;
        this.thread = new Thread(this::run, "credentials-follower");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** Waits until every credential that existed at start has been read; false when that took longer than {@code timeout}. */
    public boolean awaitLoaded(Duration timeout) throws InterruptedException {
        return loaded.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean isLoaded() {
        return loaded.getCount() == 0;
    }

    private void run() {
        while (running) {
            try (KafkaConsumer<String, Credential> c = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ConsumerConfig.CLIENT_ID_CONFIG, "credentials-follower",
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                    ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000,
                    ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000),
                    Topics.CREDENTIALS.keySerde().deserializer(), Topics.CREDENTIALS.valueSerde().deserializer())) {
                consumer = c;
                follow(c);
            } catch (WakeupException e) {
                // closing
            } catch (RuntimeException e) {
                if (running) {
                    LOG.warn("Reading {} failed ({}); the credentials known so far stay valid, retrying", Topics.CREDENTIALS, e.toString());
                    pause();
                }
            } finally {
                consumer = null;
            }
        }
    }

    private void follow(KafkaConsumer<String, Credential> c) {
        List<PartitionInfo> infos = c.partitionsFor(Topics.CREDENTIALS.name(), Duration.ofSeconds(5));
        if (infos == null || infos.isEmpty()) {
            LOG.warn("Topic {} does not exist yet; only the credentials of the environment are valid", Topics.CREDENTIALS);
            loaded.countDown();
            pause();
            return;
        }
        List<TopicPartition> partitions = infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        c.assign(partitions);
        c.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = c.endOffsets(partitions);
        while (running) {
            for (ConsumerRecord<String, Credential> r : c.poll(POLL)) {
                credentials.apply(r.key(), r.value());
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
        KafkaConsumer<String, Credential> c = consumer;
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
