package io.funnelflow.crm.stream;

import io.funnelflow.contract.event.RejectedEvent;
import io.funnelflow.service.streams.RejectingExceptionHandler;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

/** Starts and stops the lead lifecycle: exactly-once, with every error handler set. */
public final class CrmStreams implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CrmStreams.class);
    private final KafkaStreams streams;

    public CrmStreams(String bootstrap, String applicationId, Path stateDir, CrmSettings settings) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 200);
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, RejectingExceptionHandler.class);
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, RejectingExceptionHandler.class);
        p.put(RejectingExceptionHandler.STAGE_CONFIG, RejectedEvent.STAGE_CRM);
        p.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG,
                org.apache.kafka.streams.errors.DefaultProductionExceptionHandler.class);
        p.put(StreamsConfig.producerPrefix("compression.type"), "lz4");
        // as the aggregator: short backoffs for the exactly-once producer's CONCURRENT_TRANSACTIONS retries
        p.put(StreamsConfig.producerPrefix("retry.backoff.ms"), 5);
        p.put(StreamsConfig.producerPrefix("retry.backoff.max.ms"), 50);
        this.streams = new KafkaStreams(CrmTopology.build(settings), p);
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("A lead lifecycle thread died; replacing it", e);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
    }

    public void start() {
        streams.start();
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    @Override
    public void close() {
        streams.close(Duration.ofSeconds(30));
    }
}
