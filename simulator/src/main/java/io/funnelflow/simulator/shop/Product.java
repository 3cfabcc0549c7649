package io.funnelflow.simulator.shop;

import java.math.BigDecimal;

/** Something the shop sells. */
public record Product(String id, String name, String category, BigDecimal price) {
}
