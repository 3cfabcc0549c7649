package io.funnelflow.simulator.journey;

import io.funnelflow.simulator.shop.Channel;
import io.funnelflow.simulator.shop.Device;
import io.funnelflow.simulator.shop.Persona;

import java.math.BigDecimal;
import java.util.List;

/**
 * One visit as it happened, and what it came to.
 *
 * @param reached the furthest step of the default funnel reached, in order (1 = landing … 5 = purchase)
 */
public record SimSession(String sessionId, String anonymousId, String userId, Channel channel, Device device,
                         String platform, Persona persona, List<SimEvent> events, int reached, BigDecimal revenue) {

    public boolean purchased() {
        return reached == 5;
    }

    public boolean carted() {
        return events.stream().anyMatch(e -> e.type().equals("add_to_cart"));
    }

    /** The visitor as the platform counts it: the user id when one was given, else the anonymous id. */
    public String visitor() {
        return events.stream().map(SimEvent::userId).filter(u -> u != null).reduce((a, b) -> b).orElse(anonymousId);
    }
}
