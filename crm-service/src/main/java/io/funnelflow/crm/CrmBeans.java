package io.funnelflow.crm;

import io.funnelflow.crm.store.CrmSink;
import io.funnelflow.crm.store.CrmWriter;
import io.funnelflow.crm.stream.CrmSettings;
import io.funnelflow.crm.stream.CrmStreams;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * Wires the plain CRM classes: the lifecycle stream and its PostgreSQL sink start with the application
 * (Flyway migrates the schema before) and stop with it.
 */
@Factory
public class CrmBeans {

    /** What "now" is for the service: the system clock, unless a test registers its own. */
    @Singleton
    @Requires(missingBeans = Clock.class)
    Clock clock() {
        return Clock.systemUTC();
    }

    @Singleton
    CrmSettings settings(@Value("${funnelflow.crm.punctuate-every:10s}") Duration every,
                         @Value("${funnelflow.crm.sweep-batch:2000}") int sweepBatch,
                         @Value("${funnelflow.crm.session-retention:7d}") Duration retention,
                         Clock clock) {
        return new CrmSettings(every, sweepBatch, retention, clock);
    }

    @Context
    @Bean(preDestroy = "close")
    CrmStreams streams(CrmSettings settings, @Value("${funnelflow.kafka.bootstrap}") String bootstrap,
                       @Value("${funnelflow.crm.application-id:funnelflow-crm}") String applicationId,
                       @Value("${funnelflow.crm.state-dir:}") String stateDir,
                       @Value("${funnelflow.data-dir:}") String dataDir) {
        Path state = !stateDir.isBlank() ? Path.of(stateDir)
                : Path.of(dataDir.isBlank() ? System.getProperty("java.io.tmpdir") + "/funnelflow" : dataDir, "crm-state");
        CrmStreams streams = new CrmStreams(bootstrap, applicationId, state, settings);
        streams.start();
        return streams;
    }

    @Singleton
    CrmWriter writer(DataSource dataSource) {
        return new CrmWriter(dataSource);
    }

    @Context
    @Bean(preDestroy = "close")
    CrmSink sink(CrmWriter writer, @Value("${funnelflow.kafka.bootstrap}") String bootstrap,
                 @Value("${funnelflow.crm.application-id:funnelflow-crm}") String applicationId) {
        CrmSink sink = new CrmSink(bootstrap, applicationId + "-postgres-sink", writer);
        sink.start();
        return sink;
    }
}
