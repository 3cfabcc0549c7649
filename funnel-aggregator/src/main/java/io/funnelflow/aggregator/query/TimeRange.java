package io.funnelflow.aggregator.query;

import io.funnelflow.contract.json.Instants;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;

/**
 * The range a query covers, [from, to): {@code from}/{@code to} as ISO-8601 when given, else the last
 * {@code hours} hours (default 168) up to now. A session belongs to a range by its start.
 */
public record TimeRange(Instant from, Instant to) {

    public static final int DEFAULT_HOURS = 168;
    public static final int MAX_HOURS = 24 * 366 * 3;

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
        return new TimeRange(start, end);
    }

    private static Instant instant(String name, String text) {
        try {
            return Instants.parse(text);
        } catch (DateTimeException | IndexOutOfBoundsException e) {
            throw new BadParameterException(name, "must be an ISO-8601 date-time such as 2026-11-22T10:00:00Z");
        }
    }

    /** The range of the same length just before this one, to compare against. */
    public TimeRange previous() {
        Duration length = Duration.between(from, to);
        return new TimeRange(from.minus(length), from);
    }
}
