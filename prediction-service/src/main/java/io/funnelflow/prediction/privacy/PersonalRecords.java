package io.funnelflow.prediction.privacy;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.funnelflow.contract.json.Json;
import io.funnelflow.contract.topic.Topics;
import io.funnelflow.prediction.scoring.LiveScoring;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * What the prediction service keeps about a person: the {@code predictions} rows of their sessions (named by
 * the aggregator) or with their user id, what live scoring holds in memory about those sessions, and their
 * predictions on the compacted {@code funnelflow.predictions}, which a tombstone per session replaces.
 */
public final class PersonalRecords {

    /** The most sessions one call names. */
    public static final int MAX_SESSIONS = 10_000;
    /** The most rows an export gives. */
    public static final int MAX_EXPORT_ROWS = 50_000;

    private final DataSource dataSource;
    private final LiveScoring scoring;
    private final Producer<String, byte[]> producer;

    public PersonalRecords(DataSource dataSource, LiveScoring scoring, Producer<String, byte[]> producer) {
        this.dataSource = dataSource;
        this.scoring = scoring;
        this.producer = producer;
    }

    /** Deletes the rows, forgets the sessions, publishes a tombstone per session; answers the counts. */
    public Map<String, Object> erase(String userId, Collection<String> sessionIds) throws Exception {
        Set<String> sessions = new LinkedHashSet<>(sessionIds);
        int rows = 0;
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "DELETE FROM predictions WHERE user_id = ? OR session_id = ANY(?) RETURNING session_id")) {
            ps.setString(1, userId);
            ps.setArray(2, c.createArrayOf("text", sessions.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows++;
                    sessions.add(rs.getString(1));
                }
            }
        }
        scoring.forget(sessions);
        List<Future<?>> sent = new ArrayList<>(sessions.size());
        for (String session : sessions) {
            sent.add(producer.send(new ProducerRecord<>(Topics.PREDICTIONS.name(), session, null)));
        }
        for (Future<?> f : sent) {
            f.get(10, TimeUnit.SECONDS);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("predictions", rows);
        out.put("tombstones", sessions.size());
        return out;
    }

    /** The person's prediction rows, oldest first. */
    public Map<String, Object> export(String userId, Collection<String> sessionIds) throws SQLException {
        List<Object> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     SELECT to_jsonb(p)::text FROM predictions p WHERE user_id = ? OR session_id = ANY(?)
                     ORDER BY scored_at LIMIT ?""")) {
            ps.setString(1, userId);
            ps.setArray(2, c.createArrayOf("text", sessionIds.toArray()));
            ps.setInt(3, MAX_EXPORT_ROWS);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(Json.mapper().readTree(rs.getString(1)));
                }
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("PostgreSQL gave a row that is not JSON", e);
        }
        return Map.of("predictions", rows);
    }
}
