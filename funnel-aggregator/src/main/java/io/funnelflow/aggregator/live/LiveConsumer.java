package io.funnelflow.aggregator.live;

import io.funnelflow.contract.prediction.Prediction;
import io.funnelflow.contract.session.SessionSummary;
import io.funnelflow.contract.topic.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Feeds the {@link LiveFeed} from {@code funnelflow.sessions} and {@code funnelflow.predictions}: a plain
 * read_committed consumer in a group of its own (each aggregator instance sees every record), starting
 * at the end of the topics — the feed shows what happens from now on. Nothing is committed.
 */
public final class LiveConsumer implements Runnable, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LiveConsumer.class);

    private final KafkaConsumer<String, byte[]> consumer;
    private final LiveFeed feed;
    private final Thread thread;
    private final Deserializer<SessionSummary> sessions = Topics.SESSIONS.valueSerde().deserializer();
    private final Deserializer<Prediction> predictions = Topics.PREDICTIONS.valueSerde().deserializer();
    private volatile boolean running = true;
    private volatile boolean assigned;

    public LiveConsumer(String bootstrap, String groupPrefix, LiveFeed feed) {
        this.feed = feed;
        String group = groupPrefix + "-" + UUID.randomUUID();
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.CLIENT_ID_CONFIG, groupPrefix,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest",
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100),
                new StringDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this, "live-feed");
        this.thread.setDaemon(true);
    }

    public void start() {
        consumer.subscribe(List.of(Topics.SESSIONS.name(), Topics.PREDICTIONS.name()), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                assigned = false;
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                // resolve the end positions now, so that "ready" means: every record from here on is seen
                partitions.forEach(consumer::position);
                assigned = !consumer.assignment().isEmpty();
            }
        });
        thread.start();
    }

    /** True once the consumer holds its partitions and knows where it starts reading. */
    public boolean isReady() {
        return assigned && thread.isAlive();
    }

    @Override
    public void run() {
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    try {
                        apply(r);
                    } catch (RuntimeException e) {
                        LOG.warn("Skipping an unreadable record at {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), e.toString());
                    }
                }
            }
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
        } finally {
            assigned = false;
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void apply(ConsumerRecord<String, byte[]> r) {
        if (r.topic().equals(Topics.SESSIONS.name())) {
            SessionSummary s = r.value() == null ? null : sessions.deserialize(r.topic(), r.value());
            feed.onSession(s != null ? s.sessionId() : r.key(), s);
        } else if (r.value() != null) {
            Prediction p = predictions.deserialize(r.topic(), r.value());
            feed.onPrediction(p.sessionId() != null ? p.sessionId() : r.key(), p);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(Duration.ofSeconds(10).toMillis());
    }
}
