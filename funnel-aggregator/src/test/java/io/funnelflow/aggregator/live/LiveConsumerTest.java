package io.funnelflow.aggregator.live;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class LiveConsumerTest {

    static ConsumerRecord<String, String> record(int partition, long offset, long timestamp, String key, String value) {
        return new ConsumerRecord<>("funnelflow.sessions", partition, offset, timestamp, TimestampType.CREATE_TIME, 0, 0,
                key, value, new RecordHeaders(), Optional.empty());
    }

    @Test
    void partitionsAreMergedByTimeButEachKeepsItsOwnOrder() {
        // partition 0: session a, then its tombstone, stamped with the earlier time of the late event that ended it
        List<ConsumerRecord<String, String>> p0 = List.of(
                record(0, 10, 1_000, "a", "a-1"),
                record(0, 11, 3_000, "a", "a-2"),
                record(0, 12, 1_500, "a", null));
        List<ConsumerRecord<String, String>> p1 = List.of(
                record(1, 5, 2_000, "b", "b-1"),
                record(1, 6, 4_000, "b", "b-2"));

        List<ConsumerRecord<String, String>> ordered = LiveConsumer.inTimeOrder(List.of(p0, p1));

        assertThat(ordered).extracting(r -> r.key() + "@" + r.offset())
                .containsExactly("a@10", "b@5", "a@11", "a@12", "b@6");
    }

    @Test
    void nothingToMergeIsNothing() {
        assertThat(LiveConsumer.inTimeOrder(List.<List<ConsumerRecord<String, String>>>of(List.of(), List.of()))).isEmpty();
    }
}
