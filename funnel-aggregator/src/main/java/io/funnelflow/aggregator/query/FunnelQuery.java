package io.funnelflow.aggregator.query;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.funnelflow.aggregator.aggregate.Dimension;
import io.funnelflow.aggregator.aggregate.FunnelAggregate;
import io.funnelflow.aggregator.aggregate.LogHistogram;
import io.funnelflow.aggregator.funnel.FunnelCount;
import io.funnelflow.aggregator.funnel.FunnelMode;
import io.funnelflow.aggregator.funnel.FunnelReport;
import io.funnelflow.contract.event.EventType;
import io.funnelflow.contract.funnel.FunnelDefinition;

import javax.sql.DataSource;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A funnel over the sessions that started in a range, from the figures the stream keeps per bucket: the
 * query sums the range's day and hour rows (O(buckets), never a row per session) and merges the step
 * times' sketches. Counts are exact; median times are estimates within
 * {@link LogHistogram#RELATIVE_ACCURACY} relative error.
 */
public final class FunnelQuery {

    private final DataSource dataSource;

    public FunnelQuery(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** How a saved funnel's history stands: the stream counts what it holds, PostgreSQL the rest. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record History(String status, Double progress, String reason) {
        public static final History COMPLETE = new History("complete", 1.0, null);
    }

    /** What the stream's figures are and how exact. */
    public record Estimate(String figure, String method, double relativeError) {
    }

    /**
     * The report, with the range it covers (widened to whole hours), whether the funnel's history is
     * complete, and seed-compatible flat counts of the default funnel's steps (events of the range).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Answer(String funnel, String mode, String count, List<FunnelReport.Step> steps,
                         Map<String, List<FunnelReport.Step>> breakdown, RangeCover range, String status, Double progress,
                         String statusReason, List<Estimate> estimates, Long adClicks, Long landings, Long productViews,
                         Long adds, Long purchases) implements Tabular {

        /** The value of {@code segment} for the whole funnel's steps; a breakdown's rows carry its value. */
        public static final String ALL_SEGMENT = "(all)";

        /** One row per step: the whole funnel's, then each breakdown value's. */
        @Override
        public Table table() {
            Table.Builder t = Table.of("segment", "step", "event_type", "label", "count", "conversion_from_previous",
                    "conversion_from_start", "drop_off", "drop_off_rate", "median_seconds_from_previous");
            rows(t, ALL_SEGMENT, steps);
            if (breakdown != null) {
                breakdown.forEach((value, valueSteps) -> rows(t, value, valueSteps));
            }
            return t.build();
        }

        private static void rows(Table.Builder t, String segment, List<FunnelReport.Step> steps) {
            for (FunnelReport.Step s : steps) {
                t.row(segment, s.index(), s.eventType(), s.label(), s.count(), s.conversionFromPrevious(),
                        s.conversionFromStart(), s.dropOff(), s.dropOffRate(), s.medianSecondsFromPrevious());
            }
        }
    }

    static final List<Estimate> ESTIMATES = List.of(new Estimate("median_seconds_from_previous",
            "relative-error log histogram (DDSketch construction), merged across buckets", LogHistogram.RELATIVE_ACCURACY));

    public Answer report(TimeRange range, int funnelId, FunnelDefinition funnel, History history, FunnelMode mode,
                         FunnelCount count, Breakdown breakdown) throws SQLException {
        RangeCover cover = RangeCover.of(range);
        Dimension dimension = breakdown == null ? Dimension.ALL : breakdown.dimension();
        Map<String, FunnelAggregate> byValue = new HashMap<>();
        int steps = funnel.steps().size();
        Map<String, Long> flat;
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT value, sessions, events, durations FROM funnel_buckets"
                    + " WHERE funnel_id = ? AND mode = ? AND dimension = ? AND " + RangeCover.condition())) {
                ps.setInt(1, funnelId);
                ps.setString(2, mode.wireName());
                ps.setShort(3, dimension.code());
                cover.bind(ps, 4);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        FunnelAggregate a = byValue.computeIfAbsent(rs.getString(1), v -> new FunnelAggregate(steps));
                        add(a.sessions, rs.getArray(2));
                        add(a.events, rs.getArray(3));
                        LogHistogram[] d = FunnelAggregate.decodeDurations(rs.getBytes(4));
                        for (int k = 0; k < d.length && k < a.durations.length; k++) {
                            a.durations[k].merge(d[k]);
                        }
                    }
                }
            }
            flat = funnelId == 0 ? flatCounts(c, cover) : Map.of();
        }
        FunnelAggregate all = new FunnelAggregate(steps);
        byValue.values().forEach(all::merge);
        Map<String, List<FunnelReport.Step>> out = new LinkedHashMap<>();
        if (breakdown != null) {
            byValue.entrySet().stream()
                    .map(e -> Map.entry(e.getKey(), steps(funnel, count, e.getValue())))
                    .filter(e -> e.getValue().get(0).count() > 0 || hasAny(e.getValue()))
                    .sorted(Comparator.<Map.Entry<String, List<FunnelReport.Step>>>comparingLong(e -> -e.getValue().get(0).count())
                            .thenComparing(Map.Entry::getKey))
                    .forEach(e -> out.put(e.getKey(), e.getValue()));
        }
        return new Answer(funnel.name(), mode.wireName(), count.wireName(), steps(funnel, count, all), out, cover,
                history.status(), history.progress(), history.reason(), ESTIMATES,
                flat.get(EventType.AD_CLICK.wireName()), flat.get("landings"), flat.get(EventType.PRODUCT_VIEW.wireName()),
                flat.get(EventType.ADD_TO_CART.wireName()), flat.get(EventType.PURCHASE.wireName()));
    }

    private static boolean hasAny(List<FunnelReport.Step> steps) {
        return steps.stream().anyMatch(s -> s.count() != 0);
    }

    private static List<FunnelReport.Step> steps(FunnelDefinition funnel, FunnelCount count, FunnelAggregate a) {
        long[] counts = count == FunnelCount.EVENTS ? a.events : a.sessions;
        Double[] medians = new Double[a.steps()];
        for (int k = 1; k < a.steps(); k++) {
            Double millis = a.durations[k - 1].median();
            medians[k] = millis == null ? null : millis / 1000.0;
        }
        return FunnelReport.steps(funnel, counts, medians);
    }

    /** Seed 001's flat funnel counts: events of each type in the range, and the sessions that landed. */
    private static Map<String, Long> flatCounts(Connection c, RangeCover cover) throws SQLException {
        Map<String, Long> out = new HashMap<>();
        for (String type : List.of(EventType.AD_CLICK.wireName(), EventType.PRODUCT_VIEW.wireName(),
                EventType.ADD_TO_CART.wireName(), EventType.PURCHASE.wireName())) {
            out.put(type, 0L);
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT event_type, sum(events) FROM event_buckets WHERE event_type IN (?, ?, ?, ?)"
                + " AND " + RangeCover.condition() + " GROUP BY event_type")) {
            int i = 1;
            for (String type : List.copyOf(out.keySet())) {
                ps.setString(i++, type);
            }
            cover.bind(ps, i);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT coalesce(sum(landed), 0) FROM session_buckets WHERE dimension = 0 AND "
                + RangeCover.condition())) {
            cover.bind(ps, 1);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                out.put("landings", rs.getLong(1));
            }
        }
        return out;
    }

    private static void add(long[] into, Array values) throws SQLException {
        Long[] v = (Long[]) values.getArray();
        for (int k = 0; k < v.length && k < into.length; k++) {
            into[k] += v[k];
        }
    }
}
