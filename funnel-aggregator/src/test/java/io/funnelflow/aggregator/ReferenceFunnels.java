package io.funnelflow.aggregator;

import com.fasterxml.jackson.databind.JsonNode;
import io.funnelflow.aggregator.funnel.FunnelCount;
import io.funnelflow.aggregator.funnel.FunnelEvaluator;
import io.funnelflow.aggregator.funnel.FunnelMode;
import io.funnelflow.aggregator.funnel.FunnelReport;
import io.funnelflow.aggregator.funnel.FunnelSession;
import io.funnelflow.contract.funnel.FunnelDefinition;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The reference the stream's figures are held to: {@link FunnelEvaluator} over every stored session's
 * ordered events, for every mode, count and a breakdown, against what {@code /api/funnel} answers from
 * the stream-maintained buckets. Counts must be equal; median times within the sketch's accuracy.
 */
final class ReferenceFunnels {

    interface Db {
        Connection open() throws Exception;
    }

    interface Api {
        JsonNode get(String path) throws Exception;
    }

    private record Row(String[] dims, List<String> types, long[] times) {
    }

    private static final List<String> BREAKDOWNS = Arrays.asList(null, "utm_source", "utm_medium", "utm_campaign", "device", "platform");

    private ReferenceFunnels() {
    }

    static void assertMatches(FunnelDefinition funnel, Db db, Api api) throws Exception {
        // quiet sessions' ordered events are published a little after their last change
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            try (Connection c = db.open(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FILTER (WHERE t.session_id IS NULL), count(*)"
                         + " FROM sessions s LEFT JOIN session_timelines t USING (session_id)")) {
                rs.next();
                return rs.getLong(1) == 0 && rs.getLong(2) > 0;
            }
        });
        List<Row> rows = new ArrayList<>();
        Instant first = Instant.now();
        try (Connection c = db.open(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT s.utm_source, s.utm_medium, s.utm_campaign, s.device, s.platform,"
                     + " t.event_types, t.event_times, s.started_at FROM sessions s JOIN session_timelines t USING (session_id)")) {
            while (rs.next()) {
                Long[] times = (Long[]) rs.getArray(7).getArray();
                rows.add(new Row(new String[]{rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)},
                        Arrays.asList((String[]) rs.getArray(6).getArray()), Arrays.stream(times).mapToLong(Long::longValue).toArray()));
                Instant start = rs.getTimestamp(8).toInstant();
                first = start.isBefore(first) ? start : first;
            }
        }
        String range = "from=" + first.truncatedTo(ChronoUnit.DAYS) + "&to=" + Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
        FunnelEvaluator evaluator = new FunnelEvaluator();
        for (FunnelMode mode : FunnelMode.values()) {
            for (FunnelCount count : FunnelCount.values()) {
                for (String breakdown : BREAKDOWNS) {
                    int dim = breakdown == null ? -1 : BREAKDOWNS.indexOf(breakdown) - 1;
                    List<FunnelSession> sessions = rows.stream()
                            .map(r -> new FunnelSession(dim < 0 ? null : r.dims()[dim], r.types(), r.times())).toList();
                    FunnelReport expected = evaluator.evaluate(funnel, mode, count, sessions, breakdown != null);
                    String what = funnel.name() + " " + mode + " " + count + " by " + breakdown;
                    JsonNode actual = api.get("/api/funnel?funnel=" + funnel.name() + "&mode=" + mode.wireName() + "&count="
                            + count.wireName() + (breakdown == null ? "" : "&breakdown=" + breakdown) + "&" + range);
                    assertSteps(what, expected.steps(), actual.get("steps"));
                    Map<String, JsonNode> byValue = new LinkedHashMap<>();
                    actual.get("breakdown").fields().forEachRemaining(e -> byValue.put(e.getKey(), e.getValue()));
                    assertThat(byValue.keySet()).as(what + ": breakdown values, in order").containsExactlyElementsOf(expected.breakdown().keySet());
                    expected.breakdown().forEach((value, steps) -> assertSteps(what + " = " + value, steps, byValue.get(value)));
                }
            }
        }
    }

    private static void assertSteps(String what, List<FunnelReport.Step> expected, JsonNode actual) {
        assertThat(actual.size()).as(what).isEqualTo(expected.size());
        Iterator<JsonNode> it = actual.elements();
        for (FunnelReport.Step step : expected) {
            JsonNode a = it.next();
            assertThat(a.get("count").asLong()).as(what + " step " + step.index()).isEqualTo(step.count());
            Double median = step.medianSecondsFromPrevious();
            JsonNode m = a.get("median_seconds_from_previous");
            if (median == null) {
                assertThat(m == null || m.isNull()).as(what + " median of step " + step.index()).isTrue();
            } else {
                assertThat(m.asDouble()).as(what + " median of step " + step.index())
                        .isCloseTo(median, org.assertj.core.data.Offset.offset(Math.max(0.001, median * 0.02)));
            }
        }
    }
}
