package io.funnelflow.aggregator.live;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.funnelflow.contract.prediction.Prediction;
import io.funnelflow.contract.privacy.Personal;
import io.funnelflow.contract.session.SessionSummary;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One row of the dashboard's live feed: what a recent session has done so far and, once the
 * prediction service has scored it, its prediction.
 *
 * @param visitorId  who it is ({@link Personal}: only for admin callers)
 * @param revision   increases with every change of the feed; of two copies of a row the higher one is newer
 * @param lastEvent  the session's latest event type
 * @param prediction the latest prediction, or null while the session has none
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record LiveSession(
        long revision,
        String sessionId,
        @Personal String visitorId,
        Instant start,
        Instant end,
        int events,
        int furthestStep,
        String lastEvent,
        int purchases,
        BigDecimal cartValue,
        BigDecimal revenue,
        String utmSource,
        String utmMedium,
        String utmCampaign,
        String device,
        String platform,
        boolean closed,
        Prediction prediction) {

    static LiveSession of(long revision, SessionSummary s, Prediction prediction) {
        return new LiveSession(revision, s.sessionId(), s.visitorId(), s.start(), s.end(), s.events(), s.furthestStep(),
                s.lastEventType(),
                s.purchases(), s.cartValue(), s.revenue(), s.utmSource(), s.utmMedium(), s.utmCampaign(), s.device(), s.platform(),
                s.closed(), prediction);
    }
}
