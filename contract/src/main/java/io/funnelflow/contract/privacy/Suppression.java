package io.funnelflow.contract.privacy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A person whose data was erased, on {@code funnelflow.suppressions} (key: the user id): ingest does not
 * publish later events that carry this user id or one of these anonymous ids, so that an erased person is
 * not collected again by the next page they open.
 *
 * @param userId       the erased person's user id
 * @param anonymousIds the anonymous ids their sessions and events carried
 * @param suppressedAt when the erasure was asked for
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Suppression(String userId, List<String> anonymousIds, Instant suppressedAt) {

    public Suppression {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(suppressedAt, "suppressedAt");
        anonymousIds = anonymousIds == null ? List.of() : List.copyOf(anonymousIds);
    }
}
