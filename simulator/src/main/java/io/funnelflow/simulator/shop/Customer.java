package io.funnelflow.simulator.shop;

/** A known customer: returns, logs in, has bought before. */
public record Customer(String userId, String ageGroup, int previousPurchases, Persona persona, String favouriteCategory) {
}
