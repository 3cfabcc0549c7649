package io.funnelflow.service;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Liveness;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.reactivestreams.Publisher;

import java.util.Map;

/**
 * {@code /health} is DOWN while the Kafka cluster does not answer, so that a load balancer stops sending
 * traffic that could only be answered 503.
 */
@Singleton
@Requires(property = "funnelflow.kafka.bootstrap")
public class KafkaHealthIndicator implements HealthIndicator {

    private static final String NAME = "kafka";
    private final Admin admin;

    public KafkaHealthIndicator(@Value("${funnelflow.kafka.bootstrap}") String bootstrap) {
        this.admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.CLIENT_ID_CONFIG, "health",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000));
    }

    @Override
    public Publisher<HealthResult> getResult() {
        return Publishers.fromCompletableFuture(() -> admin.describeCluster(new DescribeClusterOptions().timeoutMs(3000))
                .nodes().toCompletionStage().toCompletableFuture()
                .handle((nodes, error) -> error == null
                        ? HealthResult.builder(NAME, HealthStatus.UP).details(Map.of("brokers", nodes.size())).build()
                        : HealthResult.builder(NAME, HealthStatus.DOWN).exception(error).build()));
    }

    @PreDestroy
    void close() {
        admin.close();
    }
}
