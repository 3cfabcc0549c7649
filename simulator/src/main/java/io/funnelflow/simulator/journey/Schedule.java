package io.funnelflow.simulator.journey;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * When visits start: more on busy weekdays and at busy hours, as the hour-of-day and weekday weights say,
 * so that trends show real peaks.
 */
public final class Schedule {

    private final double[] hourWeights;
    private final double[] weekdayWeights;

    public Schedule(double[] hourWeights, double[] weekdayWeights) {
        this.hourWeights = hourWeights.clone();
        this.weekdayWeights = weekdayWeights.clone();
    }

    /**
     * Start times of about {@code sessionsPerDay} visits a day over the {@code days} whole days (UTC) before
     * {@code end}'s day, in time order.
     */
    public List<Instant> history(SplittableRandom random, Instant end, int days, int sessionsPerDay) {
        double meanWeekday = 0;
        for (double w : weekdayWeights) {
            meanWeekday += w / weekdayWeights.length;
        }
        LocalDate last = LocalDate.ofInstant(end, ZoneOffset.UTC).minusDays(1);
        List<Instant> out = new ArrayList<>();
        for (int d = days - 1; d >= 0; d--) {
            LocalDate day = last.minusDays(d);
            DayOfWeek weekday = day.getDayOfWeek();
            int count = (int) Math.round(sessionsPerDay * weekdayWeights[weekday.getValue() - 1] / meanWeekday);
            List<Instant> starts = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                int hour = io.funnelflow.simulator.shop.Weighted.index(random, hourWeights);
                long second = hour * 3600L + random.nextInt(3600);
                starts.add(day.atStartOfDay().toInstant(ZoneOffset.UTC).plus(Duration.ofSeconds(second)));
            }
            starts.sort(null);
            out.addAll(starts);
        }
        return out;
    }
}
