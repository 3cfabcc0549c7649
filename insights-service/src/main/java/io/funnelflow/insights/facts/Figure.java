package io.funnelflow.insights.facts;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;

/**
 * One number of a fact, rounded as it is presented.
 *
 * @param value the value as presented (already rounded to the unit's decimals)
 * @param unit  what it counts
 * @param text  how it is written in a sentence: {@code 12.5%}, {@code 3.2 pp}, {@code 1,234.50}, {@code 14:00}
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Figure(BigDecimal value, Unit unit, String text) {

    public static Figure of(double value, Unit unit) {
        return of(BigDecimal.valueOf(value), unit);
    }

    public static Figure of(BigDecimal value, Unit unit) {
        BigDecimal rounded = value.setScale(unit.decimals(), RoundingMode.HALF_UP);
        return new Figure(rounded, unit, write(rounded, unit));
    }

    /** A share of {@code part / whole} in percent; 0 when the whole is 0. */
    public static Figure percent(long part, long whole) {
        return of(whole == 0 ? 0.0 : part * 100.0 / whole, Unit.PERCENT);
    }

    public static Figure count(long n) {
        return of(BigDecimal.valueOf(n), Unit.COUNT);
    }

    private static String write(BigDecimal v, Unit unit) {
        DecimalFormat grouped = new DecimalFormat(unit.decimals() == 0 ? "#,##0" : "#,##0." + "0".repeat(unit.decimals()),
                DecimalFormatSymbols.getInstance(Locale.ROOT));
        return switch (unit) {
            case PERCENT -> grouped.format(v) + "%";
            case PERCENTAGE_POINTS -> grouped.format(v) + " pp";
            case HOUR -> String.format(Locale.ROOT, "%02d:00", v.intValue());
            default -> grouped.format(v);
        };
    }
}
