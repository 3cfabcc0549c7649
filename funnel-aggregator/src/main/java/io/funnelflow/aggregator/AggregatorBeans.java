package io.funnelflow.aggregator;

import io.funnelflow.aggregator.downstream.Downstream;
import io.funnelflow.aggregator.live.LiveConsumer;
import io.funnelflow.aggregator.live.LiveFeed;
import io.funnelflow.aggregator.live.LiveStream;
import io.funnelflow.aggregator.query.AnalyticsQuery;
import io.funnelflow.aggregator.query.FunnelHistory;
import io.funnelflow.aggregator.query.FunnelQuery;
import io.funnelflow.aggregator.query.FunnelStore;
import io.funnelflow.aggregator.query.SessionQuery;
import io.funnelflow.aggregator.store.Freshness;
import io.funnelflow.aggregator.store.PostgresSink;
import io.funnelflow.aggregator.store.SinkWriter;
import io.funnelflow.aggregator.stream.StreamSettings;
import io.funnelflow.aggregator.stream.StreamsLifecycle;
import io.funnelflow.contract.topic.Topics;
import io.funnelflow.service.event.MetadataSettings;
import io.funnelflow.service.health.GroupProgress;
import io.funnelflow.service.metrics.ConsumerLagMeters;
import io.funnelflow.service.metrics.KafkaMeters;
import io.funnelflow.service.security.ServiceToken;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Property;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.convert.format.MapFormat;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Wires the plain aggregator classes: the stream and the PostgreSQL sink start with the application
 * (the schema is migrated by Flyway before) and stop with it.
 */
@Factory
public class AggregatorBeans {

    @Singleton
    StreamSettings settings(@Value("${funnelflow.aggregator.inactivity-gap:30m}") Duration gap,
                            @Value("${funnelflow.aggregator.dedupe-horizon:24h}") Duration dedupe,
                            @Value("${funnelflow.aggregator.late-after:10m}") Duration lateAfter,
                            @Value("${funnelflow.aggregator.idle-retention:7d}") Duration idle,
                            @Value("${funnelflow.aggregator.flush-interval:250ms}") Duration flush,
                            @Value("${funnelflow.aggregator.timeline-delay:5s}") Duration timelineDelay,
                            @Value("${funnelflow.aggregator.max-events-per-key:2000}") int maxEvents,
                            @Value("${funnelflow.aggregator.max-sessions-per-key:200}") int maxSessions,
                            @Value("${funnelflow.aggregator.bucket-horizon:3d}") Duration bucketHorizon,
                            @Value("${funnelflow.aggregator.sweep-batch:500}") int sweepBatch,
                            MetadataSettings metadata) {
        return new StreamSettings(gap, dedupe, lateAfter, idle, flush, timelineDelay, maxEvents, maxSessions, bucketHorizon,
                sweepBatch, metadata.limits());
    }

