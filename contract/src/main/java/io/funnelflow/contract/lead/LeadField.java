package io.funnelflow.contract.lead;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.time.Instant;

/**
 * One field of a lead as shown: the value in force, the value the rules computed (the same unless an
 * override holds), why, which rule of which version set it, by which path, and since when.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LeadField(
        String value,
        String computed,
        String reason,
        String ruleId,
        Integer ruleVersion,
        String source,
        Instant since) {
}
