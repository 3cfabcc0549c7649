package io.funnelflow.contract.event;

import io.funnelflow.contract.json.Json;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The rules every accepted event satisfies, in one place: ingest applies them to what it receives,
 * the aggregator to what it reads, tests and the simulator to what they make.
 *
 * <p>Rules are checked on the event as the server accepts it (after {@link TrackedEvent#accepted}),
 * so that the skew-corrected time can be judged. All violations are returned, first the most basic.
 *
 * <p>Every value is bounded: amounts by their digits ({@link Numbers}), identifiers and names by their
 * length and characters ({@link Texts}), times by a range PostgreSQL can store, metadata by
 * {@link MetadataLimits}. Free text holding control characters is refused here too: ingest removes
 * them first ({@link #stripFreeText}), so only an event written to the topic by another producer can
 * still hold them.
 */
public final class EventValidator {

    /** Earliest event time the platform takes: anything before is a broken clock, not history. */
    public static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
    /**
     * The range of a raw client time ({@code timestamp}, {@code sent_at}): a wrong clock is corrected, so
     * a raw time may lie far from now, but not outside what PostgreSQL and a shop's history can hold.
     */
    public static final Instant RAW_EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
    public static final Instant RAW_LATEST = Instant.parse("2100-01-01T00:00:00Z");
    public static final int MAX_ID_LENGTH = 200;
    public static final int MAX_NAME_LENGTH = 100;
    public static final int MAX_TEXT_LENGTH = 512;
    public static final int MAX_URL_LENGTH = 2048;
    public static final int MAX_QUANTITY = 100_000;

    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

    private final Duration futureTolerance;
    private final MetadataLimits limits;

    /**
     * @param futureTolerance how far past the server's clock a corrected event time may lie
     * @param limits          how much metadata an event may carry
     */
    public EventValidator(Duration futureTolerance, MetadataLimits limits) {
        this.futureTolerance = futureTolerance;
        this.limits = limits;
    }

    public EventValidator(Duration futureTolerance) {
        this(futureTolerance, MetadataLimits.defaults());
    }

    public EventValidator() {
        this(Duration.ofMinutes(10));
    }

    /**
     * The event with control characters and unpaired surrogates removed from its free text (page URL,
     * referrer, campaign fields, product name, metadata string values); identifiers and names are left
     * as they are, for {@link #validate} to refuse.
     */
    public static TrackedEvent stripFreeText(TrackedEvent e) {
        Map<String, Object> metadata = e.metadata() == null ? null : stripValues(e.metadata());
        String pageUrl = Texts.strip(e.pageUrl());
        String referrer = Texts.strip(e.referrer());
        String source = Texts.strip(e.utmSource());
        String medium = Texts.strip(e.utmMedium());
        String campaign = Texts.strip(e.utmCampaign());
        String productName = Texts.strip(e.productName());
        if (metadata == e.metadata() && pageUrl == e.pageUrl() && referrer == e.referrer() && source == e.utmSource()
                && medium == e.utmMedium() && campaign == e.utmCampaign() && productName == e.productName()) {
            return e;
        }
        return new TrackedEvent(e.eventId(), e.eventType(), e.timestamp(), e.sentAt(), e.receivedAt(), e.eventTime(),
                e.sessionId(), e.userId(), e.anonymousId(), pageUrl, referrer, source, medium, campaign, e.platform(),
                e.device(), e.productId(), productName, e.price(), e.quantity(), e.revenue(), e.currency(), metadata);
    }

    @SuppressWarnings("unchecked")
    private static <T> T stripValue(T value) {
        if (value instanceof String s) {
            return (T) Texts.strip(s);
        }
        if (value instanceof Map<?, ?> m) {
            return (T) stripValues((Map<String, Object>) m);
        }
        if (value instanceof List<?> l) {
            List<Object> out = null;
            for (int i = 0; i < l.size(); i++) {
                Object v = l.get(i);
                Object s = stripValue(v);
                if (s != v && out == null) {
                    out = new ArrayList<>(l.subList(0, i));
                }
                if (out != null) {
                    out.add(s);
                }
            }
            return out == null ? value : (T) out;
        }
        return value;
    }

    private static Map<String, Object> stripValues(Map<String, Object> m) {
        Map<String, Object> out = null;
        for (Map.Entry<String, Object> entry : m.entrySet()) {
            Object v = entry.getValue();
            Object s = stripValue(v);
            if (s != v && out == null) {
                out = new LinkedHashMap<>(m);
            }
            if (out != null) {
                out.put(entry.getKey(), s);
            }
        }
        return out == null ? m : out;
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
        rawTime(out, "timestamp", e.timestamp());
        rawTime(out, "sent_at", e.sentAt());
        rawTime(out, "received_at", e.receivedAt());
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
        amount(out, "price", e.price());
        amount(out, "revenue", e.revenue());
        if (e.quantity() != null && (e.quantity() < 0 || e.quantity() > MAX_QUANTITY)) {
            out.add(new Violation("quantity", "must be between 0 and " + MAX_QUANTITY));
        }
        if (e.currency() != null && !CURRENCY.matcher(e.currency()).matches()) {
            out.add(new Violation("currency", "must be a three-letter ISO 4217 code such as EUR"));
        }
        if (e.is(EventType.PURCHASE) && e.revenue() == null) {
            out.add(new Violation("revenue", "is required for a purchase"));
        }
        Violation metadata = metadata(e.metadata());
        if (metadata != null) {
            out.add(metadata);
        }
        return out;
    }

    private static void rawTime(List<Violation> out, String field, Instant t) {
        if (t != null && (t.isBefore(RAW_EARLIEST) || !t.isBefore(RAW_LATEST))) {
            out.add(new Violation(field, "must lie between " + RAW_EARLIEST + " and " + RAW_LATEST
                    + " (a wrong client clock is corrected with sent_at, but this is no clock)"));
        }
    }

    private void time(List<Violation> out, TrackedEvent e) {
        Instant t = e.eventTime();
        if (t == null) {
            return;
        }
        if (t.isBefore(EARLIEST) || !t.isBefore(RAW_LATEST)) {
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
        } else {
            String problem = Texts.problem(value);
            if (problem != null) {
                out.add(new Violation(field, problem));
            }
        }
    }

    private static void name(List<Violation> out, String field, String value) {
        if (value == null) {
            return;
        }
        if (value.length() > MAX_NAME_LENGTH) {
            out.add(new Violation(field, "is longer than " + MAX_NAME_LENGTH + " characters"));
        } else {
            String problem = Texts.problem(value);
            if (problem != null) {
                out.add(new Violation(field, problem));
            }
        }
    }

    private static void text(List<Violation> out, String field, String value, int max) {
        if (value == null) {
            return;
        }
        if (value.length() > max) {
            out.add(new Violation(field, "is longer than " + max + " characters"));
        } else {
            String problem = Texts.problem(value);
            if (problem != null) {
                out.add(new Violation(field, problem));
            }
        }
    }

    private static void amount(List<Violation> out, String field, BigDecimal value) {
        if (value == null) {
            return;
        }
        String problem = Numbers.amountProblem(value);
        if (problem != null) {
            out.add(new Violation(field, problem));
        } else if (value.signum() < 0) {
            out.add(new Violation(field, "must not be negative"));
        }
    }

    /** The first thing wrong with the metadata, or null: its shape and values first, then its size. */
    private Violation metadata(Map<String, Object> metadata) {
        if (metadata == null) {
            return null;
        }
        Violation shape = value("metadata", metadata, 1);
        if (shape != null) {
            return shape;
        }
        SizeLimit size = new SizeLimit(limits.maxBytes());
        try {
            Json.mapper().writeValue(size, metadata);
        } catch (IOException e) {
            return size.over ? new Violation("metadata", "is larger than " + limits.maxBytes() + " bytes as JSON")
                    : new Violation("metadata", "cannot be written as JSON: " + e.getMessage());
        }
        return null;
    }

    private Violation value(String path, Object value, int depth) {
        if (value == null || value instanceof Boolean) {
            return null;
        }
        if (value instanceof String s) {
            if (s.length() > limits.maxValueLength()) {
                return new Violation(path, "is longer than " + limits.maxValueLength() + " characters");
            }
            String problem = Texts.problem(s);
            return problem == null ? null : new Violation(path, problem);
        }
        if (value instanceof Number n) {
            String problem = Numbers.problem(n, Numbers.MAX_METADATA_DECIMALS);
            return problem == null ? null : new Violation(path, problem);
        }
        if (value instanceof Map<?, ?> map) {
            if (depth > limits.maxDepth()) {
                return new Violation(path, "nests deeper than " + limits.maxDepth() + " levels of metadata");
            }
            if (map.size() > limits.maxKeys()) {
                return new Violation(path, "has more than " + limits.maxKeys() + " keys");
            }
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                String key = String.valueOf(entry.getKey());
                if (key.isEmpty()) {
                    return new Violation(path, "has an empty key");
                }
                if (key.length() > limits.maxKeyLength()) {
                    return new Violation(path, "has a key longer than " + limits.maxKeyLength() + " characters");
                }
                String problem = Texts.problem(key);
                if (problem != null) {
                    return new Violation(path, "has a key that " + problem);
                }
                Violation inner = value(path + "." + key, entry.getValue(), depth + 1);
                if (inner != null) {
                    return inner;
                }
            }
            return null;
        }
        if (value instanceof List<?> list) {
            if (depth > limits.maxDepth()) {
                return new Violation(path, "nests deeper than " + limits.maxDepth() + " levels of metadata");
            }
            if (list.size() > limits.maxArrayLength()) {
                return new Violation(path, "has more than " + limits.maxArrayLength() + " elements");
            }
            for (int i = 0; i < list.size(); i++) {
                Violation inner = value(path + "[" + i + "]", list.get(i), depth + 1);
                if (inner != null) {
                    return inner;
                }
            }
            return null;
        }
        return new Violation(path, "must be a string, number, boolean, object or array");
    }

    /** Counts what is written and stops the writer once it passes the limit. */
    private static final class SizeLimit extends OutputStream {
        private final long max;
        private long written;
        private boolean over;

        SizeLimit(long max) {
            this.max = max;
        }

        @Override
        public void write(int b) throws IOException {
            add(1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            add(len);
        }

        private void add(int n) throws IOException {
            written += n;
            if (written > max) {
                over = true;
                throw new IOException("over " + max + " bytes");
            }
        }
    }
}
