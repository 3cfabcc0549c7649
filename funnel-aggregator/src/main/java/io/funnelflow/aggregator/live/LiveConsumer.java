package io.funnelflow.aggregator.live;

import io.funnelflow.contract.prediction.Prediction;
import io.funnelflow.contract.session.SessionSummary;
import io.funnelflow.contract.topic.Topics;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Feeds the {@link LiveFeed} from {@code funnelflow.sessions} and {@code funnelflow.predictions}: a plain
 * read_committed consumer assigned every partition of both (each aggregator instance sees every record;
 * no consumer group, nothing committed).
 *
 * <p>It starts in the recent past, so that a restarted aggregator shows the sessions that were live
 * before it: each partition is read from its first record of the last {@code lookback} (but no more
 * than its newest {@code replayPerPartition} records) up to the end it had at start; the partitions are
 * merged in time order and applied as one {@link LiveFeed#replay replay}. From then on every record is
 * applied as it comes, each poll's records merged the same way.
 */
public final class LiveConsumer implements Runnable, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LiveConsumer.class);
    private static final List<String> TOPICS = List.of(Topics.SESSIONS.name(), Topics.PREDICTIONS.name());

    private final KafkaConsumer<String, byte[]> consumer;
    private final LiveFeed feed;
    private final Duration lookback;
    private final int replayPerPartition;
    private final Clock clock;
    private final Thread thread;
    private final Deserializer<SessionSummary> sessions = Topics.SESSIONS.valueSerde().deserializer();
    private final Deserializer<Prediction> predictions = Topics.PREDICTIONS.valueSerde().deserializer();
    private volatile boolean running = true;
    private volatile boolean ready;

    /**
     * @param lookback           how far back a start reaches for sessions that are still live
     * @param replayPerPartition at most this many of the newest records of each partition are replayed
     */
    public LiveConsumer(String bootstrap, String clientId, LiveFeed feed, Duration lookback, int replayPerPartition, Clock clock) {
        this.feed = feed;
        this.lookback = lookback;
        this.replayPerPartition = replayPerPartition;
        this.clock = clock;
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.CLIENT_ID_CONFIG, clientId,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest",
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100),
                new StringDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this, "live-feed");
        this.thread.setDaemon(true);
    }

    /** The live feed consumer's own metrics, for {@code /metrics}; close it with the consumer. */
    public KafkaClientMetrics meters() {
        return new KafkaClientMetrics(consumer);
    }

    public void start() {
        thread.start();
    }

    /** True once the recent past is in the feed and every record from here on will be. */
    public boolean isReady() {
        return ready && thread.isAlive();
    }

    @Override
    public void run() {
        try {
            while (running && !ready) {
                try {
                    Map<TopicPartition, Long> end = assignAll();
                    if (end != null) {
                        replayRecentPast(end);
                        ready = true;
                    }
                } catch (TimeoutException e) {
                    // nothing is applied before the replay is read whole: start it over
                    LOG.warn("Live feed: Kafka did not answer in time ({}); replaying again", e.getMessage());
                    sleep();
                }
            }
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(500));
                // one poll brings partition after partition: put them in time order, as the replay does
                inTimeOrder(records.partitions().stream().map(records::records).toList()).forEach(this::applySafely);
            }
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
        } finally {
            ready = false;
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** Assigns every partition of both topics (waiting for them to exist) and answers where each ends now. */
    private Map<TopicPartition, Long> assignAll() {
        while (running) {
            try {
                List<TopicPartition> partitions = new ArrayList<>();
                for (String topic : TOPICS) {
                    List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
                    infos.forEach(i -> partitions.add(new TopicPartition(i.topic(), i.partition())));
                }
                if (TOPICS.stream().allMatch(t -> partitions.stream().anyMatch(p -> p.topic().equals(t)))) {
                    consumer.assign(partitions);
                    return consumer.endOffsets(partitions);
                }
                LOG.info("Waiting for the topics {} to exist", TOPICS);
            } catch (TimeoutException e) {
                LOG.info("Waiting for Kafka: {}", e.getMessage());
            }
            sleep();
        }
        return null;
    }

    private void replayRecentPast(Map<TopicPartition, Long> end) {
        long since = clock.millis() - lookback.toMillis();
        Map<TopicPartition, OffsetAndTimestamp> byTime = consumer.offsetsForTimes(
                end.keySet().stream().collect(Collectors.toMap(Function.identity(), p -> since)));
        Map<TopicPartition, Long> beginning = consumer.beginningOffsets(end.keySet());
        Map<TopicPartition, Long> remaining = new HashMap<>();
        end.forEach((partition, endOffset) -> {
            OffsetAndTimestamp first = byTime.get(partition);
            long from = first == null ? endOffset
                    : Math.max(first.offset(), Math.max(beginning.get(partition), endOffset - replayPerPartition));
            consumer.seek(partition, from);
            if (from < endOffset) {
                remaining.put(partition, endOffset);
            }
        });

        Map<TopicPartition, List<ConsumerRecord<String, byte[]>>> past = new HashMap<>();
        while (running && !remaining.isEmpty()) {
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                past.computeIfAbsent(new TopicPartition(r.topic(), r.partition()), p -> new ArrayList<>()).add(r);
            }
            // read_committed: the end is the last stable offset, and positions pass over transaction markers
            remaining.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
        }
        List<ConsumerRecord<String, byte[]>> ordered = inTimeOrder(past.values());
        feed.replay(() -> ordered.forEach(this::applySafely));
        LOG.info("Live feed: replayed {} records of the last {}; sessions in the feed: {}", ordered.size(), lookback, feed.snapshot().size());
    }

    /**
     * Merges partitions by record time while keeping each partition in offset order: a session's records
     * share a partition, and its order there is the truth (a tombstone from a late event carries that
     * event's earlier time, yet comes after the summaries it ends).
     */
    static <K, V> List<ConsumerRecord<K, V>> inTimeOrder(Collection<List<ConsumerRecord<K, V>>> partitions) {
        record Head<K, V>(ConsumerRecord<K, V> record, Iterator<ConsumerRecord<K, V>> rest) {
        }
        PriorityQueue<Head<K, V>> heads = new PriorityQueue<>(Comparator.comparingLong(h -> h.record().timestamp()));
        int total = 0;
        for (List<ConsumerRecord<K, V>> records : partitions) {
            total += records.size();
            Iterator<ConsumerRecord<K, V>> it = records.iterator();
            if (it.hasNext()) {
                heads.add(new Head<>(it.next(), it));
            }
        }
        List<ConsumerRecord<K, V>> ordered = new ArrayList<>(total);
        while (!heads.isEmpty()) {
            Head<K, V> head = heads.poll();
            ordered.add(head.record());
            if (head.rest().hasNext()) {
                heads.add(new Head<>(head.rest().next(), head.rest()));
            }
        }
        return ordered;
    }

    private void applySafely(ConsumerRecord<String, byte[]> r) {
        try {
            if (r.topic().equals(Topics.SESSIONS.name())) {
                SessionSummary s = r.value() == null ? null : sessions.deserialize(r.topic(), r.value());
                feed.onSession(s != null ? s.sessionId() : r.key(), s);
            } else if (r.value() != null) {
                Prediction p = predictions.deserialize(r.topic(), r.value());
                feed.onPrediction(p.sessionId() != null ? p.sessionId() : r.key(), p);
            }
        } catch (RuntimeException e) {
            LOG.warn("Skipping an unreadable record at {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), e.toString());
        }
    }

    private void sleep() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(Duration.ofSeconds(10).toMillis());
    }
}
