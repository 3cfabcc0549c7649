package io.funnelflow.ingest.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.funnelflow.contract.event.EventType;
import io.funnelflow.contract.event.Numbers;
import io.funnelflow.contract.event.TrackedEvent;
import io.funnelflow.contract.event.Violation;
import io.funnelflow.contract.json.Json;
import io.funnelflow.ingest.track.Bodies;
import io.funnelflow.ingest.track.BodyFormat;
import io.funnelflow.ingest.track.BodyRejectedException;
import io.funnelflow.ingest.track.Candidate;
import io.funnelflow.ingest.track.Envelope;

import java.math.BigDecimal;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The Segment HTTP tracking API, as Segment's and RudderStack's SDKs send it, read into FunnelFlow events:
 * {@code messageId} is the event id, {@code context.page} and {@code context.campaign} give the page and
 * UTM fields, Segment's e-commerce spec events become the standard types, and every property that has
 * no field of its own is kept in {@code metadata}.
 */
public final class SegmentFormat {

    /** The call types of the Segment API. */
    public enum Call {
        TRACK, PAGE, SCREEN, IDENTIFY, ALIAS, GROUP;

        static Call of(String type) {
            if (type == null) {
                return null;
            }
            try {
                return valueOf(type.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
    }

    /** Segment's e-commerce spec v2 event names and what they are here. */
    static final Map<String, EventType> ECOMMERCE = Map.of(
            "Product Viewed", EventType.PRODUCT_VIEW,
            "Product Added", EventType.ADD_TO_CART,
            "Product Removed", EventType.REMOVE_FROM_CART,
            "Checkout Started", EventType.CHECKOUT_START,
            "Order Completed", EventType.PURCHASE);

    private static final Set<String> MAPPED_PROPERTIES = Set.of("product_id", "id", "sku", "name", "price", "quantity",
            "currency", "revenue", "total", "url", "referrer", "session_id");
    private static final Pattern TABLET = Pattern.compile("iPad|Tablet|PlayBook|Silk", Pattern.CASE_INSENSITIVE);
    private static final Pattern MOBILE = Pattern.compile("Mobi|iPhone|iPod|Android", Pattern.CASE_INSENSITIVE);
    private static final String[] WRITE_KEY = {"writeKey", "write_key"};
    private static final List<String> WRITE_KEY_FIELDS = List.of(WRITE_KEY);

    /** {@code /v1/batch} and {@code /v1/import}. */
    public static final BodyFormat BATCH = new BodyFormat() {
        @Override
        public String eventsField() {
            return "batch";
        }

        @Override
        public List<String> writeKeyFields() {
            return WRITE_KEY_FIELDS;
        }

        @Override
        public Envelope read(byte[] json, int maxEvents) {
            return batch(Bodies.parse(json), maxEvents);
        }
    };

    private SegmentFormat() {
    }

    /** {@code /v1/track}, {@code /v1/page} …: the body is one message of the call's type. */
    public static BodyFormat single(Call call) {
        return new BodyFormat() {
            @Override
            public String eventsField() {
                return null;
            }

            @Override
            public List<String> writeKeyFields() {
                return WRITE_KEY_FIELDS;
            }

            @Override
            public Envelope read(byte[] json, int maxEvents) {
                return single(call, Bodies.parse(json));
            }
        };
    }

    /** {@code /v1/batch}: {@code {"batch": [...], "sentAt": ..., "writeKey": ...}}, each message with its {@code type}. */
    public static Envelope batch(JsonNode root, int maxEvents) {
        JsonNode batch = root.get("batch");
        if (batch == null || !batch.isArray()) {
            throw BodyRejectedException.invalid("batch", "is required: a JSON array of Segment messages");
        }
        if (batch.size() > maxEvents) {
            throw BodyRejectedException.tooLarge("batch", "holds " + batch.size() + " messages; at most " + maxEvents + " per batch");
        }
        JsonNode sharedContext = root.path("context");
        List<Candidate> candidates = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            JsonNode message = batch.get(i);
            Call call = Call.of(message.path("type").asText(null));
            if (call == null) {
                candidates.add(Candidate.unreadable(i, message,
                        new Violation("type", "must be one of track, page, screen, identify, alias, group")));
            } else {
                candidates.add(candidate(i, call, message, sharedContext));
            }
        }
        return new Envelope(candidates, Bodies.text(root, WRITE_KEY), Bodies.instant(root, "sentAt"));
    }

    /** {@code /v1/track}, {@code /v1/page} …: one message whose type is the endpoint's. */
    public static Envelope single(Call call, JsonNode message) {
        return new Envelope(List.of(candidate(0, call, message, null)), Bodies.text(message, WRITE_KEY), null);
    }

    static Candidate candidate(int index, Call call, JsonNode m, JsonNode sharedContext) {
        if (!m.isObject()) {
            return Candidate.unreadable(index, m, new Violation("message", "must be a JSON object"));
        }
        try {
            return Candidate.of(index, translate(call, m, sharedContext), m);
        } catch (BodyRejectedException e) {
            return Candidate.unreadable(index, m, e.violation());
        }
    }

    static TrackedEvent translate(Call call, JsonNode m, JsonNode sharedContext) {
        JsonNode context = m.has("context") ? m.get("context") : sharedContext == null ? Json.mapper().missingNode() : sharedContext;
        JsonNode props = m.path(call == Call.IDENTIFY || call == Call.GROUP ? "traits" : "properties");
        JsonNode page = context.path("page");
        String eventType = eventType(call, m);
        EventType standard = EventType.fromWireName(eventType).orElse(null);

        String url = firstText(props.path("url"), page.path("url"));
        String referrer = firstText(props.path("referrer"), page.path("referrer"));
        JsonNode campaign = context.path("campaign");
        Map<String, String> query = utmFromUrl(url);
        String userAgent = firstText(context.path("userAgent"));
        boolean product = standard == EventType.PRODUCT_VIEW || standard == EventType.ADD_TO_CART
                || standard == EventType.REMOVE_FROM_CART;

        BigDecimal revenue = decimal(props, "revenue");
        if (revenue == null) {
            revenue = decimal(props, "total");
        }
        if (revenue == null && standard == EventType.PURCHASE) {
            revenue = productsTotal(props.path("products"));
        }

        return new TrackedEvent(
                firstText(m.path("messageId")),
                eventType,
                instant(m, "timestamp", "originalTimestamp"),
                instant(m, "sentAt"),
                null,
                null,
                firstText(context.path("sessionId"), props.path("session_id")),
                firstText(m.path("userId")),
                firstText(m.path("anonymousId")),
                url,
                referrer,
                firstNonNull(firstText(campaign.path("source")), query.get("utm_source")),
                firstNonNull(firstText(campaign.path("medium")), query.get("utm_medium")),
                firstNonNull(firstText(campaign.path("name")), query.get("utm_campaign")),
                platform(context),
                device(context, userAgent),
                firstText(props.path("product_id"), props.path("id"), props.path("sku")),
                product ? firstText(props.path("name")) : null,
                decimal(props, "price"),
                quantity(props),
                revenue,
                currency(props),
                metadata(call, m, props, product));
    }

    private static String eventType(Call call, JsonNode m) {
        return switch (call) {
            case TRACK -> {
                String event = firstText(m.path("event"));
                if (event == null) {
                    throw BodyRejectedException.invalid("event", "is required for a track call");
                }
                EventType standard = ECOMMERCE.get(event);
                yield standard != null ? standard.wireName() : event;
            }
            case PAGE, SCREEN -> EventType.PAGE_VIEW.wireName();
            case IDENTIFY -> EventType.IDENTIFY.wireName();
            case ALIAS -> "alias";
            case GROUP -> "group";
        };
    }

    private static Map<String, Object> metadata(Call call, JsonNode m, JsonNode props, boolean product) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (props.isObject()) {
            ObjectNode rest = ((ObjectNode) props).deepCopy();
            if (call != Call.IDENTIFY && call != Call.GROUP) {
                rest.remove(MAPPED_PROPERTIES);
                if (!product && props.has("name")) {
                    rest.set("name", props.get("name"));
                }
            }
            rest.fields().forEachRemaining(f -> out.put(f.getKey(), Json.mapper().convertValue(f.getValue(), Object.class)));
        }
        switch (call) {
            case PAGE, SCREEN -> putText(out, "name", m.path("name"));
            case ALIAS -> putText(out, "previous_id", m.path("previousId"));
            case GROUP -> putText(out, "group_id", m.path("groupId"));
            default -> { }
        }
        if (call == Call.SCREEN) {
            out.put("screen", true);
        }
        return out.isEmpty() ? null : out;
    }

