package io.funnelflow.service.health;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Watches one consumer group's {@link Progress} in the background: every few seconds, its committed
 * offsets and the last stable offsets of its input, read with Kafka's Admin API. The watched partitions
 * are every partition of {@code topics} and every partition the group has committed whose topic
 * {@code alsoCommitted} accepts (e.g. a Kafka Streams application's repartition topics).
 */
public final class GroupProgress implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GroupProgress.class);

    private final Admin admin;
    private final String group;
    private final List<String> topics;
    private final Predicate<String> alsoCommitted;
    private final Progress progress;
    private final Clock clock;
    private final Duration every;
    private final ScheduledExecutorService schedule;
    private volatile Progress.Status status = Progress.Status.UNKNOWN;

    public GroupProgress(String bootstrap, String group, List<String> topics, Predicate<String> alsoCommitted,
                         Duration stallAfter, Clock clock) {
        this.admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.CLIENT_ID_CONFIG, group + "-progress",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000));
        this.group = group;
        this.topics = List.copyOf(topics);
        this.alsoCommitted = alsoCommitted;
        this.progress = new Progress(stallAfter);
        this.clock = clock;
        // a few observations within the bound, never more than one a second nor fewer than one per 5 s
        this.every = Duration.ofMillis(Math.max(1000, Math.min(5000, stallAfter.toMillis() / 4)));
        this.schedule = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, group + "-progress");
            t.setDaemon(true);
            return t;
        });
    }

    public GroupProgress start() {
        schedule.scheduleWithFixedDelay(this::observe, 0, every.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** The latest observation. */
    public Progress.Status status() {
        return status;
    }

    public Duration stallAfter() {
        return progress.stallAfter();
    }

    public String group() {
        return group;
    }

    void observe() {
        try {
            Map<TopicPartition, OffsetAndMetadata> committedOffsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS);
            Set<TopicPartition> watched = new HashSet<>();
            Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames().get(5, TimeUnit.SECONDS);
            described.forEach((topic, d) -> d.partitions().forEach(p -> watched.add(new TopicPartition(topic, p.partition()))));
            committedOffsets.keySet().stream().filter(tp -> alsoCommitted.test(tp.topic())).forEach(watched::add);

            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
            for (TopicPartition tp : watched) {
                latest.put(tp, OffsetSpec.latest());
                OffsetAndMetadata c = committedOffsets.get(tp);
                if (c == null) {
                    earliest.put(tp, OffsetSpec.earliest());
                }
            }
            ListOffsetsOptions readCommitted = new ListOffsetsOptions(IsolationLevel.READ_COMMITTED);
            Map<TopicPartition, Long> end = offsets(admin.listOffsets(latest, readCommitted));
            Map<TopicPartition, Long> committed = new HashMap<>(offsets(admin.listOffsets(earliest, readCommitted)));
            committedOffsets.forEach((tp, c) -> {
                if (c != null && watched.contains(tp)) {
                    committed.put(tp, c.offset());
                }
            });
            status = progress.observe(committed, end, clock.instant());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // keep the last judgement (Kafka's own health says when the cluster is away), with the reason
            Progress.Status last = status;
            status = new Progress.Status(last.lag(), last.stalled(), last.waitingSince(), last.observedAt(), e.toString());
            LOG.debug("Could not read the progress of {}: {}", group, e.toString());
        }
    }

    private static Map<TopicPartition, Long> offsets(ListOffsetsResult result) throws Exception {
        Map<TopicPartition, Long> out = new HashMap<>();
        for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> e : result.all().get(5, TimeUnit.SECONDS).entrySet()) {
            out.put(e.getKey(), e.getValue().offset());
        }
        return out;
    }

    /** Health details: the lag, the stall and since when input has waited. */
    public Map<String, Object> details() {
        Progress.Status s = status;
        Map<String, Object> details = new HashMap<>();
        details.put("group", group);
        details.put("lag", s.lag());
        details.put("stalled_partitions", s.stalled());
        details.put("stall_after", stallAfter().toString());
        if (s.waitingSince() != null) {
            details.put("input_waiting_since", s.waitingSince().toString());
        }
        if (s.observedAt() != null) {
            details.put("observed_at", s.observedAt().toString());
        }
        if (s.error() != null) {
            details.put("observation_error", s.error());
        }
        return details;
    }

    @Override
    public void close() {
        schedule.shutdownNow();
        admin.close(Duration.ofSeconds(2));
    }
}
