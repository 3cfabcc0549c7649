package io.funnelflow.service;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * A consumer of our own exactly-once output that commits only after its batch has been handled:
 * read_committed, no auto-commit, from the beginning for a new group. When handling a batch fails,
 * {@link #rewind} goes back to the last committed offsets so the batch is read again.
 */
public final class CommittedConsumer {

    private CommittedConsumer() {
    }

    public static KafkaConsumer<String, byte[]> create(String bootstrap, String groupId, int maxPollRecords, int fetchMaxWaitMs) {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, groupId,
                ConsumerConfig.CLIENT_ID_CONFIG, groupId,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, fetchMaxWaitMs),
                new StringDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * After a poll that brought nothing, commits the positions that moved since the last commit: a
     * read_committed consumer's position passes the transaction markers after the last records it
     * handled, and committing it leaves the group truly caught up (no lag of one marker per partition),
     * so that any lag means input waiting.
     *
     * @param committed the positions last committed, updated here
     */
    public static void commitIdlePositions(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> committed) {
        Map<TopicPartition, OffsetAndMetadata> moved = new java.util.HashMap<>();
        for (TopicPartition tp : consumer.assignment()) {
            long position = consumer.position(tp);
            Long last = committed.get(tp);
            if (last == null || position > last) {
                moved.put(tp, new OffsetAndMetadata(position));
            }
        }
        if (!moved.isEmpty()) {
            consumer.commitSync(moved);
            moved.forEach((tp, o) -> committed.put(tp, o.offset()));
        }
    }

    /** Seeks the partitions back to their committed offsets (the beginning where none is committed). */
    public static void rewind(KafkaConsumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(java.util.Set.copyOf(partitions));
        for (TopicPartition tp : partitions) {
            OffsetAndMetadata offset = committed.get(tp);
            if (offset != null) {
                consumer.seek(tp, offset.offset());
            } else {
                consumer.seekToBeginning(List.of(tp));
            }
        }
    }
}
