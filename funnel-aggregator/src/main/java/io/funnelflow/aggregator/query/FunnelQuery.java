package io.funnelflow.aggregator.query;

import io.funnelflow.aggregator.funnel.FunnelCount;
import io.funnelflow.aggregator.funnel.FunnelEvaluator;
import io.funnelflow.aggregator.funnel.FunnelMode;
import io.funnelflow.aggregator.funnel.FunnelReport;
import io.funnelflow.aggregator.funnel.FunnelSession;
import io.funnelflow.contract.funnel.FunnelDefinition;

import javax.sql.DataSource;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A funnel over the sessions that started in a range: each session's ordered events come from the
 * sessions table and go through the one {@link FunnelEvaluator}, whatever the funnel, mode or count.
 */
public final class FunnelQuery {

    private final DataSource dataSource;
    private final FunnelEvaluator evaluator = new FunnelEvaluator();

    public FunnelQuery(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public FunnelReport report(TimeRange range, FunnelDefinition funnel, FunnelMode mode, FunnelCount count,
                               Breakdown breakdown) throws SQLException {
        String dimension = breakdown == null ? "NULL" : breakdown.column();
        List<FunnelSession> sessions = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT " + dimension + ", event_types, event_times FROM sessions"
                     + " WHERE started_at >= ? AND started_at < ?")) {
            ps.setTimestamp(1, Timestamp.from(range.from()));
            ps.setTimestamp(2, Timestamp.from(range.to()));
            ps.setFetchSize(5000);
            c.setAutoCommit(false);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    sessions.add(new FunnelSession(rs.getString(1), Arrays.asList(strings(rs.getArray(2))), longs(rs.getArray(3))));
                }
            }
            c.commit();
        }
        return evaluator.evaluate(funnel, mode, count, sessions, breakdown != null);
    }

    private static String[] strings(Array a) throws SQLException {
        return (String[]) a.getArray();
    }

    private static long[] longs(Array a) throws SQLException {
        Long[] boxed = (Long[]) a.getArray();
        long[] out = new long[boxed.length];
        for (int i = 0; i < boxed.length; i++) {
            out[i] = boxed[i];
        }
        return out;
    }
}
