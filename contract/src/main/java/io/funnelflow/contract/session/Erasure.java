package io.funnelflow.contract.session;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.time.Instant;

/**
 * A request to forget everything the stream holds under one session key, on {@code funnelflow.erasures}
 * (key: the session key, so it reaches the task that holds that key's state). The stream retracts the
 * key's sessions from every figure, drops its state and publishes tombstones for its sessions.
 *
 * @param userId the person the erasure is for, when known
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Erasure(String sessionKey, String userId, Instant requestedAt) {
}
