package io.funnelflow.prediction.store;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.funnelflow.contract.prediction.Prediction;
import io.funnelflow.service.store.DatabaseUnavailable;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Predictions in PostgreSQL, and what they say once joined with the sessions' outcomes: conversion by
 * persona, and the conversion of sessions offered an incentive against those held out.
 */
public final class PredictionStore {

    private final DataSource dataSource;
    private final DataSource queries;

    /**
     * @param dataSource the live stream's writes
     * @param queries    the reports' reads: their own small pool with a statement timeout
     */
    public PredictionStore(DataSource dataSource, DataSource queries) {
        this.dataSource = dataSource;
        this.queries = queries;
    }

    /** A published prediction with the session facts it is filed under. */
    public record Row(Prediction prediction, int sessionEvents, Instant sessionStart, String visitorId, boolean purchased,
                      boolean closed) {
    }

    /** Writes predictions and removes those of sessions that ceased to exist, in one transaction. */
    public void write(Collection<Row> rows, Collection<String> removedSessions) {
        String upsert = """
                INSERT INTO predictions (session_id, session_events, scored_at, session_start, visitor_id, user_id,
                    purchase_probability, confidence_low, confidence_high, persona, incentive, incentive_reason, held_out,
                    model_version, purchased, closed)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (session_id, session_start, session_events) DO UPDATE SET scored_at = excluded.scored_at,
                    visitor_id = excluded.visitor_id, user_id = excluded.user_id,
                    purchase_probability = excluded.purchase_probability, confidence_low = excluded.confidence_low,
                    confidence_high = excluded.confidence_high, persona = excluded.persona, incentive = excluded.incentive,
                    incentive_reason = excluded.incentive_reason, held_out = excluded.held_out,
                    model_version = excluded.model_version, purchased = excluded.purchased, closed = excluded.closed""";
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(upsert);
                 PreparedStatement delete = c.prepareStatement("DELETE FROM predictions WHERE session_id = ?")) {
                for (String id : removedSessions) {
                    delete.setString(1, id);
                    delete.addBatch();
                }
                delete.executeBatch();
                for (Row r : rows) {
                    Prediction p = r.prediction();
                    ps.setString(1, p.sessionId());
                    ps.setInt(2, r.sessionEvents());
                    ps.setTimestamp(3, Timestamp.from(p.scoredAt()));
                    ps.setTimestamp(4, Timestamp.from(r.sessionStart()));
                    ps.setString(5, r.visitorId());
                    ps.setString(6, p.userId());
                    ps.setDouble(7, p.purchaseProbability());
                    ps.setDouble(8, p.confidenceLow());
                    ps.setDouble(9, p.confidenceHigh());
                    ps.setString(10, p.persona());
                    ps.setString(11, p.incentive());
                    ps.setString(12, p.incentiveReason());
                    ps.setBoolean(13, p.heldOut());
                    ps.setString(14, p.modelVersion());
                    ps.setBoolean(15, r.purchased());
                    ps.setBoolean(16, r.closed());
                    ps.addBatch();
                }
                ps.executeBatch();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not write " + rows.size() + " predictions", e);
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record PersonaShare(String persona, long sessions, double share, long purchases, double conversionRate,
                               double revenue, double averageProbability) {
    }

    /**
     * Sessions started in [from, to) by persona, with their outcome. A session's persona is the one it
     * had before it purchased (its latest prediction before the purchase, else its latest): judged
     * after the purchase, every buyer would look like a buyer and the report would only restate the outcome.
     */
    public List<PersonaShare> personas(Instant from, Instant to) {
        String sql = """
                WITH latest AS (
                    SELECT DISTINCT ON (p.session_id, p.session_start) p.session_id, p.session_start, p.persona,
                           p.purchase_probability
                    FROM predictions p WHERE p.session_start >= ? AND p.session_start < ?
                    ORDER BY p.session_id, p.session_start, p.purchased, p.session_events DESC)
                SELECT l.persona, count(*), count(*) FILTER (WHERE s.purchases > 0), coalesce(sum(s.revenue), 0),
                       avg(l.purchase_probability)
                FROM latest l LEFT JOIN sessions s ON s.session_id = l.session_id AND s.started_at = l.session_start
                GROUP BY l.persona ORDER BY count(*) DESC, l.persona""";
        List<Object[]> rows = query(sql, from, to, 5);
        long total = rows.stream().mapToLong(r -> (Long) r[1]).sum();
        List<PersonaShare> out = new ArrayList<>();
        for (Object[] r : rows) {
            long n = (Long) r[1];
            long bought = (Long) r[2];
            out.add(new PersonaShare((String) r[0], n, round((double) n / total), bought, round((double) bought / n),
                    round((Double) r[3]), round((Double) r[4])));
        }
        return out;
    }

    /** Sessions started in a range: how many, how many purchased, their average length and their revenue. */
    public record Summary(long sessions, long converted, double averageSeconds, double revenue) {
    }

    /** One bounded aggregation over the sessions started in [from, to). */
    public Summary summary(Instant from, Instant to) {
        String sql = """
                SELECT count(*), count(*) FILTER (WHERE purchases > 0), coalesce(avg(duration_seconds), 0),
                       coalesce(sum(revenue), 0)
                FROM sessions WHERE started_at >= ? AND started_at < ?""";
        Object[] r = query(sql, from, to, 4).get(0);
        return new Summary((Long) r[0], (Long) r[1], ((Number) r[2]).doubleValue(), ((Number) r[3]).doubleValue());
    }

    /** One arm of an incentive's comparison; the standard deviation is of the revenue per session. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Arm(long sessions, long purchases, double conversionRate, double revenue, double revenuePerSession,
                      double revenuePerSessionSd) {

        static Arm of(long sessions, long purchases, double revenue, double revenueSquares) {
            double mean = sessions == 0 ? 0 : revenue / sessions;
            double variance = sessions < 2 ? 0 : Math.max(0, (revenueSquares - sessions * mean * mean) / (sessions - 1));
            return new Arm(sessions, purchases, sessions == 0 ? 0 : round((double) purchases / sessions), round(revenue),
                    round(mean), round(Math.sqrt(variance)));
        }
    }

    /**
     * An incentive's offered and held-out sessions: the difference in conversion (percentage points)
     * and in revenue per session, each with its 95 % confidence interval (normal approximation);
     * null while either arm is empty.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record IncentiveResult(String incentive, Arm offered, Arm heldOut, Double upliftPoints, Double upliftLow,
                                  Double upliftHigh, Double revenuePerSessionUplift, Double revenuePerSessionUpliftLow,
                                  Double revenuePerSessionUpliftHigh) {
    }

    /**
     * For sessions started in [from, to): each session counts under the first incentive it was given
     * (offered or held out), with its outcome.
     */
    public List<IncentiveResult> incentives(Instant from, Instant to) {
        String sql = """
                WITH first_offer AS (
                    SELECT DISTINCT ON (p.session_id, p.session_start) p.session_id, p.session_start, p.incentive, p.held_out
                    FROM predictions p
                    WHERE p.session_start >= ? AND p.session_start < ? AND p.incentive <> 'none'
                    ORDER BY p.session_id, p.session_start, p.session_events)
                SELECT f.incentive, f.held_out, count(*), count(*) FILTER (WHERE s.purchases > 0), coalesce(sum(s.revenue), 0),
                       coalesce(sum(s.revenue * s.revenue), 0)
                FROM first_offer f JOIN sessions s ON s.session_id = f.session_id AND s.started_at = f.session_start
                GROUP BY f.incentive, f.held_out ORDER BY f.incentive""";
        Map<String, Arm[]> arms = new LinkedHashMap<>();
        for (Object[] r : query(sql, from, to, 6)) {
            Arm[] pair = arms.computeIfAbsent((String) r[0], k -> new Arm[]{Arm.of(0, 0, 0, 0), Arm.of(0, 0, 0, 0)});
            pair[(Boolean) r[1] ? 1 : 0] = Arm.of((Long) r[2], (Long) r[3], (Double) r[4], (Double) r[5]);
        }
        List<IncentiveResult> out = new ArrayList<>();
        arms.forEach((incentive, pair) -> out.add(result(incentive, pair[0], pair[1])));
        return out;
    }

    static IncentiveResult result(String incentive, Arm offered, Arm held) {
        if (offered.sessions() == 0 || held.sessions() == 0) {
            return new IncentiveResult(incentive, offered, held, null, null, null, null, null, null);
        }
        double p1 = (double) offered.purchases() / offered.sessions();
        double p2 = (double) held.purchases() / held.sessions();
        double se = Math.sqrt(p1 * (1 - p1) / offered.sessions() + p2 * (1 - p2) / held.sessions());
        double diff = p1 - p2;
        double revenueDiff = offered.revenuePerSession() - held.revenuePerSession();
        double revenueSe = Math.sqrt(offered.revenuePerSessionSd() * offered.revenuePerSessionSd() / offered.sessions()
                + held.revenuePerSessionSd() * held.revenuePerSessionSd() / held.sessions());
        return new IncentiveResult(incentive, offered, held, round(100 * diff), round(100 * (diff - 1.96 * se)),
                round(100 * (diff + 1.96 * se)), round(revenueDiff), round(revenueDiff - 1.96 * revenueSe),
                round(revenueDiff + 1.96 * revenueSe));
    }

    private List<Object[]> query(String sql, Instant from, Instant to, int columns) {
        try (Connection c = queries.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setTimestamp(1, Timestamp.from(from));
            ps.setTimestamp(2, Timestamp.from(to));
            List<Object[]> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Object[] row = new Object[columns];
                    for (int i = 0; i < columns; i++) {
                        Object v = rs.getObject(i + 1);
                        row[i] = v instanceof java.math.BigDecimal d ? d.doubleValue() : v;
                    }
                    out.add(row);
                }
            }
            return out;
        } catch (SQLException e) {
            throw DatabaseUnavailable.of("could not query predictions", e);
        }
    }

    static double round(double v) {
        return Math.round(v * 10000) / 10000.0;
    }
}
