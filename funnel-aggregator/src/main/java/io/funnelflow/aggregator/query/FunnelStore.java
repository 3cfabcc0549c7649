package io.funnelflow.aggregator.query;

import io.funnelflow.contract.funnel.FunnelDefinition;
import io.funnelflow.contract.funnel.SavedFunnel;
import io.funnelflow.contract.topic.Topics;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Named funnels, versioned: PostgreSQL holds every version (the built-in default is version 0), and the
 * stream learns the active ones from the compacted {@code funnelflow.funnels} topic. Saving a funnel
 * again with other steps makes a new version counted from scratch; a version's history is complete
 * once the stream has re-counted every session it holds and PostgreSQL the ones it no longer holds.
 */
public final class FunnelStore {

    /** One version of a named funnel. */
    public record Version(int id, String name, List<String> steps, long generation, Instant createdAt,
                          String historyStatus, long historySessions) {

        public FunnelDefinition definition() {
            return new FunnelDefinition(name, steps);
        }

        SavedFunnel saved() {
            return new SavedFunnel(id, name, steps, generation, createdAt);
        }
    }

    public static final String COUNTING = "counting";
    public static final String COMPLETE = "complete";

    private final DataSource dataSource;
    private final DataSource queries;
    private final Producer<String, byte[]> producer;
    private final int maxFunnels;

    /** @param maxFunnels how many saved funnels may be active (each is counted for every session) */
    public FunnelStore(DataSource dataSource, Producer<String, byte[]> producer, int maxFunnels) {
        this(dataSource, dataSource, producer, maxFunnels);
    }

    /**
     * @param queries what {@link #find} and {@link #all} read through: the query API's own pool with its
     *                statement timeout, so that listing funnels never waits for the writers' connections
     */
    public FunnelStore(DataSource dataSource, DataSource queries, Producer<String, byte[]> producer, int maxFunnels) {
        this.dataSource = dataSource;
        this.queries = queries;
        this.producer = producer;
        this.maxFunnels = maxFunnels;
    }

    public Optional<Version> find(String name) throws SQLException {
        try (Connection c = queries.getConnection();
             PreparedStatement ps = c.prepareStatement(SELECT + " WHERE name = ? AND retired_at IS NULL")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : defaultIf(name);
            }
        }
    }

    private static Optional<Version> defaultIf(String name) {
        return FunnelDefinition.DEFAULT_NAME.equals(name) ? Optional.of(defaultVersion(COMPLETE)) : Optional.empty();
    }

    private static Version defaultVersion(String status) {
        return new Version(SavedFunnel.DEFAULT.id(), SavedFunnel.DEFAULT.name(), SavedFunnel.DEFAULT.steps(), 0,
                Instant.EPOCH, status, 0);
    }

    /** Every active version, the default funnel first. */
    public List<Version> all() throws SQLException {
        List<Version> out = new ArrayList<>();
        try (Connection c = queries.getConnection();
             PreparedStatement ps = c.prepareStatement(SELECT + " WHERE retired_at IS NULL ORDER BY id = 0 DESC, name");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(read(rs));
            }
        }
        if (out.stream().noneMatch(v -> v.id() == SavedFunnel.DEFAULT.id())) {
            out.add(0, defaultVersion(COMPLETE));
        }
        return out;
    }

    /** Versions whose history is still being counted. */
    public List<Version> counting() throws SQLException {
        List<Version> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(SELECT + " WHERE retired_at IS NULL AND history_status = '" + COUNTING
                     + "' ORDER BY generation");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(read(rs));
            }
        }
        return out;
    }

    /**
     * Saves a funnel as a new version (retiring the name's previous one) and tells the stream.
     *
     * @return the new version, and whether the name was new
     */
    public Saved save(FunnelDefinition funnel) throws SQLException, InterruptedException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                boolean replaces;
                try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FILTER (WHERE name = ?), count(*) FILTER (WHERE id <> 0)"
                        + " FROM funnel_versions WHERE retired_at IS NULL")) {
                    ps.setString(1, funnel.name());
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        replaces = rs.getLong(1) > 0;
                        if (!replaces && rs.getLong(2) >= maxFunnels) {
                            throw new BadParameterException("name", "at most " + maxFunnels
                                    + " funnels can be saved (each is counted for every session); replace one instead");
                        }
                    }
                }
                try (PreparedStatement ps = c.prepareStatement("UPDATE funnel_versions SET retired_at = now() WHERE name = ? AND retired_at IS NULL")) {
                    ps.setString(1, funnel.name());
                    ps.executeUpdate();
                }
                Version v;
                try (PreparedStatement ps = c.prepareStatement("""
                        INSERT INTO funnel_versions (id, name, steps, generation, history_status)
                        VALUES (nextval('funnel_version_ids'), ?, ?, nextval('funnel_generations'), ?)
                        RETURNING id, name, steps, generation, created_at, history_status, history_sessions""")) {
                    ps.setString(1, funnel.name());
                    ps.setArray(2, c.createArrayOf("text", funnel.steps().toArray()));
                    ps.setString(3, COUNTING);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        v = read(rs);
                    }
                }
                publish(v);
                c.commit();
                return new Saved(v, !replaces);
            } catch (SQLException | RuntimeException | InterruptedException e) {
                c.rollback();
                throw e;
            }
        }
    }

    public record Saved(Version version, boolean created) {
    }

    /** Publishes every active version, so the stream's registry agrees with PostgreSQL (on start, and after a failed save). */
    public void publishActive() throws SQLException, InterruptedException {
        for (Version v : all()) {
            if (v.id() != SavedFunnel.DEFAULT.id()) {
                publish(v);
            }
        }
    }

    private void publish(Version v) throws InterruptedException {
        byte[] value = Topics.FUNNELS.valueSerde().serializer().serialize(Topics.FUNNELS.name(), v.saved());
        try {
            producer.send(new ProducerRecord<>(Topics.FUNNELS.name(), v.name(), value)).get(Duration.ofSeconds(10).toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the stream could not be told of funnel '" + v.name() + "': " + e.getMessage(), e);
        }
    }

    public void markComplete(Version v, long sessions) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE funnel_versions SET history_status = ?, history_sessions = ? WHERE id = ?")) {
            ps.setString(1, COMPLETE);
            ps.setLong(2, sessions);
            ps.setInt(3, v.id());
            ps.executeUpdate();
        }
    }

    private static final String SELECT = "SELECT id, name, steps, generation, created_at, history_status, history_sessions FROM funnel_versions";

    private static Version read(ResultSet rs) throws SQLException {
        return new Version(rs.getInt(1), rs.getString(2), Arrays.asList((String[]) rs.getArray(3).getArray()), rs.getLong(4),
                rs.getTimestamp(5).toInstant(), rs.getString(6), rs.getLong(7));
    }
}