    private static void putText(Map<String, Object> out, String key, JsonNode value) {
        String text = firstText(value);
        if (text != null) {
            out.put(key, text);
        }
    }

    private static String platform(JsonNode context) {
        String os = firstText(context.path("os").path("name"), context.path("device").path("type"));
        if (os != null) {
            String lower = os.toLowerCase(Locale.ROOT);
            if (lower.contains("ios") || lower.contains("iphone") || lower.contains("ipad")) {
                return "ios";
            }
            if (lower.contains("android")) {
                return "android";
            }
        }
        if (context.has("page") || context.has("userAgent")) {
            return "web";
        }
        return null;
    }

    private static String device(JsonNode context, String userAgent) {
        String type = firstText(context.path("device").path("type"));
        if (type != null) {
            String lower = type.toLowerCase(Locale.ROOT);
            if (lower.equals("mobile") || lower.equals("tablet") || lower.equals("desktop")) {
                return lower;
            }
            if (lower.equals("ios") || lower.equals("android")) {
                String model = firstText(context.path("device").path("model"));
                return model != null && TABLET.matcher(model).find() ? "tablet" : "mobile";
            }
        }
        if (userAgent == null) {
            return null;
        }
        if (TABLET.matcher(userAgent).find()) {
            return "tablet";
        }
        return MOBILE.matcher(userAgent).find() ? "mobile" : "desktop";
    }

