package io.funnelflow.aggregator.store;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.time.Clock;

/** Runs {@link EventRetention} a minute after start and then daily, when {@code FUNNELFLOW_RETENTION_DAYS} is set. */
@Singleton
@Requires(property = "funnelflow.retention.days", pattern = "\\d+")
public class RetentionJob {

    private static final Logger LOG = LoggerFactory.getLogger(RetentionJob.class);

    private final EventRetention retention;

    public RetentionJob(DataSource dataSource, @Value("${funnelflow.retention.days}") int days) {
        this.retention = new EventRetention(dataSource, days, Clock.systemUTC());
    }

    @Scheduled(initialDelay = "${funnelflow.retention.initial-delay:1m}", fixedDelay = "${funnelflow.retention.interval:24h}")
    void run() {
        try {
            retention.dropExpired().ifPresentOrElse(
                    dropped -> LOG.info("Retention: dropped {} raw event partitions {}", dropped.size(), dropped),
                    () -> LOG.info("Retention: another instance is at it"));
        } catch (SQLException e) {
            LOG.warn("Retention could not run ({}); next time", e.toString());
        }
    }
}
