package io.funnelflow.aggregator.store;

import io.funnelflow.testing.SharedPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Retention against a real PostgreSQL with the platform's schema: whole days go, by partition, one instance at a time. */
class EventRetentionIT {

    @Test
    void partitionsWhollyOlderThanTheRetentionAreDroppedAndTheRestKept() throws Exception {
        String url = SharedPostgres.newDatabase("retention_it");
        Flyway.configure().dataSource(url, SharedPostgres.user(), SharedPostgres.password())
                .locations("classpath:db/migration").load().migrate();
        Instant now = Instant.parse("2026-11-30T12:00:00Z");
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        try (Connection c = DriverManager.getConnection(url, SharedPostgres.user(), SharedPostgres.password());
             Statement s = c.createStatement()) {
            for (int ago : new int[]{10, 6, 5, 4, 0}) {
                LocalDate day = today.minusDays(ago);
                s.execute("CREATE TABLE events_" + day.toString().replace("-", "") + " PARTITION OF events FOR VALUES FROM ('"
                        + day + "') TO ('" + day.plusDays(1) + "')");
                s.execute("INSERT INTO events (event_id, event_time, event_type, session_key, received_at) VALUES ('e-" + ago
                        + "', '" + day + "T08:00:00Z', 'page_view', 's', now())");
            }
        }
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(url);
        dataSource.setUser(SharedPostgres.user());
        dataSource.setPassword(SharedPostgres.password());
        EventRetention retention = new EventRetention(dataSource, 5, Clock.fixed(now, ZoneOffset.UTC));

        // another instance holds the lock: this one leaves everything alone
        try (Connection other = DriverManager.getConnection(url, SharedPostgres.user(), SharedPostgres.password());
             PreparedStatement lock = other.prepareStatement("SELECT pg_advisory_lock(?)")) {
            lock.setLong(1, EventRetention.LOCK);
            lock.execute();
            assertThat(retention.dropExpired()).isEmpty();
        }

        // five days back from 2026-11-30T12:00Z is 2026-11-25T12:00Z: the 25th is still half inside
        assertThat(retention.dropExpired()).hasValue(List.of("events_20261120", "events_20261124"));
        assertThat(eventIds(url)).containsExactlyInAnyOrder("e-5", "e-4", "e-0");
        assertThat(retention.dropExpired()).hasValue(List.of());
    }

    static List<String> eventIds(String url) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url, SharedPostgres.user(), SharedPostgres.password());
             ResultSet rs = c.createStatement().executeQuery("SELECT event_id FROM events")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    @Test
    void onlyDayPartitionsAreConsidered() {
        assertThat(EventRetention.dayOf("events_20261124")).isEqualTo(LocalDate.of(2026, 11, 24));
        assertThat(EventRetention.dayOf("events_default")).isNull();
        assertThat(EventRetention.dayOf("events_20261399")).isNull();
    }
}
