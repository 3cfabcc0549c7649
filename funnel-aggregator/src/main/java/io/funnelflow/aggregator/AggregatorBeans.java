package io.funnelflow.aggregator;

import io.funnelflow.aggregator.downstream.Downstream;
import io.funnelflow.aggregator.live.LiveConsumer;
import io.funnelflow.aggregator.live.LiveFeed;
import io.funnelflow.aggregator.live.LiveStream;
import io.funnelflow.aggregator.query.AnalyticsQuery;
import io.funnelflow.aggregator.query.FunnelQuery;
import io.funnelflow.aggregator.query.FunnelStore;
import io.funnelflow.aggregator.query.SessionQuery;
import io.funnelflow.aggregator.store.PostgresSink;
import io.funnelflow.aggregator.store.SinkWriter;
import io.funnelflow.aggregator.stream.StreamSettings;
import io.funnelflow.aggregator.stream.StreamsLifecycle;
import io.funnelflow.contract.topic.Topics;
import io.funnelflow.service.health.GroupProgress;
import io.funnelflow.service.security.ServiceToken;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Property;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.convert.format.MapFormat;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Wires the plain aggregator classes: the stream and the PostgreSQL sink start with the application
 * (the schema is migrated by Flyway before) and stop with it.
 */
@Factory
public class AggregatorBeans {

    @Singleton
    StreamSettings settings(@Value("${funnelflow.aggregator.inactivity-gap:30m}") Duration gap,
                            @Value("${funnelflow.aggregator.dedupe-horizon:24h}") Duration dedupe,
                            @Value("${funnelflow.aggregator.window-grace:10m}") Duration grace,
                            @Value("${funnelflow.aggregator.idle-retention:7d}") Duration idle) {
        return new StreamSettings(gap, dedupe, grace, idle);
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
                             @Nullable Map<String, Object> overrides) {
        Path state = !stateDir.isBlank() ? Path.of(stateDir)
                : Path.of(dataDir.isBlank() ? System.getProperty("java.io.tmpdir") + "/funnelflow" : dataDir, "aggregator-state");
        StreamsLifecycle streams = new StreamsLifecycle(bootstrap, applicationId, state, settings, threads,
                overrides == null ? Map.of() : overrides);
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
                      LiveStream live) {
        PostgresSink sink = new PostgresSink(bootstrap, applicationId + "-postgres-sink", new SinkWriter(dataSource),
                live::onDataWritten, maxBackoff);
        sink.start();
        return sink;
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
                              @Value("${funnelflow.dashboard.live-sessions:50}") int capacity) {
        // a busy shop fills the feed from the last seconds: the newest records of each partition suffice
        LiveConsumer consumer = new LiveConsumer(bootstrap, applicationId + "-live", feed, lookback, capacity * 20, Clock.systemUTC());
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

    // the query API reads through its own small pool with a statement timeout (datasources.query): a slow
    // or heavy query waits for one of its connections, never for the writers'
    @Singleton
    FunnelQuery funnelQuery(@Named("query") DataSource dataSource) {
        return new FunnelQuery(dataSource);
    }

    @Singleton
    FunnelStore funnelStore(@Named("query") DataSource dataSource) {
        return new FunnelStore(dataSource);
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
