package io.funnelflow.simulator.target;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.funnelflow.contract.event.TrackedEvent;
import io.funnelflow.contract.json.Json;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * {@code POST /v1/batch} exactly as Segment's and RudderStack's server SDKs send it: gzip, the write key
 * as Basic user, Segment's e-commerce event names and {@code context.page}/{@code context.campaign}.
 */
public final class SegmentTarget extends HttpTarget {

    private static final Map<String, String> NAMES = Map.of(
            "product_view", "Product Viewed", "add_to_cart", "Product Added", "remove_from_cart", "Product Removed",
            "checkout_start", "Checkout Started", "purchase", "Order Completed");

    public SegmentTarget(String baseUrl, String writeKey) {
        super(baseUrl, "/v1/batch", writeKey);
    }

    @Override
    public Outcome send(List<TrackedEvent> events) throws Exception {
        ObjectNode root = Json.mapper().createObjectNode();
        ArrayNode batch = root.putArray("batch");
        for (TrackedEvent e : events) {
            batch.add(message(e));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            Json.mapper().writeValue(gz, root);
        }
        return post(out.toByteArray(), "gzip", events.size());
    }

    static ObjectNode message(TrackedEvent e) {
        ObjectNode m = Json.mapper().createObjectNode();
        String type = e.eventType();
        if ("page_view".equals(type)) {
            m.put("type", "page");
        } else if ("identify".equals(type)) {
            m.put("type", "identify");
        } else {
            m.put("type", "track");
            m.put("event", type == null ? null : NAMES.getOrDefault(type, type));
        }
        m.put("messageId", e.eventId());
        m.put("anonymousId", e.anonymousId());
        if (e.userId() != null) {
            m.put("userId", e.userId());
        }
        if (e.timestamp() != null) {
            m.put("timestamp", e.timestamp().toString());
        }
        if (e.sentAt() != null) {
            m.put("sentAt", e.sentAt().toString());
        }
        ObjectNode context = m.putObject("context");
        context.put("sessionId", e.sessionId());
        context.putObject("page").put("url", e.pageUrl());
        if (e.utmSource() != null) {
            context.putObject("campaign").put("source", e.utmSource()).put("medium", e.utmMedium()).put("name", e.utmCampaign());
        }
        context.putObject("device").put("type", e.device());
        if ("ios".equals(e.platform()) || "android".equals(e.platform())) {
            context.putObject("os").put("name", "ios".equals(e.platform()) ? "iOS" : "Android");
        }
        ObjectNode props = m.putObject("properties");
        if (e.productId() != null) {
            props.put("product_id", e.productId());
            props.put("name", e.productName());
        }
        if (e.price() != null) {
            props.put("price", e.price());
        }
        if (e.quantity() != null) {
            props.put("quantity", e.quantity());
        }
        if (e.revenue() != null) {
            props.put("revenue", e.revenue());
        }
        if (e.currency() != null) {
            props.put("currency", e.currency());
        }
        return m;
    }
}
