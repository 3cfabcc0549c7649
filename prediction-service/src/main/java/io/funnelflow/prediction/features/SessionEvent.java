package io.funnelflow.prediction.features;

import java.time.Instant;

/**
 * One event of a session, as far as features need it.
 *
 * @param lineValue price × quantity for cart events (quantity 1 when absent), else 0
 */
public record SessionEvent(String type, Instant time, double lineValue, String device, String platform,
                           String utmSource, String utmMedium) {
}
