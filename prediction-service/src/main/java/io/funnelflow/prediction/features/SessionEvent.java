package io.funnelflow.prediction.features;

import java.time.Instant;

/**
 * One event of a session, as far as features need it.
 *
 * @param lineValue   price × quantity for cart events (quantity 1 when absent), else 0
 * @param userId      the user the event was sent for, if known at that moment
 * @param anonymousId the browser's anonymous id, if any
 */
public record SessionEvent(String type, Instant time, double lineValue, String device, String platform,
                           String utmSource, String utmMedium, String userId, String anonymousId) {

    /** An event of an anonymous visitor. */
    public SessionEvent(String type, Instant time, double lineValue, String device, String platform, String utmSource,
                        String utmMedium) {
        this(type, time, lineValue, device, platform, utmSource, utmMedium, null, null);
    }
}
