package io.funnelflow.service.metrics;

import io.funnelflow.contract.topic.ConsumerLag;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code funnelflow_consumer_lag_records{group, topic}}: how many records of a topic a consumer group has not
 * committed yet, asked of the brokers every {@code every} on a thread of its own (a scrape never waits for
 * Kafka). NaN until the first answer, and while the brokers do not answer.
 */
public final class ConsumerLagMeters implements MeterBinder, AutoCloseable {

    public static final String NAME = "funnelflow.consumer.lag";
    private static final Logger LOG = LoggerFactory.getLogger(ConsumerLagMeters.class);

    private final Map<String, List<String>> topicsByGroup;
    private final Admin admin;
    private final ScheduledExecutorService poller;
    private final Map<String, Double> lag = new ConcurrentHashMap<>();
    private final Duration every;

    /** @param topicsByGroup each consumer group whose lag is measured, and the topics it reads */
    public ConsumerLagMeters(String bootstrap, Map<String, List<String>> topicsByGroup, Duration every) {
        this.topicsByGroup = new LinkedHashMap<>(topicsByGroup);
        this.every = every;
        this.admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.CLIENT_ID_CONFIG, "consumer-lag-meters",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000));
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "consumer-lag-meters");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        topicsByGroup.forEach((group, topics) -> topics.forEach(topic ->
                Gauge.builder(NAME, lag, l -> l.getOrDefault(key(group, topic), Double.NaN))
                        .description("records of the topic the consumer group has not committed yet")
                        .baseUnit("records")
                        .tags("group", group, "topic", topic)
                        .register(registry)));
        poller.scheduleWithFixedDelay(this::poll, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The group's lag over all its topics at the last answer; NaN before it. */
    public double total(String group) {
        List<String> topics = topicsByGroup.getOrDefault(group, List.of());
        double sum = 0;
        for (String topic : topics) {
            sum += lag.getOrDefault(key(group, topic), Double.NaN);
        }
        return topics.isEmpty() ? Double.NaN : sum;
    }

    void poll() {
        topicsByGroup.forEach((group, topics) -> {
            try {
                Map<String, Double> byTopic = new LinkedHashMap<>();
                topics.forEach(topic -> byTopic.put(topic, 0.0));
                for (Map.Entry<TopicPartition, Long> e : ConsumerLag.of(admin, group, topics).behind().entrySet()) {
                    byTopic.merge(e.getKey().topic(), (double) Math.max(0, e.getValue()), Double::sum);
                }
                byTopic.forEach((topic, records) -> lag.put(key(group, topic), records));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                LOG.debug("no consumer lag for {}: {}", group, e.toString());
                topics.forEach(topic -> lag.remove(key(group, topic)));
            }
        });
    }

    private static String key(String group, String topic) {
        return group + '\u0000' + topic;
    }

    @Override
    public void close() {
        poller.shutdownNow();
        admin.close(Duration.ofSeconds(2));
    }
}
