package io.funnelflow.ingest.track;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.funnelflow.contract.json.Instants;
import io.funnelflow.contract.json.Json;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.DateTimeException;
import java.util.zip.GZIPInputStream;

/** Request bodies as bytes in, JSON out: gzip undone (as Segment's SDKs send it) within a size limit. */
public final class Bodies {

    private Bodies() {
    }

    /**
     * Parses a body, first inflating it if it is gzip (recognised by its magic bytes, whether or not an
     * intermediary kept the Content-Encoding header).
     *
     * @param maxBytes the largest body, after inflating, that is taken
     */
    public static JsonNode parse(byte[] body, int maxBytes) {
        return parse(inflate(body, maxBytes));
    }

    /**
     * The body as JSON bytes: gzip undone (recognised by its magic bytes, whether or not an intermediary
     * kept the Content-Encoding header), never more than {@code maxBytes} of it.
     */
    public static byte[] inflate(byte[] body, int maxBytes) {
        if (body == null || body.length == 0) {
            throw BodyRejectedException.invalid("body", "is empty; send a JSON object");
        }
        byte[] json = isGzip(body) ? gunzip(body, maxBytes) : body;
        if (json.length > maxBytes) {
            throw BodyRejectedException.tooLarge("body", "is " + json.length + " bytes; at most " + maxBytes + " are taken");
        }
        return json;
    }

    /** Parses JSON bytes (already inflated and within the size limit) into a tree; the root must be an object. */
    public static JsonNode parse(byte[] json) {
        if (json.length == 0) {
            throw BodyRejectedException.invalid("body", "is empty; send a JSON object");
        }
        try {
            JsonNode root = Json.mapper().readTree(json);
            if (root == null || !root.isObject()) {
                throw BodyRejectedException.invalid("body", "must be a JSON object");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw BodyRejectedException.invalid("body", notJson(e));
        } catch (IOException e) {
            throw BodyRejectedException.invalid("body", "cannot be read: " + e.getMessage());
        }
    }

    /**
     * Why bytes are not the JSON taken, with where when the parser knows it (a limit of the parser's own,
     * such as the nesting depth, has no location).
     */
    static String notJson(JsonProcessingException e) {
        String where = e.getLocation() == null ? ""
                : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
        return "is not valid JSON: " + e.getOriginalMessage() + where;
    }

    /** The first present text field among {@code names}, or null. */
    public static String text(JsonNode node, String... names) {
        for (String name : names) {
            JsonNode v = node.get(name);
            if (v != null && v.isTextual() && !v.asText().isBlank()) {
                return v.asText();
            }
        }
        return null;
    }

    /** A body-level time field, or null when absent. */
    public static Instant instant(JsonNode node, String... names) {
        for (String name : names) {
            JsonNode v = node.get(name);
            if (v == null || v.isNull()) {
                continue;
            }
            Instant t = instantOf(v);
            if (t == null) {
                throw BodyRejectedException.invalid(name, "must be an ISO-8601 date-time such as 2026-11-22T10:15:30Z, or epoch milliseconds");
            }
            return t;
        }
        return null;
    }

    /**
     * A time given as an ISO-8601 string or as whole epoch milliseconds, or null when it is neither. A
     * number is judged by the parser's own range checks before it is converted: {@code 1e100000000}
     * must never be turned into a long.
     */
    public static Instant instantOf(JsonNode v) {
        try {
            if (v.isNumber()) {
                return v.isIntegralNumber() && v.canConvertToLong() ? Instant.ofEpochMilli(v.longValue()) : null;
            }
            return v.isTextual() ? Instants.parse(v.asText()) : null;
        } catch (DateTimeException | IndexOutOfBoundsException e) {
            return null;
        }
    }

    private static boolean isGzip(byte[] body) {
        return body.length > 2 && (body[0] & 0xff) == 0x1f && (body[1] & 0xff) == 0x8b;
    }

    private static byte[] gunzip(byte[] body, int maxBytes) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            byte[] out = in.readNBytes(maxBytes + 1);
            if (out.length > maxBytes) {
                throw BodyRejectedException.tooLarge("body", "inflates to more than " + maxBytes + " bytes");
            }
            return out;
        } catch (IOException e) {
            throw BodyRejectedException.invalid("body", "is not valid gzip: " + e.getMessage());
        }
    }
}
