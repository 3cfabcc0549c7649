package io.funnelflow.contract.prediction;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.funnelflow.contract.privacy.Personal;

import java.time.Instant;

/**
 * A live session's score, as published on {@code funnelflow.predictions}.
 *
 * @param userId              the session's user, when known ({@link Personal}: HTTP answers show it to admin callers only)
 * @param purchaseProbability P(purchase) for the session as it stands
 * @param confidenceLow       lower end of the confidence band of that probability
 * @param confidenceHigh      upper end of the band
 * @param incentive           the incentive to offer, or {@code none}
 * @param incentiveReason     why, in words
 * @param heldOut             true when the session was held out of incentives to measure uplift
 * @param modelVersion        the model that scored, or {@code baseline}
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Prediction(
        String sessionId,
        @Personal String userId,
        double purchaseProbability,
        double confidenceLow,
        double confidenceHigh,
        String persona,
        String incentive,
        String incentiveReason,
        boolean heldOut,
        String modelVersion,
        Instant scoredAt) {
}
