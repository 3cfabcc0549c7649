package io.funnelflow.aggregator.store;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Keeps raw events for {@code days} days: a day's partition ({@code events_YYYYMMDD}) is dropped once all of
 * it is older than that — a {@code DROP TABLE}, not a {@code DELETE}: instant, and nothing left to vacuum.
 * One instance at a time (a PostgreSQL advisory lock; the others skip). Sessions and figures stay: they are
 * summaries. An event that arrives later for a dropped day makes its partition again (the sink creates
 * partitions as events need them) and goes at the next run.
 */
public final class EventRetention {

    /** The advisory lock of the retention run (the sink's partition creation takes 7263501). */
    static final long LOCK = 7263502;
    private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;

    private final DataSource dataSource;
    private final Duration keep;
    private final Clock clock;

    public EventRetention(DataSource dataSource, int days, Clock clock) {
        if (days < 1) {
            throw new IllegalArgumentException("FUNNELFLOW_RETENTION_DAYS must be at least 1");
        }
        this.dataSource = dataSource;
        this.keep = Duration.ofDays(days);
        this.clock = clock;
    }

    /** Drops the partitions wholly older than the retention; empty when another instance holds the lock. */
    public Optional<List<String>> dropExpired() throws SQLException {
        Instant cutoff = clock.instant().minus(keep);
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(true);
            try (PreparedStatement lock = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                lock.setLong(1, LOCK);
                try (ResultSet rs = lock.executeQuery()) {
                    rs.next();
                    if (!rs.getBoolean(1)) {
                        return Optional.empty();
                    }
                }
            }
            try {
                List<String> dropped = new ArrayList<>();
                for (String partition : partitions(c)) {
                    LocalDate day = dayOf(partition);
                    if (day != null && !day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().isAfter(cutoff)) {
                        try (Statement s = c.createStatement()) {
                            s.execute("DROP TABLE IF EXISTS " + partition);
                        }
                        dropped.add(partition);
                    }
                }
                return Optional.of(dropped);
            } finally {
                try (PreparedStatement unlock = c.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                    unlock.setLong(1, LOCK);
                    unlock.execute();
                }
                c.setAutoCommit(autoCommit);
            }
        }
    }

    private static List<String> partitions(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("""
                     SELECT child.relname FROM pg_inherits i
                     JOIN pg_class child ON child.oid = i.inhrelid
                     JOIN pg_class parent ON parent.oid = i.inhparent
                     WHERE parent.relname = 'events' ORDER BY child.relname""")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /** The day of an {@code events_YYYYMMDD} partition; null for a table of another name (left alone). */
    static LocalDate dayOf(String partition) {
        if (!partition.matches("events_\\d{8}")) {
            return null;
        }
        try {
            return LocalDate.parse(partition.substring("events_".length()), DAY);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
