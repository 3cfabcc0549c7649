package io.funnelflow.ingest.kafka;

import io.funnelflow.contract.event.EventValidator;
import io.funnelflow.contract.privacy.Suppression;
import io.funnelflow.contract.topic.Topics;
import io.funnelflow.ingest.auth.RateLimiter;
import io.funnelflow.ingest.auth.WriteKeys;
import io.funnelflow.ingest.privacy.SuppressionList;
import io.funnelflow.ingest.privacy.UrlPolicy;
import io.funnelflow.ingest.track.EventIntake;
import io.funnelflow.service.TopicFollower;
import io.funnelflow.service.event.MetadataSettings;
import io.funnelflow.service.limit.KeyedRateLimit;
import io.funnelflow.service.metrics.KafkaMeters;
import io.funnelflow.service.security.Credentials;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Wires the plain ingest classes. The producer is tuned for "a 2xx means Kafka has it": acks=all and
 * idempotence, and bounded waits so that an outage turns into a 503 within seconds, not a hang.
 */
@Factory
public class IngestBeans {

    private static final Logger LOG = LoggerFactory.getLogger(IngestBeans.class);

    @Singleton
    @Bean(preDestroy = "close")
    Producer<byte[], byte[]> producer(@Value("${funnelflow.kafka.bootstrap}") String bootstrap,
                                      @Value("${funnelflow.kafka.delivery-timeout:10s}") Duration deliveryTimeout,
                                      KafkaMeters meters) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "ingest-service");
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024);
        config.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 64L * 1024 * 1024);
        int requestTimeout = (int) Math.max(1000, deliveryTimeout.toMillis() / 2);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, requestTimeout);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) deliveryTimeout.toMillis());
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, requestTimeout);
        config.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
        // its own metrics (sends, errors, latency, buffer) at /metrics
        meters.bind(new KafkaClientMetrics(producer));
        return producer;
    }

    @Singleton
    EventIntake intake(Producer<byte[], byte[]> producer,
                       @Value("${funnelflow.ingest.future-tolerance:10m}") Duration futureTolerance,
                       @Value("${funnelflow.ingest.url-query-allowlist:}") String urlQueryAllowList,
                       MetadataSettings metadata, SuppressionList suppressions) {
        return new EventIntake(new EventValidator(futureTolerance, metadata.limits()), new UrlPolicy(urlQueryAllowList), suppressions,
                new KafkaEventSink(producer));
    }

    /** Erased people's later events are not published; {@code FUNNELFLOW_SUPPRESS_ERASED=false} turns that off. */
    @Singleton
    SuppressionList suppressions(@Value("${funnelflow.ingest.suppress-erased:true}") boolean enabled) {
        return enabled ? SuppressionList.on() : SuppressionList.off();
    }

    /**
     * Follows {@code funnelflow.suppressions} into the {@link SuppressionList}. Ingest starts once the
     * existing list is read, or after {@code load-timeout} without it (Kafka away: no event can be published
     * then anyway); the rest arrives when Kafka does.
     */
    @Context
    @Bean(preDestroy = "close")
    @Requires(property = "funnelflow.ingest.suppress-erased", notEquals = "false")
    TopicFollower<Suppression> suppressionFollower(SuppressionList suppressions,
                                                   @Value("${funnelflow.kafka.bootstrap}") String bootstrap,
                                                   @Value("${funnelflow.security.credentials.load-timeout:15s}") Duration timeout)
            throws InterruptedException {
        TopicFollower<Suppression> follower = new TopicFollower<>(Topics.SUPPRESSIONS, suppressions::apply, bootstrap,
                "suppressions-follower");
        follower.start();
        if (!follower.awaitLoaded(timeout)) {
            LOG.warn("The suppression list could not be read from {} within {} s; events are judged by what arrives of it",
                    bootstrap, timeout.toSeconds());
        }
        return follower;
    }

    @Singleton
    WriteKeys writeKeys(@Value("${funnelflow.ingest.write-keys:}") String keys, Credentials credentials) {
        return new WriteKeys(keys, key -> credentials.writeKey(key).isPresent());
    }

    /** Per client address, for the write keys (public: anyone who reads a page has them). */
    @Singleton
    @Named("per-address")
    KeyedRateLimit perAddressRateLimit(@Value("${funnelflow.ingest.rate-limit.per-address.events-per-second:1000}") long eventsPerSecond,
                                       @Value("${funnelflow.ingest.rate-limit.per-address.burst:2000}") long burst,
                                       @Value("${funnelflow.ingest.rate-limit.per-address.max-addresses:100000}") long maxAddresses) {
        return new KeyedRateLimit(eventsPerSecond, burst, Duration.ofSeconds(1), maxAddresses);
    }

    @Singleton
    RateLimiter rateLimiter(@Value("${funnelflow.ingest.rate-limit.events-per-second:20000}") long eventsPerSecond,
                            @Value("${funnelflow.ingest.rate-limit.burst:40000}") long burst) {
        return new RateLimiter(eventsPerSecond, burst);
    }
}
