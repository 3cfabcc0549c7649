package io.funnelflow.contract.event;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The rules every accepted event satisfies, in one place: ingest applies them to what it receives,
 * the aggregator to what it reads, tests and the simulator to what they make.
 *
 * <p>Rules are checked on the event as the server accepts it (after {@link TrackedEvent#accepted}),
 * so that the skew-corrected time can be judged. All violations are returned, first the most basic.
 */
public final class EventValidator {

    /** Earliest event time the platform takes: anything before is a broken clock, not history. */
    public static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
    public static final int MAX_ID_LENGTH = 200;
    public static final int MAX_NAME_LENGTH = 100;
    public static final int MAX_TEXT_LENGTH = 512;
    public static final int MAX_URL_LENGTH = 2048;
    public static final int MAX_QUANTITY = 100_000;
    public static final int MAX_METADATA_KEYS = 100;

    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

    private final Duration futureTolerance;

    /** @param futureTolerance how far past the server's clock a corrected event time may lie */
    public EventValidator(Duration futureTolerance) {
        this.futureTolerance = futureTolerance;
    }

    public EventValidator() {
        this(Duration.ofMinutes(10));
    }

    public List<Violation> validate(TrackedEvent e) {
        List<Violation> out = new ArrayList<>(2);
        if (e.eventType() == null || e.eventType().isBlank()) {
            out.add(new Violation("event_type", "is required"));
        } else {
            name(out, "event_type", e.eventType());
        }
        if (e.sessionKey() == null) {
            out.add(new Violation("session_id", "one of session_id, anonymous_id or user_id is required"));
        }
        id(out, "event_id", e.eventId());
        id(out, "session_id", e.sessionId());
        id(out, "user_id", e.userId());
        id(out, "anonymous_id", e.anonymousId());
        time(out, e);
        text(out, "page_url", e.pageUrl(), MAX_URL_LENGTH);
        text(out, "referrer", e.referrer(), MAX_URL_LENGTH);
        text(out, "utm_source", e.utmSource(), MAX_TEXT_LENGTH);
        text(out, "utm_medium", e.utmMedium(), MAX_TEXT_LENGTH);
        text(out, "utm_campaign", e.utmCampaign(), MAX_TEXT_LENGTH);
        name(out, "platform", e.platform());
        name(out, "device", e.device());
        id(out, "product_id", e.productId());
        text(out, "product_name", e.productName(), MAX_TEXT_LENGTH);
        nonNegative(out, "price", e.price());
        nonNegative(out, "revenue", e.revenue());
        if (e.quantity() != null && (e.quantity() < 0 || e.quantity() > MAX_QUANTITY)) {
            out.add(new Violation("quantity", "must be between 0 and " + MAX_QUANTITY));
        }
        if (e.currency() != null && !CURRENCY.matcher(e.currency()).matches()) {
            out.add(new Violation("currency", "must be a three-letter ISO 4217 code such as EUR"));
        }
        if (e.is(EventType.PURCHASE) && e.revenue() == null) {
            out.add(new Violation("revenue", "is required for a purchase"));
        }
        Map<String, Object> metadata = e.metadata();
        if (metadata != null && metadata.size() > MAX_METADATA_KEYS) {
            out.add(new Violation("metadata", "has more than " + MAX_METADATA_KEYS + " keys"));
        }
        return out;
    }

    private void time(List<Violation> out, TrackedEvent e) {
        Instant t = e.eventTime();
        if (t == null) {
            return;
        }
        if (t.isBefore(EARLIEST)) {
            out.add(new Violation("timestamp", "is before " + EARLIEST + " after clock-skew correction"));
        } else if (e.receivedAt() != null && t.isAfter(e.receivedAt().plus(futureTolerance))) {
            out.add(new Violation("timestamp", "lies " + Duration.between(e.receivedAt(), t).toSeconds()
                    + " s in the future after clock-skew correction (send sent_at to correct a wrong client clock)"));
        }
    }

    private static void id(List<Violation> out, String field, String value) {
        if (value == null) {
            return;
        }
        if (value.isBlank()) {
            out.add(new Violation(field, "must not be blank"));
        } else if (value.length() > MAX_ID_LENGTH) {
            out.add(new Violation(field, "is longer than " + MAX_ID_LENGTH + " characters"));
        } else if (hasControlChars(value)) {
            out.add(new Violation(field, "contains control characters"));
        }
    }

    private static void name(List<Violation> out, String field, String value) {
        if (value == null) {
            return;
        }
        if (value.length() > MAX_NAME_LENGTH) {
            out.add(new Violation(field, "is longer than " + MAX_NAME_LENGTH + " characters"));
        } else if (hasControlChars(value)) {
            out.add(new Violation(field, "contains control characters"));
        }
    }

    private static boolean hasControlChars(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return true;
            }
        }
        return false;
    }

    private static void text(List<Violation> out, String field, String value, int max) {
        if (value != null && value.length() > max) {
            out.add(new Violation(field, "is longer than " + max + " characters"));
        }
    }

    private static void nonNegative(List<Violation> out, String field, BigDecimal value) {
        if (value != null && value.signum() < 0) {
            out.add(new Violation(field, "must not be negative"));
        }
    }
}
