package io.funnelflow.contract.lead;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.time.Instant;

/**
 * The lead rules in force, on the compacted {@code funnelflow.crm.rules} (key {@link #ACTIVE}): a
 * versioned document of stage, score, health, track and owner rules, read by the lead lifecycle as a
 * global table.
 *
 * @param version   1, 2, 3 … (every version is kept in PostgreSQL)
 * @param appliedAt when it was applied: the re-evaluation it causes happens at this moment
 * @param document  the rules as JSON (crm-service's rules format)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RulesVersion(int version, Instant appliedAt, String appliedBy, String why, JsonNode document) {

    /** The one key of the rules topic. */
    public static final String ACTIVE = "active";
}
