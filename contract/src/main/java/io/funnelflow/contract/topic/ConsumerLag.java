package io.funnelflow.contract.topic;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** How far a consumer group is behind the end of some topics, partition by partition. */
public record ConsumerLag(Map<TopicPartition, Long> behind) {

    public static ConsumerLag of(Admin admin, String group, List<String> topics)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetSpec> ask = new HashMap<>();
        admin.describeTopics(topics).allTopicNames().get(10, TimeUnit.SECONDS).forEach((topic, description) ->
                description.partitions().forEach(p -> ask.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest())));
        Map<TopicPartition, Long> behind = new HashMap<>();
        admin.listOffsets(ask).all().get(10, TimeUnit.SECONDS).forEach((tp, end) -> {
            OffsetAndMetadata c = committed.get(tp);
            behind.put(tp, end.offset() - (c == null ? 0 : c.offset()));
        });
        return new ConsumerLag(Map.copyOf(behind));
    }

    /** Records not yet committed, in all. */
    public long total() {
        return behind.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * Whether the group has consumed everything: a transactional producer leaves a commit marker after
     * its last record, which no consumer ever commits past, so one offset short counts as caught up.
     */
    public boolean caughtUp() {
        return behind.values().stream().allMatch(b -> b <= 1);
    }

    /** Waits until {@code group} has caught up on {@code topics}. */
    public static void await(Admin admin, String group, List<String> topics, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (of(admin, group, topics).caughtUp()) {
                    return;
                }
            } catch (ExecutionException notYet) {
                // the group may not exist yet
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        throw new TimeoutException(group + " did not catch up on " + topics + " within " + timeout.toSeconds() + " s");
    }
}
