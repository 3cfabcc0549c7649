package io.funnelflow.aggregator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.zip.GZIPOutputStream;

/**
 * Generates hostile and malformed ingest requests, whole: the path, the headers and the body bytes. Every
 * request starts from a valid one (FunnelFlow's own event or batch, or a Segment call or batch) and is
 * spoilt in one way drawn from the classes of bad input below, or its body or its credentials are; some
 * are left valid, so that accepted events flow on through the pipeline.
 *
 * <p>Values are written as raw JSON text, so that what no JSON library would write (1e100000000, a lone
 * surrogate escape, a thousand-digit number, 600 levels of nesting) is sent exactly as an attacker would.
 */
final class HostileRequests {

    /** A uniform draw in [0, bound): the property-based engine's randomness, so that failures shrink and replay. */
    @FunctionalInterface
    interface Source {
        int below(int bound);

        default <T> T pick(List<T> values) {
            return values.get(below(values.size()));
        }

        default boolean chance(int percent) {
            return below(100) < percent;
        }
    }

    /** The classes of bad input, for the report: each request says which one it belongs to. */
    static final List<String> CLASSES = List.of(
            "valid", "huge exponent", "too many digits", "control characters", "lone surrogate", "extreme time",
            "wrong type", "huge string", "deep metadata", "wide metadata", "long array", "hostile metadata key",
            "broken json", "broken gzip", "gzip bomb", "oversized body", "near the size limit", "too many events",
            "wrong key", "content type");

