package io.funnelflow.simulator.journey;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/** One thing a simulated shopper did, at its true time. */
public record SimEvent(String eventId, String type, Instant time, String userId, String pageUrl, String productId,
                       String productName, BigDecimal price, Integer quantity, BigDecimal revenue, Map<String, Object> metadata) {
}