    private static Map<String, String> utmFromUrl(String url) {
        if (url == null || !url.contains("utm_")) {
            return Map.of();
        }
        Map<String, String> out = new HashMap<>();
        try {
            String query = URI.create(url).getRawQuery();
            if (query != null) {
                for (String pair : query.split("&")) {
                    int eq = pair.indexOf('=');
                    if (eq > 0 && pair.startsWith("utm_")) {
                        out.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                    }
                }
            }
        } catch (IllegalArgumentException e) {
            // not a URL we can read; the campaign stays unknown
        }
        return out;
    }

    private static BigDecimal productsTotal(JsonNode products) {
        if (!products.isArray() || products.isEmpty()) {
            return null;
        }
        BigDecimal total = BigDecimal.ZERO;
        for (int i = 0; i < products.size(); i++) {
            JsonNode p = products.get(i);
            String path = "properties.products[" + i + "].";
            BigDecimal price = decimal(p, "price", path);
            BigDecimal qty = p.has("quantity") ? decimal(p, "quantity", path) : BigDecimal.ONE;
            if (price != null) {
                // both are bounded (15 integer digits, 6 decimals), so the product and the sum stay small
                total = total.add(price.multiply(qty == null ? BigDecimal.ONE : qty));
            }
        }
        return total;
    }

    private static BigDecimal decimal(JsonNode node, String field) {
        return decimal(node, field, "properties.");
    }

    /**
     * A number property, bounded before anything is computed from it: a number node is judged by its
     * digits, a string is parsed only when short enough to be a number.
     */
    private static BigDecimal decimal(JsonNode node, String field, String path) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        BigDecimal value = null;
        if (v.isNumber()) {
            value = v.isFloatingPointNumber() && !v.isBigDecimal() ? finite(v.doubleValue(), path + field) : v.decimalValue();
        } else if (v.isTextual()) {
            try {
                value = Numbers.parse(v.asText());
            } catch (NumberFormatException e) {
                // not a number: said below
            }
        }
        if (value == null) {
            throw BodyRejectedException.invalid(path + field, "must be a number");
        }
        String problem = Numbers.amountProblem(value);
        if (problem != null) {
            throw BodyRejectedException.invalid(path + field, problem);
        }
        return value;
    }

    private static BigDecimal finite(double d, String field) {
        if (!Double.isFinite(d)) {
            throw BodyRejectedException.invalid(field, "must be a finite number");
        }
        return BigDecimal.valueOf(d);
    }

    private static Integer quantity(JsonNode props) {
        BigDecimal q = decimal(props, "quantity");
        if (q == null) {
            return null;
        }
        try {
            return q.intValueExact();
        } catch (ArithmeticException e) {
            throw BodyRejectedException.invalid("properties.quantity", "must be a whole number");
        }
    }

    private static String currency(JsonNode props) {
        String c = firstText(props.path("currency"));
        return c == null ? null : c.toUpperCase(Locale.ROOT);
    }

    private static Instant instant(JsonNode m, String... fields) {
        for (String f : fields) {
            JsonNode v = m.get(f);
            if (v != null && !v.isNull()) {
                Instant t = Bodies.instantOf(v);
                if (t == null) {
                    throw BodyRejectedException.invalid(f, "must be an ISO-8601 date-time such as 2026-11-22T10:15:30.000Z");
                }
                return t;
            }
        }
        return null;
    }

    private static String firstText(JsonNode... nodes) {
        for (JsonNode n : nodes) {
            if (n != null && (n.isTextual() || n.isNumber()) && !n.asText().isBlank()) {
                return n.asText();
            }
        }
        return null;
    }

    private static String firstNonNull(String a, String b) {
        return a != null ? a : b;
    }
}
