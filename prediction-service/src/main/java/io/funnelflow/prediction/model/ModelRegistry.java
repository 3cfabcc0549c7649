package io.funnelflow.prediction.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.funnelflow.contract.json.Json;
import io.funnelflow.service.store.DatabaseUnavailable;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The model registry in PostgreSQL: one row per trained version, served or rejected, with its card;
 * the files of served versions live in {@link ModelFiles}. The newest served version is the one to load.
 */
public final class ModelRegistry {

    private final DataSource dataSource;
    private final DataSource queries;
    private final ModelFiles files;

    public ModelRegistry(DataSource dataSource, ModelFiles files) {
        this(dataSource, dataSource, files);
    }

    /**
     * @param queries where {@link #recent} reads (the query API's pool)
     */
    public ModelRegistry(DataSource dataSource, DataSource queries, ModelFiles files) {
        this.queries = queries;
        this.dataSource = dataSource;
        this.files = files;
    }

    /** Records a training run; a run that produced models fit to serve gets its files written first. */
    public void record(Trained trained) {
        ModelCard card = trained.card();
        String sha = null;
        if (card.served()) {
            sha = files.save(card.version(), trained.propensity(), trained.personas());
        }
        String sql = """
                INSERT INTO models (version, trained_at, status, reason, algorithm, auc, log_loss, accuracy, positives,
                                    negatives, base_rate, card, provenance, propensity_file, persona_file, files_sha256)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?)""";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, card.version());
            ps.setTimestamp(2, Timestamp.from(card.trainedAt()));
            ps.setString(3, card.status());
            ps.setString(4, card.reason());
            ps.setString(5, card.algorithm());
            setDouble(ps, 6, card.auc());
            setDouble(ps, 7, card.logLoss());
            setDouble(ps, 8, card.accuracy());
            ps.setInt(9, card.positives());
            ps.setInt(10, card.negatives());
            ps.setDouble(11, card.baseRate());
            ps.setString(12, Json.mapper().writeValueAsString(card.withoutProvenance()));
            ps.setString(13, card.provenance());
            ps.setString(14, sha == null ? null : files.directory(card.version()).resolve(ModelFiles.PROPENSITY).toString());
            ps.setString(15, sha == null ? null : files.directory(card.version()).resolve(ModelFiles.PERSONA).toString());
            ps.setString(16, sha);
            ps.executeUpdate();
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("could not record model " + card.version(), e);
        }
    }

    /** The newest version fit to serve, loaded from its files, if there is one. */
    public Optional<Trained> loadServed() {
        String sql = "SELECT card, provenance, files_sha256 FROM models WHERE status = 'served' ORDER BY trained_at DESC LIMIT 1";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql);
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            ModelCard card = Json.mapper().readValue(rs.getString(1), ModelCard.class).withProvenance(rs.getString(2));
            List<String> names = card.personas().stream()
                    .sorted(Comparator.comparingInt(ModelCard.Persona::cluster)).map(ModelCard.Persona::name).toList();
            return Optional.of(files.load(card, names, rs.getString(3)));
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the model registry", e);
        } catch (IOException e) {
            throw new UncheckedIOException("could not load the served model: " + e.getMessage(), e);
        }
    }

    /** The latest versions, newest first, without their provenance. */
    public List<ModelCard> recent(int limit) {
        String sql = "SELECT card FROM models ORDER BY trained_at DESC LIMIT ?";
        List<ModelCard> out = new ArrayList<>();
        try (Connection c = queries.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(Json.mapper().readValue(rs.getString(1), ModelCard.class));
                }
            }
            return out;
        } catch (SQLException e) {
            throw DatabaseUnavailable.of("could not read the model registry", e);
        } catch (IOException e) {
            throw new IllegalStateException("could not read the model registry", e);
        }
    }

    private static void setDouble(PreparedStatement ps, int index, Double value) throws SQLException {
        if (value == null || value.isNaN()) {
            ps.setNull(index, Types.DOUBLE);
        } else {
            ps.setDouble(index, value);
        }
    }
}
