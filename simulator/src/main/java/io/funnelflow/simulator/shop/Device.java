package io.funnelflow.simulator.shop;

/** A device class, its share of visits, its effect on conversion, and the platforms it runs. */
public record Device(String name, double share, double conversion, double appShare) {
}
