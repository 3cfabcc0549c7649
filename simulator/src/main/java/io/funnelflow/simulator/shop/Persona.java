package io.funnelflow.simulator.shop;

/**
 * A kind of shopper.
 *
 * @param share         its share of visitors
 * @param propensity    a factor on every step's probability
 * @param extraPages    mean number of extra pages and product views beyond the funnel's own
 * @param secondsPerPage mean time on a page
 * @param cartItems     mean number of distinct products put in the cart
 */
public record Persona(String name, double share, double propensity, double extraPages, double secondsPerPage, double cartItems) {
}
