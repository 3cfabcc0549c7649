package io.funnelflow.aggregator.stream;

import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

/** Starts and stops the aggregation: exactly-once, with every error handler set. */
public final class StreamsLifecycle implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StreamsLifecycle.class);
    private final KafkaStreams streams;
    private final String applicationId;
    private final int threads;

    public StreamsLifecycle(String bootstrap, String applicationId, Path stateDir, StreamSettings settings, int threads) {
        this(bootstrap, applicationId, stateDir, settings, threads, Map.of());
    }

    /**
     * @param overrides further Kafka Streams settings, applied last (e.g. {@code num.standby.replicas} on a cluster)
     */
    public StreamsLifecycle(String bootstrap, String applicationId, Path stateDir, StreamSettings settings, int threads,
                            Map<String, ?> overrides) {
        this.applicationId = applicationId;
        this.threads = threads;
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 200);
        p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 10L * 1024 * 1024);
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, RejectingExceptionHandler.class);
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, RejectingExceptionHandler.class);
        p.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, RejectingExceptionHandler.class);
        p.put(StreamsConfig.producerPrefix("compression.type"), "lz4");
        // under exactly-once the first send of a transaction often meets the previous one still committing
        // (CONCURRENT_TRANSACTIONS); the default backoff (100 ms, growing to 1 s) turns that into seconds of delay
        p.put(StreamsConfig.producerPrefix("retry.backoff.ms"), 5);
        p.put(StreamsConfig.producerPrefix("retry.backoff.max.ms"), 50);
        p.putAll(overrides);
        this.streams = new KafkaStreams(AggregatorTopology.build(settings), p);
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("A stream thread died; replacing it", e);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
    }

    public void start() {
        streams.start();
    }

    /**
     * Kafka Streams' own metrics (its threads, tasks, stores, clients, and every sensor the topology adds),
     * for {@code /metrics}; close it with the stream.
     */
    public KafkaStreamsMetrics meters() {
        return new KafkaStreamsMetrics(streams);
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    public String applicationId() {
        return applicationId;
    }

    /** Stream threads configured, and alive now. */
    public int configuredThreads() {
        return threads;
    }

    public int aliveThreads() {
        return streams.metadataForLocalThreads().size();
    }

    /** Whether a topic is one of this application's repartition topics (read by the stream like its input). */
    public boolean isRepartitionTopic(String topic) {
        return topic.startsWith(applicationId + "-") && topic.endsWith("-repartition");
    }

    @Override
    public void close() {
        streams.close(Duration.ofSeconds(30));
    }
}