    /** Tells the stream of saved funnels (acks=all, idempotent). */
    @Singleton
    @Bean(preDestroy = "close")
    @Named("funnels")
    Producer<String, byte[]> funnelProducer(@Value("${funnelflow.kafka.bootstrap}") String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    @Singleton
    @Bean(preDestroy = "close")
    @Named("aggregator")
    Admin admin(@Value("${funnelflow.kafka.bootstrap}") String bootstrap) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000));
    }

    @Singleton
    FunnelStore funnelStore(DataSource dataSource, @Named("query") DataSource queries,
                            @Named("funnels") Producer<String, byte[]> producer,
                            @Value("${funnelflow.aggregator.max-funnels:20}") int maxFunnels) {
        return new FunnelStore(dataSource, queries, producer, maxFunnels);
    }

    /** Counts saved funnels' history beside the stream, every few seconds while one is incomplete. */
    @Context
    @Bean(preDestroy = "shutdownNow")
    ScheduledExecutorService funnelHistoryRunner(FunnelHistory history, FunnelStore store) {
        ScheduledExecutorService runner = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "funnel-history");
            t.setDaemon(true);
            return t;
        });
        runner.execute(() -> {
            try {
                store.publishActive();
            } catch (Exception e) {
                LoggerFactory.getLogger(AggregatorBeans.class).warn("Could not publish the saved funnels to the stream yet: {}", e.toString());
            }
        });
        runner.scheduleWithFixedDelay(history, 2, 5, TimeUnit.SECONDS);
        return runner;
    }

    @Singleton
    FunnelHistory funnelHistory(DataSource dataSource, @Named("query") DataSource queries, FunnelStore store,
                                @Named("aggregator") Admin admin,
                                @Value("${funnelflow.aggregator.application-id:funnelflow-aggregator}") String applicationId) {
        return new FunnelHistory(dataSource, queries, store, admin, sinkGroup(applicationId));
    }

    @Context
    @Bean(preDestroy = "close")
    StreamsLifecycle streams(StreamSettings settings,
                             @Value("${funnelflow.kafka.bootstrap}") String bootstrap,
                             @Value("${funnelflow.aggregator.application-id:funnelflow-aggregator}") String applicationId,
                             @Value("${funnelflow.aggregator.state-dir:}") String stateDir,
                             @Value("${funnelflow.data-dir:}") String dataDir,
                             @Value("${funnelflow.aggregator.stream-threads:1}") int threads,
                             @Property(name = "funnelflow.aggregator.streams") @MapFormat(transformation = MapFormat.MapTransformation.FLAT)
                             @Nullable Map<String, Object> overrides, KafkaMeters meters) {
        Path state = !stateDir.isBlank() ? Path.of(stateDir)
                : Path.of(dataDir.isBlank() ? System.getProperty("java.io.tmpdir") + "/funnelflow" : dataDir, "aggregator-state");
        StreamsLifecycle streams = new StreamsLifecycle(bootstrap, applicationId, state, settings, threads,
                overrides == null ? Map.of() : overrides);
        meters.bind(streams.meters());
        streams.start();
        return streams;
    }

    /** How far the stream has come on its input: committed offsets against what is waiting. */
    @Singleton
    @Named("streams")
    @Bean(preDestroy = "close")
    GroupProgress streamsProgress(StreamsLifecycle streams, @Value("${funnelflow.kafka.bootstrap}") String bootstrap,
                                  @Value("${funnelflow.aggregator.health.stall-after:60s}") Duration stallAfter) {
        return new GroupProgress(bootstrap, streams.applicationId(), List.of(Topics.EVENTS.name()), streams::isRepartitionTopic,
                stallAfter, Clock.systemUTC()).start();
    }

    /** How far the PostgreSQL sink has come on the stream's output. */
    @Singleton
    @Named("sink")
    @Bean(preDestroy = "close")
    GroupProgress sinkProgress(PostgresSink sink, @Value("${funnelflow.kafka.bootstrap}") String bootstrap,
                               @Value("${funnelflow.aggregator.health.stall-after:60s}") Duration stallAfter) {
        return new GroupProgress(bootstrap, sink.groupId(), PostgresSink.TOPICS, topic -> false, stallAfter, Clock.systemUTC()).start();
    }

    @Context
    @Bean(preDestroy = "close")
    PostgresSink sink(DataSource dataSource, @Value("${funnelflow.kafka.bootstrap}") String bootstrap,
                      @Value("${funnelflow.aggregator.application-id:funnelflow-aggregator}") String applicationId,
                      @Value("${funnelflow.aggregator.sink.max-backoff:30s}") Duration maxBackoff,
                      LiveStream live, Freshness freshness, KafkaMeters meters) {
        PostgresSink sink = new PostgresSink(bootstrap, sinkGroup(applicationId), new SinkWriter(dataSource), batch -> {
            live.onDataWritten();
            freshness.written(batch);
        }, maxBackoff);
        meters.bind(sink.meters());
        sink.start();
        return sink;
    }

    static String sinkGroup(String applicationId) {
        return applicationId + "-postgres-sink";
    }

    // ---- what /metrics shows besides the JVM, HTTP and Kafka's own metrics: lag and freshness ----------

    @Singleton
    Freshness freshness(MeterRegistry registry) {
        return new Freshness(registry, Clock.systemUTC());
    }

    /** The stream's lag on its input and the sink's on the stream's output. */
    @Singleton
    @Bean(preDestroy = "close")
    ConsumerLagMeters consumerLag(@Value("${funnelflow.kafka.bootstrap}") String bootstrap,
                                  @Value("${funnelflow.aggregator.application-id:funnelflow-aggregator}") String applicationId,
                                  @Value("${funnelflow.metrics.lag-interval:15s}") Duration every) {
        return new ConsumerLagMeters(bootstrap, Map.of(applicationId, List.of(Topics.EVENTS.name()),
                sinkGroup(applicationId), PostgresSink.TOPICS), every);
    }

    /** {@code funnelflow_aggregator_sink_lag_records}: what the stream has committed and PostgreSQL does not have yet. */
    @Singleton
    @Named("sink-lag")
    MeterBinder sinkLag(ConsumerLagMeters lag,
                        @Value("${funnelflow.aggregator.application-id:funnelflow-aggregator}") String applicationId) {
        String group = sinkGroup(applicationId);
        return registry -> Gauge.builder("funnelflow.aggregator.sink.lag", lag, l -> l.total(group))
                .description("records of the stream's output not yet written to PostgreSQL")
                .baseUnit("records").register(registry);
    }

    @Singleton
    LiveStream liveStream(@Value("${funnelflow.dashboard.refresh-interval:1s}") Duration refresh,
                          @Value("${funnelflow.dashboard.ping-interval:20s}") Duration ping) {
        return new LiveStream(refresh, ping, Clock.systemUTC());
    }

    @Singleton
    LiveFeed liveFeed(LiveStream stream, @Value("${funnelflow.dashboard.live-sessions:50}") int capacity) {
        LiveFeed feed = new LiveFeed(capacity, stream::onChange);
        stream.attach(feed);
        return feed;
    }

    @Context
    @Bean(preDestroy = "close")
    LiveConsumer liveConsumer(LiveFeed feed, @Value("${funnelflow.kafka.bootstrap}") String bootstrap,
                              @Value("${funnelflow.aggregator.application-id:funnelflow-aggregator}") String applicationId,
                              @Value("${funnelflow.dashboard.live-lookback:30m}") Duration lookback,
                              @Value("${funnelflow.dashboard.live-sessions:50}") int capacity, KafkaMeters meters) {
        // a busy shop fills the feed from the last seconds: the newest records of each partition suffice
        LiveConsumer consumer = new LiveConsumer(bootstrap, applicationId + "-live", feed, lookback, capacity * 20, Clock.systemUTC());
        meters.bind(consumer.meters());
        consumer.start();
        return consumer;
    }

    @Singleton
    @Named("insights")
    Downstream insights(@Value("${funnelflow.insights.url}") String url,
                        @Value("${funnelflow.insights.timeout:90s}") Duration timeout, ServiceToken token) {
        return new Downstream("insights-service", url, timeout, token.authorization().orElse(null));
    }

    @Singleton
    @Named("prediction")
    Downstream prediction(@Value("${funnelflow.prediction.url}") String url,
                          @Value("${funnelflow.prediction.timeout:10s}") Duration timeout, ServiceToken token) {
        return new Downstream("prediction-service", url, timeout, token.authorization().orElse(null));
    }

    @Singleton
    @Named("crm")
    Downstream crm(@Value("${funnelflow.crm.url}") String url,
                   @Value("${funnelflow.crm.timeout:10s}") Duration timeout, ServiceToken token) {
        return new Downstream("crm-service", url, timeout, token.authorization().orElse(null));
    }

    // the query API reads through its own small pool with a statement timeout (datasources.query): a slow
    // or heavy query waits for one of its connections, never for the writers'
    @Singleton
    FunnelQuery funnelQuery(@Named("query") DataSource dataSource) {
        return new FunnelQuery(dataSource);
    }


    @Singleton
    AnalyticsQuery analyticsQuery(@Named("query") DataSource dataSource) {
        return new AnalyticsQuery(dataSource);
    }

    @Singleton
    SessionQuery sessionQuery(@Named("query") DataSource dataSource) {
        return new SessionQuery(dataSource);
    }
}
