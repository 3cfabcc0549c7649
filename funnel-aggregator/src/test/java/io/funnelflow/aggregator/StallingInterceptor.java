package io.funnelflow.aggregator;

import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Holds the stream thread that polls a record carrying {@link #MARKER} until {@link #release()}: what a
 * record that keeps a thread busy for ever does to the aggregation, whatever the topology or the
 * validators make of records. Set as the stream's main consumer interceptor
 * ({@code funnelflow.aggregator.streams.main.consumer.interceptor.classes}).
 */
public final class StallingInterceptor implements ConsumerInterceptor<byte[], byte[]> {

    static final String MARKER = "stall-the-stream-thread";
    private static volatile CountDownLatch held = new CountDownLatch(1);
    private static volatile boolean holding;

    static void release() {
        held.countDown();
    }

    static boolean holding() {
        return holding;
    }

    @Override
    public ConsumerRecords<byte[], byte[]> onConsume(ConsumerRecords<byte[], byte[]> records) {
        for (ConsumerRecord<byte[], byte[]> r : records) {
            if (r.value() != null && new String(r.value(), StandardCharsets.UTF_8).contains(MARKER)) {
                holding = true;
                try {
                    held.await(10, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    holding = false;
                }
            }
        }
        return records;
    }

    @Override
    public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {
    }

    @Override
    public void close() {
    }

    @Override
    public void configure(Map<String, ?> configs) {
    }
}
