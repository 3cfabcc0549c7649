package io.funnelflow.prediction.features;

/**
 * The visitor's past as known when a session starts: only sessions that had ended before it began.
 *
 * @param previousSessions  earlier sessions of the same visitor
 * @param previousPurchases how many of them ended in a purchase
 */
public record History(int previousSessions, int previousPurchases) {

    public static final History NONE = new History(0, 0);
}
