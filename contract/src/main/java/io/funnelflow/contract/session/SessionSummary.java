package io.funnelflow.contract.session;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * What is known of one session at one moment, as published on {@code funnelflow.sessions} each time it
 * changes. All counts are absolute, so the latest summary of a session replaces every earlier one.
 *
 * @param furthestStep the furthest step of the default funnel reached in order (0 = none, 1 = landing …)
 * @param closed       true once the session has seen no event for the inactivity gap
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SessionSummary(
        String sessionId,
        Instant start,
        Instant end,
        long durationSeconds,
        int events,
        int pageViews,
        int productViews,
        int cartAdds,
        int cartRemoves,
        BigDecimal cartValue,
        int purchases,
        BigDecimal revenue,
        int furthestStep,
        String utmSource,
        String utmMedium,
        String utmCampaign,
        String device,
        String platform,
        String userId,
        String anonymousId,
        List<String> userIds,
        boolean closed) {
}
