package io.funnelflow.contract.session;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.time.Instant;

/**
 * An event that arrived more than the grace period after its event time. It is counted like any other
 * (every figure is kept per bucket, never in a closed window); this record says that it came late and
 * by how much, so lateness is visible rather than silent.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LateEvent(String eventId, String eventType, String sessionKey, Instant eventTime, Instant receivedAt,
                        long delaySeconds, String reason) {
}
