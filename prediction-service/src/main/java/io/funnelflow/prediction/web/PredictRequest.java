package io.funnelflow.prediction.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.funnelflow.contract.event.Texts;
import io.funnelflow.prediction.features.Features;

import java.time.Instant;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;

/**
 * Reads the features of {@code POST /api/predict}: the seeds' fields ({@code time_on_site} in seconds,
 * {@code pages_visited}, {@code cart_value}, {@code previous_purchases}, {@code device_type}) are
 * required; the others default to zero, unknown, or the current hour and weekday. Any wrong field is
 * named in a {@link BadFieldException}.
 */
final class PredictRequest {

    static final Set<String> DEVICES = Set.of("mobile", "desktop", "tablet", "other", "unknown");
    static final Set<String> FIELDS = Set.of("session_id", "time_on_site", "pages_visited", "cart_value",
            "previous_purchases", "device_type", "product_views", "cart_adds", "cart_removes", "checkouts", "events",
            "previous_sessions", "platform", "utm_source", "utm_medium", "hour", "weekday");

    private PredictRequest() {
    }

    static final int MAX_TEXT_LENGTH = 200;

    /**
     * @param sessionIdIsNumber the session id was sent as a JSON number, as seed 002's API documents it:
     *                          such a request is answered in the seed's shapes
     */
    record Parsed(String sessionId, Features features, boolean sessionIdIsNumber) {
    }

    static Parsed parse(JsonNode body, Instant now) {
        if (body == null || !body.isObject()) {
            throw new BadFieldException("body", "must be a JSON object of session features");
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new BadFieldException(name, "unknown field; accepted: " + String.join(", ", FIELDS.stream().sorted().toList()));
            }
        }
        double timeOnSite = number(body, "time_on_site", true, Double.MAX_VALUE);
        int pages = count(body, "pages_visited", true);
        double cart = number(body, "cart_value", true, Double.MAX_VALUE);
        int previousPurchases = count(body, "previous_purchases", true);
        String device = text(body, "device_type", true);
        if (!DEVICES.contains(device.toLowerCase(Locale.ROOT))) {
            throw new BadFieldException("device_type", "must be one of mobile, desktop, tablet, other, unknown");
        }
        int productViews = count(body, "product_views", false);
        int cartAdds = count(body, "cart_adds", false);
        int cartRemoves = count(body, "cart_removes", false);
        int checkouts = count(body, "checkouts", false);
        int previousSessions = count(body, "previous_sessions", false);
        if (previousSessions < previousPurchases && body.has("previous_sessions")) {
            throw new BadFieldException("previous_sessions", "cannot be fewer than previous_purchases");
        }
        int counted = pages + productViews + cartAdds + cartRemoves + checkouts;
        int events = body.has("events") ? count(body, "events", false) : counted;
        if (events < counted) {
            throw new BadFieldException("events", "cannot be fewer than the page views, product views, cart adds, "
                    + "cart removes and checkouts given (" + counted + ")");
        }
        int[] clock = Features.hourAndWeekday(now);
        int hour = body.has("hour") ? whole(body, "hour", 0, 23, "a whole hour, 0 to 23") : clock[0];
        int weekday = body.has("weekday") ? whole(body, "weekday", 1, 7, "1 (Monday) to 7 (Sunday)") : clock[1];
        String platform = body.has("platform") ? text(body, "platform", false) : null;
        String source = body.has("utm_source") ? text(body, "utm_source", false) : null;
        String medium = body.has("utm_medium") ? text(body, "utm_medium", false) : null;
        JsonNode id = body.get("session_id");
        boolean numericId = id != null && id.isNumber();
        String sessionId;
        if (numericId) {
            if (!id.isIntegralNumber() || !id.canConvertToLong()) {
                throw new BadFieldException("session_id", "must be a string or a whole number");
            }
            sessionId = Long.toString(id.longValue());
        } else {
            sessionId = body.has("session_id") ? text(body, "session_id", false) : null;
        }
        Features f = new Features(timeOnSite, pages, productViews, cartAdds, cartRemoves, checkouts, cart, events,
                previousPurchases, Math.max(previousSessions, previousPurchases), device.toLowerCase(Locale.ROOT),
                lower(platform, Features.UNKNOWN), lower(source, Features.DIRECT), lower(medium, "none"), hour, weekday);
        return new Parsed(sessionId, f, numericId);
    }

    private static String lower(String v, String absent) {
        return v == null || v.isBlank() ? absent : v.trim().toLowerCase(Locale.ROOT);
    }

    private static double number(JsonNode body, String field, boolean required, double max) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new BadFieldException(field, "is required");
            }
            return 0;
        }
        if (!v.isNumber()) {
            throw new BadFieldException(field, "must be a number, not " + v.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        double d = v.doubleValue();
        if (!Double.isFinite(d) || d < 0 || d > max) {
            throw new BadFieldException(field, max == Double.MAX_VALUE ? "must be zero or more" : "must be within 0 and " + (long) max);
        }
        return d;
    }

    private static int count(JsonNode body, String field, boolean required) {
        double d = number(body, field, required, 1_000_000);
        JsonNode v = body.get(field);
        if (v != null && !v.isNull() && !v.canConvertToInt()) {
            throw new BadFieldException(field, "must be a whole number");
        }
        if (v != null && v.isFloatingPointNumber() && d != Math.rint(d)) {
            throw new BadFieldException(field, "must be a whole number");
        }
        return (int) d;
    }

    private static int whole(JsonNode body, String field, int min, int max, String expected) {
        JsonNode v = body.get(field);
        if (v == null || !v.isNumber() || v.doubleValue() != Math.rint(v.doubleValue()) || v.doubleValue() < min
                || v.doubleValue() > max) {
            throw new BadFieldException(field, "must be " + expected);
        }
        return v.intValue();
    }

    private static String text(JsonNode body, String field, boolean required) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new BadFieldException(field, "is required");
            }
            return null;
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            throw new BadFieldException(field, "must be a non-empty string");
        }
        String text = v.asText();
        if (text.length() > MAX_TEXT_LENGTH) {
            throw new BadFieldException(field, "is longer than " + MAX_TEXT_LENGTH + " characters");
        }
        String problem = Texts.problem(text);
        if (problem != null) {
            throw new BadFieldException(field, problem);
        }
        return text;
    }
}
