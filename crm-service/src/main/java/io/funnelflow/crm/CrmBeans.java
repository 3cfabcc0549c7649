package io.funnelflow.crm;

import io.funnelflow.crm.genai.InsightsClient;
import io.funnelflow.crm.genai.NotesStore;
import io.funnelflow.crm.imports.LeadImport;
import io.funnelflow.crm.store.LeadEraser;
import io.funnelflow.service.security.ServiceToken;
import io.funnelflow.crm.store.CommandPublisher;
import io.funnelflow.crm.store.CrmSink;
import io.funnelflow.crm.store.LeadQuery;
import io.funnelflow.crm.store.RulesStore;
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

    @Singleton
    LeadQuery leadQuery(DataSource dataSource) {
        return new LeadQuery(dataSource);
    }

    @Singleton
    @Bean(preDestroy = "close")
    CommandPublisher commandPublisher(@Value("${funnelflow.kafka.bootstrap}") String bootstrap,
                                      @Value("${funnelflow.crm.command-timeout:10s}") Duration timeout) {
        return new CommandPublisher(bootstrap, timeout);
    }

    @Singleton
    LeadImport leadImport(CommandPublisher commands, Clock clock,
                          @Value("${funnelflow.crm.import.max-bytes:4194304}") int maxBytes,
                          @Value("${funnelflow.crm.import.max-rows:20000}") int maxRows) {
        return new LeadImport(commands, clock, maxBytes, maxRows);
    }

    /** The rules' versions; version 1 (the default document) is recorded at the first start. */
    @Context
    @Bean(preDestroy = "close")
    RulesStore rulesStore(DataSource dataSource, @Value("${funnelflow.kafka.bootstrap}") String bootstrap, Clock clock) {
        RulesStore store = new RulesStore(dataSource, bootstrap, clock);
        store.ensureDefault();
        return store;
    }

    @Singleton
    LeadEraser leadEraser(DataSource dataSource) {
        return new LeadEraser(dataSource);
    }

    @Singleton
    NotesStore notesStore(DataSource dataSource) {
        return new NotesStore(dataSource);
    }

    @Singleton
    InsightsClient insightsClient(@Value("${funnelflow.insights.url}") String url,
                                  @Value("${funnelflow.insights.timeout:90s}") Duration timeout, ServiceToken token) {
        return new InsightsClient(url, timeout, token.authorization().orElse(null));
    }
}
