package io.funnelflow.insights.metrics;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The measured numbers of one range, as the facts engine reads them: fetched from the aggregator's
 * query API or posted in a request body ({@code {"metrics": {...}}}, the same field names).
 *
 * @param from            start of the range (inclusive), may be null for posted metrics
 * @param to              end of the range (exclusive), may be null for posted metrics
 * @param funnel          the funnel's steps in order, sessions reaching each
 * @param current         the range's key figures
 * @param previous        the same figures for the range of the same length just before; null when unknown
 * @param breakdown       the dimension of {@code segments} (utm_source, utm_medium, utm_campaign, platform)
 * @param segments        per value of the breakdown: sessions entering the funnel and completing it
 * @param devices         per device: sessions entering the funnel and completing it
 * @param revenueBySource revenue per utm_source
 * @param eventsByHour    events per hour of day (UTC), keyed 0..23
 * @param eventsByWeekdayHour events per weekday × hour cell (UTC), keyed 0..167 ({@link #WEEKDAY_HOURS})
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Metrics(Instant from, Instant to, List<Step> funnel, Period current, Period previous,
                      String breakdown, Map<String, Segment> segments, Map<String, Segment> devices,
                      Map<String, BigDecimal> revenueBySource, Map<Integer, Long> eventsByHour,
                      Map<Integer, Long> eventsByWeekdayHour) {

    /** The number of weekday × hour cells: key {@code (ISO weekday − 1) × 24 + hour}, Monday 00:00 = 0 … Sunday 23:00 = 167. */
    public static final int WEEKDAY_HOURS = 7 * 24;

    public Metrics {
        funnel = funnel == null ? List.of() : Collections.unmodifiableList(new java.util.ArrayList<>(funnel));
        segments = ordered(segments);
        devices = ordered(devices);
        revenueBySource = ordered(revenueBySource);
        eventsByHour = ordered(eventsByHour);
        eventsByWeekdayHour = ordered(eventsByWeekdayHour);
    }

    /** Metrics without the weekday × hour profile. */
    public Metrics(Instant from, Instant to, List<Step> funnel, Period current, Period previous, String breakdown,
                   Map<String, Segment> segments, Map<String, Segment> devices, Map<String, BigDecimal> revenueBySource,
                   Map<Integer, Long> eventsByHour) {
        this(from, to, funnel, current, previous, breakdown, segments, devices, revenueBySource, eventsByHour, null);
    }

    /** A read-only copy that keeps the given order (nulls allowed: the validator names them). */
    private static <K, V> Map<K, V> ordered(Map<K, V> map) {
        return map == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }

    /** One funnel step and the sessions that reached it. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Step(String label, long count) {
    }

    /** Key figures of a period. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Period(long sessions, long convertedSessions, BigDecimal revenue, long purchases,
                         long cartSessions, long abandonedCarts) {
    }

    /** Sessions of one dimension value that entered the funnel and that completed it. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Segment(long sessions, long converted) {
    }
}