    record Request(String kind, String path, Map<String, String> headers, byte[] body) {
        @Override
        public String toString() {
            String text = new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8).replaceAll("\\p{Cntrl}", "?");
            return kind + " " + path + " " + headers.keySet() + " " + body.length + " bytes: " + text;
        }
    }

    private final String writeKey;
    private final Instant now;
    private int serial;

    HostileRequests(String writeKey, Instant now) {
        this.writeKey = writeKey;
        this.now = now;
    }

    // ---- values -----------------------------------------------------------------------------------

    static final List<String> HUGE_EXPONENTS = List.of("1e100000000", "-1e100000000", "1e-100000000", "1e400", "-1E+309",
            "1.7976931348623157e308", "4.9e-324", "1e999999999");
    static final List<String> TOO_MANY_DIGITS = List.of("9999999999999999", "0.0000001", "12.3456789", "1" + "0".repeat(999),
            "0." + "0".repeat(990) + "1", "-" + "9".repeat(40), "123456789012345678901234567890.5");
    static final List<String> CONTROL = List.of("\"a\\u0000b\"", "\"\\u0000\"", "\"bell\\u0007\"", "\"\\u001b[31mred\"",
            "\"line\\nbreak\"", "\"tab\\there\"", "\"c1\\u0085\\u009f\"", "\"del\\u007f\"");
    static final List<String> SURROGATES = List.of("\"x\\ud800y\"", "\"\\udfff\"", "\"end\\ud83d\"", "\"\\ude00\\ud83d\"",
            "\"\\ud800\\ud800\"");
    static final List<String> WRONG_TYPES = List.of("null", "true", "false", "[]", "{}", "[1,2,3]", "{\"a\":{\"b\":1}}",
            "123", "-1", "\"\"", "\" \"", "0.5");

    List<String> extremeTimes() {
        return List.of("\"0001-01-01T00:00:00Z\"", "\"9999-12-31T23:59:59.999999999Z\"", "\"1969-12-31T23:59:59Z\"",
                "\"2200-01-01T00:00:00Z\"", "\"1999-12-31T23:59:59Z\"", "-62135596800000", "9223372036854775807",
                "-9223372036854775808", "99999999999999999999", "1e20", "1.5", "\"2026-13-45T99:99:99Z\"",
                "\"yesterday\"", "\"" + now.plus(Duration.ofHours(3)) + "\"", "\"+100000-01-01T00:00:00Z\"",
                "\"2026-11-22T10:15:30.123456789123Z\"");
    }

    static String hugeString(Source r) {
        return "\"" + "x".repeat(r.pick(List.of(600, 3000, 100_000, 400_000))) + "\"";
    }

    static String deep(int levels, String leaf) {
        return "{\"d\":".repeat(levels) + leaf + "}".repeat(levels);
    }

    static String wide(int keys) {
        StringBuilder b = new StringBuilder("{");
        for (int i = 0; i < keys; i++) {
            b.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":").append(i);
        }
        return b.append('}').toString();
    }

    static String longArray(int n) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ",").append(i % 10);
        }
        return b.append(']').toString();
    }

    /** A hostile value of the given class, as raw JSON. */
    String value(Source r, String kind) {
        return switch (kind) {
            case "huge exponent" -> r.pick(HUGE_EXPONENTS);
            case "too many digits" -> r.pick(TOO_MANY_DIGITS);
            case "control characters" -> r.pick(CONTROL);
            case "lone surrogate" -> r.pick(SURROGATES);
            case "extreme time" -> r.pick(extremeTimes());
            case "wrong type" -> r.pick(WRONG_TYPES);
            case "huge string" -> hugeString(r);
            case "deep metadata" -> deep(r.pick(List.of(5, 6, 40, 400, 1200)), r.pick(List.of("1", "\"v\"", "1e400")));
            case "wide metadata" -> wide(r.pick(List.of(100, 101, 2000)));
            case "long array" -> longArray(r.pick(List.of(100, 101, 20_000)));
            case "hostile metadata key" -> "{" + r.pick(List.of("\"k\\u0000\"", "\"\\ud800\"", "\"\"", "\"" + "k".repeat(101) + "\"",
                    "\"a\\nb\"")) + ":1}";
            default -> throw new IllegalArgumentException(kind);
        };
    }

    static final List<String> VALUE_CLASSES = List.of("huge exponent", "too many digits", "control characters", "lone surrogate",
            "extreme time", "wrong type", "huge string", "deep metadata", "wide metadata", "long array", "hostile metadata key");

    // ---- events -----------------------------------------------------------------------------------

    private String id(String prefix) {
        return prefix + "-" + (++serial);
    }

    private String recent(Source r) {
        return "\"" + now.minus(Duration.ofMinutes(1 + r.below(60 * 24))) + "\"";
    }

    /** A valid FunnelFlow event, field by raw JSON value. */
    Map<String, String> ourEvent(Source r) {
        Map<String, String> e = new LinkedHashMap<>();
        String type = r.pick(List.of("page_view", "product_view", "add_to_cart", "checkout_start", "purchase", "video_played"));
        e.put("event_id", "\"" + id("fz-e") + "\"");
        e.put("event_type", "\"" + type + "\"");
        e.put("session_id", "\"" + id("fz-s") + "\"");
        e.put("anonymous_id", "\"" + id("fz-a") + "\"");
        e.put("timestamp", recent(r));
        e.put("page_url", "\"https://shop.example/p/" + r.below(100) + "?utm_source=google\"");
        e.put("utm_source", "\"google\"");
        e.put("device", "\"mobile\"");
        e.put("platform", "\"web\"");
        if (!type.equals("page_view")) {
            e.put("product_id", "\"p-" + r.below(60) + "\"");
            e.put("product_name", "\"Wool socks\"");
            e.put("price", "12.50");
            e.put("quantity", "2");
            e.put("currency", "\"EUR\"");
        }
        if (type.equals("purchase")) {
            e.put("revenue", "25.00");
        }
        e.put("metadata", "{\"category\":\"socks\",\"ratio\":0.30000000000000004}");
        return e;
    }

    static final List<String> OUR_FIELDS = List.of("event_id", "event_type", "session_id", "user_id", "anonymous_id", "timestamp",
            "sent_at", "page_url", "referrer", "utm_source", "utm_medium", "utm_campaign", "platform", "device", "product_id",
            "product_name", "price", "quantity", "revenue", "currency", "metadata", "metadata.value", "metadata.nested");

    /** Spoils one field of an event with a value of a class: a metadata value, a nested one, or the field itself. */
    void spoil(Source r, Map<String, String> e, String kind) {
        String field = r.pick(OUR_FIELDS);
        String v = value(r, kind);
        switch (field) {
            case "metadata.value" -> e.put("metadata", "{\"category\":" + v + "}");
            case "metadata.nested" -> e.put("metadata", "{\"a\":{\"b\":[" + v + "]}}");
            default -> e.put(field, v);
        }
    }

    static String object(Map<String, String> fields) {
        StringBuilder b = new StringBuilder("{");
        fields.forEach((k, v) -> b.append(b.length() == 1 ? "" : ",").append('"').append(k).append("\":").append(v));
        return b.append('}').toString();
    }

    /** A valid Segment message of one call type. */
    Map<String, String> segmentMessage(Source r, String type) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("type", "\"" + type + "\"");
        m.put("messageId", "\"" + id("fz-m") + "\"");
        m.put("anonymousId", "\"" + id("fz-v") + "\"");
        m.put("timestamp", recent(r));
        switch (type) {
            case "track" -> {
                String event = r.pick(List.of("Product Viewed", "Product Added", "Order Completed", "Checkout Started", "Coupon Applied"));
                m.put("event", "\"" + event + "\"");
                m.put("properties", event.equals("Order Completed")
                        ? "{\"order_id\":\"o-1\",\"currency\":\"EUR\",\"products\":[{\"product_id\":\"p-1\",\"price\":12.5,\"quantity\":2},{\"price\":\"5.50\"}]}"
                        : "{\"product_id\":\"p-1\",\"name\":\"Socks\",\"price\":12.5,\"quantity\":1,\"category\":\"socks\"}");
            }
            case "page", "screen" -> m.put("name", "\"Home\"");
            case "identify" -> {
                m.put("userId", "\"" + id("fz-u") + "\"");
                m.put("traits", "{\"plan\":\"gold\"}");
            }
            default -> {
            }
        }
        m.put("context", "{\"page\":{\"url\":\"https://shop.example/?utm_source=newsletter\"},\"campaign\":{\"source\":\"google\"},"
                + "\"userAgent\":\"Mozilla/5.0 (iPhone) Mobile\"}");
        return m;
    }

    static final List<String> SEGMENT_FIELDS = List.of("messageId", "anonymousId", "userId", "event", "timestamp",
            "originalTimestamp", "sentAt", "properties", "properties.price", "properties.quantity", "properties.revenue",
            "properties.total", "properties.products.price", "properties.products.quantity", "properties.products",
            "properties.extra", "context", "context.page.url", "context.campaign.source", "context.sessionId", "traits");

    void spoilSegment(Source r, Map<String, String> m, String kind) {
        String field = r.pick(SEGMENT_FIELDS);
        String v = value(r, kind);
        switch (field) {
            case "properties.price", "properties.quantity", "properties.revenue", "properties.total", "properties.extra" ->
                    m.put("properties", "{\"" + field.substring(11) + "\":" + v + ",\"name\":\"Socks\"}");
            case "properties.products.price" -> m.put("properties", "{\"products\":[{\"price\":" + v + ",\"quantity\":1}]}");
            case "properties.products.quantity" -> m.put("properties", "{\"products\":[{\"price\":3,\"quantity\":" + v + "}]}");
            case "properties.products" -> m.put("properties", "{\"products\":" + v + "}");
            case "context.page.url" -> m.put("context", "{\"page\":{\"url\":" + v + "}}");
            case "context.campaign.source" -> m.put("context", "{\"campaign\":{\"source\":" + v + "}}");
            case "context.sessionId" -> m.put("context", "{\"sessionId\":" + v + "}");
            default -> m.put(field, v);
        }
        if (field.startsWith("properties") && !m.containsKey("event")) {
            m.put("event", "\"Order Completed\"");
        }
    }

    // ---- whole requests ---------------------------------------------------------------------------

    Map<String, String> auth() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Authorization", basic(writeKey));
        return h;
    }

    static String basic(String key) {
        return "Basic " + Base64.getEncoder().encodeToString((key + ":").getBytes(StandardCharsets.UTF_8));
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    /** One request: its class is drawn first, then everything else. */
    Request next(Source r) {
        String kind = r.pick(CLASSES);
        return switch (kind) {
            case "valid" -> eventRequest(r, null);
            case "broken json" -> brokenJson(r);
            case "broken gzip" -> brokenGzip(r);
            case "gzip bomb" -> new Request(kind, r.pick(List.of("/api/batch", "/v1/batch")), withGzip(auth()),
                    gzip(new byte[r.pick(List.of(1 << 20, 5 << 20, 20 << 20))]));
            case "oversized body" -> {
                String pad = "x".repeat(1_100_000);
                yield new Request(kind, "/api/batch", auth(), utf8("{\"events\":[{\"event_type\":\"page_view\",\"session_id\":\"s\",\"metadata\":{\"p\":\"" + pad + "\"}}]}"));
            }
            case "near the size limit" -> {
                // under 1 MiB, so it is read, and refused: its copy on the rejected topic must still fit a record
                // characters beyond the BMP: 4 bytes as sent, 12 as a JSON writer escapes them
                String big = r.chance(50) ? "x".repeat(1_000_000 - r.below(50_000)) : "\uD83D\uDC5F".repeat(250_000 - r.below(10_000));
                yield new Request(kind, r.pick(List.of("/api/track", "/v1/track")), auth(), utf8(r.chance(50)
                        ? "{\"event_type\":\"page_view\",\"session_id\":\"s\",\"page_url\":\"" + big + "\"}"
                        : "{\"event\":\"" + big + "\",\"anonymousId\":\"a\"}"));
            }
            case "too many events" -> {
                boolean segment = r.chance(50);
                List<String> items = new ArrayList<>();
                for (int i = 0; i < 501; i++) {
                    items.add(segment ? object(segmentMessage(r, "track")) : object(ourEvent(r)));
                }
                yield new Request(kind, segment ? "/v1/batch" : "/api/batch", auth(),
                        utf8((segment ? "{\"batch\":[" : "{\"events\":[") + String.join(",", items) + "]}"));
            }
            case "wrong key" -> wrongKey(r);
            case "content type" -> {
                Request base = eventRequest(r, r.chance(30) ? r.pick(VALUE_CLASSES) : null);
                Map<String, String> h = new LinkedHashMap<>(base.headers());
                h.put("Content-Type", r.pick(List.of("application/x-www-form-urlencoded", "application/octet-stream", "text/html",
                        "multipart/form-data; boundary=x", "application/json; charset=utf-16", "image/png")));
                yield new Request(kind, base.path(), h, base.body());
            }
            default -> eventRequest(r, kind);
        };
    }

    /** A valid request of a random endpoint, with one value spoilt by {@code kind} (none when null). */
    Request eventRequest(Source r, String kind) {
        int endpoint = r.below(4);
        String label = kind == null ? "valid" : kind;
        String path;
        String body;
        switch (endpoint) {
            case 0 -> {
                Map<String, String> e = ourEvent(r);
                if (kind != null) {
                    spoil(r, e, kind);
                }
                path = "/api/track";
                body = object(e);
            }
            case 1 -> {
                int n = 1 + r.below(20);
                List<String> events = new ArrayList<>();
                int bad = kind == null ? -1 : r.below(n);
                for (int i = 0; i < n; i++) {
                    Map<String, String> e = ourEvent(r);
                    if (i == bad) {
                        spoil(r, e, kind);
                    }
                    events.add(object(e));
                }
                path = "/api/batch";
                body = "{\"sent_at\":\"" + now + "\",\"events\":[" + String.join(",", events) + "]}";
            }
            case 2 -> {
                String type = r.pick(List.of("track", "page", "screen", "identify", "alias", "group"));
                Map<String, String> m = segmentMessage(r, type);
                if (kind != null) {
                    spoilSegment(r, m, kind);
                }
                m.remove("type");
                path = "/v1/" + type;
                body = object(m);
            }
            default -> {
                int n = 1 + r.below(20);
                List<String> messages = new ArrayList<>();
                int bad = kind == null ? -1 : r.below(n);
                for (int i = 0; i < n; i++) {
                    Map<String, String> m = segmentMessage(r, r.pick(List.of("track", "track", "page", "identify", "screen")));
                    if (i == bad) {
                        spoilSegment(r, m, kind);
                    }
                    messages.add(object(m));
                }
                path = "/v1/batch";
                body = "{\"batch\":[" + String.join(",", messages) + "],\"sentAt\":\"" + now + "\"}";
            }
        }
        byte[] bytes = utf8(body);
        Map<String, String> headers = auth();
        if (r.chance(25)) {
            bytes = gzip(bytes);
            if (r.chance(50)) {
                headers = withGzip(headers);
            }
        }
        return new Request(label, path, headers, bytes);
    }

    static Map<String, String> withGzip(Map<String, String> headers) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put("Content-Encoding", "gzip");
        return h;
    }

    Request brokenJson(Source r) {
        String path = r.pick(List.of("/api/track", "/api/batch", "/v1/track", "/v1/batch"));
        String valid = path.equals("/api/batch") ? "{\"events\":[" + object(ourEvent(r)) + "]}"
                : path.equals("/v1/batch") ? "{\"batch\":[" + object(segmentMessage(r, "track")) + "]}"
                : path.equals("/v1/track") ? object(segmentMessage(r, "track")) : object(ourEvent(r));
        byte[] body = switch (r.below(12)) {
            case 0 -> utf8(valid.substring(0, 1 + r.below(valid.length() - 1)));
            case 1 -> utf8(valid + r.pick(List.of("x", "}", ",", "{}", " [1]")));
            case 2 -> utf8(valid.replaceFirst("\":", "\"="));
            case 3 -> utf8(r.pick(List.of("", " ", "\n", "null", "[]", "[1,2]", "\"text\"", "42", "true", "{", "}")));
            case 4 -> utf8(valid.replace("12.50", "NaN").replace("\"EUR\"", "Infinity"));
            case 5 -> utf8("/* comment */" + valid);
            case 6 -> utf8("\uFEFF" + valid);
            case 7 -> utf8(valid.replaceFirst("\"(\\w+)\":", "$1:"));
            case 8 -> {
                byte[] b = utf8(valid);
                int at = 2 + r.below(b.length - 4);
                b[at] = (byte) (int) r.pick(List.of(0xC3, 0xFF, 0x80, 0xED, 0x00));
                yield b;
            }
            case 9 -> utf8(valid.replace("\"", "'"));
            case 10 -> utf8("{\"events\":" + "[".repeat(r.pick(List.of(100, 2000, 100_000))) + "]}");
            default -> utf8(valid.replaceFirst("\\{", "{\"event_id\":1,\"messageId\":[],"));
        };
        return new Request("broken json", path, auth(), body);
    }

    Request brokenGzip(Source r) {
        String path = r.pick(List.of("/api/batch", "/v1/batch", "/v1/track"));
        String valid = path.equals("/api/batch") ? "{\"events\":[" + object(ourEvent(r)) + "]}"
                : path.equals("/v1/batch") ? "{\"batch\":[" + object(segmentMessage(r, "track")) + "]}" : object(segmentMessage(r, "track"));
        byte[] z = gzip(utf8(valid));
        byte[] body = switch (r.below(6)) {
            case 0 -> Arrays.copyOf(z, Math.max(3, r.below(z.length)));
            case 1 -> {
                byte[] b = z.clone();
                b[10 + r.below(b.length - 12)] ^= (byte) 0x5a;
                yield b;
            }
            case 2 -> {
                byte[] b = z.clone();
                b[b.length - 5] ^= 1;
                yield b;
            }
            case 3 -> gzip(utf8("this is not json at all"));
            case 4 -> gzip(z);
            default -> new byte[]{0x1f, (byte) 0x8b};
        };
        return new Request("broken gzip", path, withGzip(auth()), body);
    }

    Request wrongKey(Source r) {
        Request base = eventRequest(r, r.chance(50) ? r.pick(VALUE_CLASSES) : null);
        Map<String, String> h = new LinkedHashMap<>();
        Function<String, String> keyed = s -> s;
        switch (r.below(8)) {
            case 0 -> h.put("Authorization", basic("not-" + writeKey));
            case 1 -> h.put("Authorization", "Basic !!!not-base64!!!");
            case 2 -> h.put("Authorization", "Bearer wrong-token");
            case 3 -> h.put("Authorization", "Basic " + Base64.getEncoder().encodeToString(utf8(":")));
            case 4 -> h.put("Authorization", basic(" " + "k".repeat(3000)));
            case 5 -> h.put("Authorization", r.pick(List.of("Digest x", "Negotiate", "Basic", basic("\u0000"))));
            default -> {
                // no header: a key (wrong, blank or not a string) in the body only
                String text = new String(base.body(), StandardCharsets.UTF_8);
                if (text.startsWith("{")) {
                    String key = r.pick(List.of("\"nope\"", "\"\"", "123", "null", "{\"k\":1}", "\"" + writeKey + "\\u0000\""));
                    keyed = s -> "{\"writeKey\":" + key + ",\"write_key\":" + key + "," + s.substring(1);
                    return new Request("wrong key", base.path(), h, utf8(keyed.apply(text)));
                }
                return new Request("wrong key", base.path(), h, base.body());
            }
        }
        if (base.headers().containsKey("Content-Encoding")) {
            h.put("Content-Encoding", "gzip");
        }
        return new Request("wrong key", base.path(), h, base.body());
    }
}
