package io.funnelflow.contract.event;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * The numbers a shop can mean, judged before any arithmetic is done with them. A {@link BigDecimal} is
 * judged by its {@code precision()} and {@code scale()} alone, never by {@code toPlainString()} or a sum:
 * {@code 1e100000000} is one digit with a scale of minus a hundred million, refused in microseconds,
 * while adding it to anything would write out a hundred million digits.
 */
public final class Numbers {

    /** More integer digits than this is no price, revenue or count of a shop (a quadrillion). */
    public static final int MAX_INTEGER_DIGITS = 15;
    /** Money and quantities: more decimals than this is a rounding accident or an attack, not a price. */
    public static final int MAX_AMOUNT_DECIMALS = 6;
    /**
     * Numbers in free metadata may carry a JavaScript double as it prints (0.1 + 0.2 is
     * 0.30000000000000004, 17 decimals); what matters is that the exponent stays small.
     */
    public static final int MAX_METADATA_DECIMALS = 20;
    /** The longest text taken as a number ("12.50" sent as a string): no digit string worth parsing is longer. */
    public static final int MAX_NUMBER_TEXT_LENGTH = 40;

    private static final BigInteger INTEGER_LIMIT = BigInteger.TEN.pow(MAX_INTEGER_DIGITS);

    private Numbers() {
    }

    /** Why an amount (price, revenue, total, quantity) cannot be taken, or null when it can. */
    public static String amountProblem(BigDecimal value) {
        return problem(value, MAX_AMOUNT_DECIMALS);
    }

    /** Why {@code value} cannot be taken with at most {@code maxDecimals} decimals, or null when it can. */
    public static String problem(BigDecimal value, int maxDecimals) {
        long integerDigits = (long) value.precision() - value.scale();
        if (integerDigits > MAX_INTEGER_DIGITS) {
            return "has more than " + MAX_INTEGER_DIGITS + " integer digits";
        }
        // 12.5000000 has only one decimal a shop meant; trailing zeros are cheap to drop once the
        // integer part is known to be small (the JSON parser caps a number at 1000 characters)
        if (value.scale() > maxDecimals && value.stripTrailingZeros().scale() > maxDecimals) {
            return "has more than " + maxDecimals + " decimals";
        }
        return null;
    }

    /** Why a double cannot be taken (NaN and the infinities cannot be stored or written as JSON), or null. */
    public static String problem(double value, int maxDecimals) {
        if (!Double.isFinite(value)) {
            return "must be a finite number, not " + value;
        }
        return problem(BigDecimal.valueOf(value), maxDecimals);
    }

    /** Any number a JSON mapper may produce (Integer, Long, BigInteger, BigDecimal, Double, Float). */
    public static String problem(Number value, int maxDecimals) {
        if (value instanceof BigDecimal d) {
            return problem(d, maxDecimals);
        }
        if (value instanceof Double || value instanceof Float) {
            return problem(value.doubleValue(), maxDecimals);
        }
        if (value instanceof BigInteger i) {
            return i.abs().compareTo(INTEGER_LIMIT) >= 0 ? "has more than " + MAX_INTEGER_DIGITS + " integer digits" : null;
        }
        long v = value.longValue();
        return v >= INTEGER_LIMIT.longValue() || v <= -INTEGER_LIMIT.longValue()
                ? "has more than " + MAX_INTEGER_DIGITS + " integer digits" : null;
    }

    /**
     * Reads a number sent as text ({@code "12.50"}), refusing before parsing what is too long to be
     * one: parsing a string of a million digits takes seconds.
     *
     * @throws NumberFormatException when it is not a number or is too long to be one
     */
    public static BigDecimal parse(String text) {
        String t = text.trim();
        if (t.length() > MAX_NUMBER_TEXT_LENGTH) {
            throw new NumberFormatException("longer than " + MAX_NUMBER_TEXT_LENGTH + " characters");
        }
        return new BigDecimal(t);
    }
}
