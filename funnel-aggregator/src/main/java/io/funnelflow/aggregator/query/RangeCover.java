package io.funnelflow.aggregator.query;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The buckets that answer a range: the range widened to whole hours (figures are kept per hour of
 * session start or event time), read as whole days where the range holds them and as hours at its
 * edges — so a month reads about thirty day rows and at most 46 hour rows per value, never a row per
 * session or event.
 *
 * @param from the widened start (a whole hour at or before the range's)
 * @param to   the widened end (a whole hour at or after the range's)
 */
public record RangeCover(Instant from, Instant to, @JsonIgnore Instant firstDay, @JsonIgnore Instant endDay) {

    public static RangeCover of(TimeRange range) {
        Instant from = range.from().truncatedTo(ChronoUnit.HOURS);
        Instant to = range.to().truncatedTo(ChronoUnit.HOURS);
        if (to.isBefore(range.to())) {
            to = to.plus(1, ChronoUnit.HOURS);
        }
        Instant firstDay = from.truncatedTo(ChronoUnit.DAYS);
        if (firstDay.isBefore(from)) {
            firstDay = firstDay.plus(1, ChronoUnit.DAYS);
        }
        Instant endDay = to.truncatedTo(ChronoUnit.DAYS);
        if (!firstDay.isBefore(endDay)) {
            firstDay = to;
            endDay = to;
        }
        return new RangeCover(from, to, firstDay, endDay);
    }

    /** The granularity the answer is given in. */
    public String granularity() {
        return "hour";
    }

    /**
     * A condition on {@code granularity} and {@code bucket_start} that selects exactly the rows covering
     * the range; bind it with {@link #bind} (six timestamps).
     */
    static String condition() {
        return "((granularity = 'd' AND bucket_start >= ? AND bucket_start < ?)"
                + " OR (granularity = 'h' AND ((bucket_start >= ? AND bucket_start < ?) OR (bucket_start >= ? AND bucket_start < ?))))";
    }

    /** Binds {@link #condition()} from parameter {@code index}; returns the next index. */
    int bind(PreparedStatement ps, int index) throws SQLException {
        ps.setTimestamp(index++, Timestamp.from(firstDay));
        ps.setTimestamp(index++, Timestamp.from(endDay));
        ps.setTimestamp(index++, Timestamp.from(from));
        ps.setTimestamp(index++, Timestamp.from(firstDay.equals(to) ? to : firstDay));
        ps.setTimestamp(index++, Timestamp.from(firstDay.equals(to) ? to : endDay));
        ps.setTimestamp(index++, Timestamp.from(to));
        return index;
    }

    /** Only hour rows over the whole widened range (for profiles by hour of day or weekday). */
    static String hourCondition() {
        return "(granularity = 'h' AND bucket_start >= ? AND bucket_start < ?)";
    }

    int bindHours(PreparedStatement ps, int index) throws SQLException {
        ps.setTimestamp(index++, Timestamp.from(from));
        ps.setTimestamp(index++, Timestamp.from(to));
        return index;
    }
}
