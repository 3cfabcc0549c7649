package io.funnelflow.aggregator.query;

import io.funnelflow.contract.json.Instants;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;

/**
 * The range a query covers, [from, to): {@code from}/{@code to} as ISO-8601 when given, else the last
 * {@code hours} hours (default 168) up to now. A session belongs to a range by its start. However it
 * is given, a range is at most {@link #MAX_HOURS} long and lies between 1970 and the year 10000.
 */
public record TimeRange(Instant from, Instant to) {

    public static final int DEFAULT_HOURS = 168;
    public static final int MAX_HOURS = 24 * 366 * 3;
    static final Instant EARLIEST = Instant.EPOCH;
    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    public static TimeRange of(String hours, String from, String to, Clock clock) {
        Instant now = clock.instant();
        Instant end = to == null || to.isBlank() ? now : instant("to", to);
        Instant start;
        if (from != null && !from.isBlank()) {
            start = instant("from", from);
        } else {
            int h = DEFAULT_HOURS;
            if (hours != null && !hours.isBlank()) {
                try {
                    h = Integer.parseInt(hours.trim());
                } catch (NumberFormatException e) {
                    throw new BadParameterException("hours", "must be a whole number of hours, not '" + hours + "'");
                }
                if (h < 1 || h > MAX_HOURS) {
                    throw new BadParameterException("hours", "must be between 1 and " + MAX_HOURS);
                }
            }
            start = end.minus(Duration.ofHours(h));
        }
        if (!start.isBefore(end)) {
            throw new BadParameterException("from", "must be before to");
        }
        if (Duration.between(start, end).compareTo(Duration.ofHours(MAX_HOURS)) > 0) {
            throw new BadParameterException(from != null && !from.isBlank() ? "from" : "hours",
                    "the range may cover at most " + MAX_HOURS + " hours (three years)");
        }
        return new TimeRange(start, end);
    }

    private static Instant instant(String name, String text) {
        Instant at;
        try {
            at = Instants.parse(text);
        } catch (DateTimeException | IndexOutOfBoundsException e) {
            throw new BadParameterException(name, "must be an ISO-8601 date-time such as 2026-11-22T10:00:00Z");
        }
        if (at.isBefore(EARLIEST) || at.isAfter(LATEST)) {
            throw new BadParameterException(name, "must lie between 1970-01-01T00:00:00Z and 9999-12-31T23:59:59Z");
        }
        return at;
    }

    /** The range of the same length just before this one, to compare against. */
    public TimeRange previous() {
        Duration length = Duration.between(from, to);
        return new TimeRange(from.minus(length), from);
    }
}
