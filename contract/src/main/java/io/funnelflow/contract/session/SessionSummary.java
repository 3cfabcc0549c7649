package io.funnelflow.contract.session;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * What is known of one session at one moment, as published on {@code funnelflow.sessions} each time it
 * changes (a tombstone when a session ceased to exist, e.g. two sessions merged by a late event). All
 * figures are absolute, so the latest summary of a session replaces every earlier one.
 *
 * @param sessionId    the session: its session key for the key's first session, {@code key#2}, {@code key#3} … after
 * @param sessionKey   the client's session_id, or the visitor when none was given
 * @param visitorId    the visitor: user_id when known, else anonymous_id
 * @param furthestStep the furthest step of the default funnel reached in order (0 = none, 1 = landing … 5 = purchase)
 * @param cartValue    what is in the cart now: added minus removed, at the prices given
 * @param lastEventType the type of the session's latest event
 * @param truncated    true when the session's key had more events than the per-key cap: the figures are
 *                     those of the events kept (the others are still in the raw events and event counts)
 * @param closed       true once the session has seen no event for the inactivity gap
 *
 * <p>A summary is O(1) in size whatever the session's length; the ordered event list of a quiet
 * session travels separately ({@link SessionTimeline}).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SessionSummary(
        String sessionId,
        String sessionKey,
        String visitorId,
        Instant start,
        Instant end,
        long durationSeconds,
        int events,
        int pageViews,
        int productViews,
        int cartAdds,
        int cartRemoves,
        int checkouts,
        int purchases,
        BigDecimal cartValue,
        BigDecimal revenue,
        int furthestStep,
        String utmSource,
        String utmMedium,
        String utmCampaign,
        String device,
        String platform,
        String landingPage,
        String userId,
        String anonymousId,
        List<String> userIds,
        String lastEventType,
        boolean truncated,
        boolean closed) {
}
