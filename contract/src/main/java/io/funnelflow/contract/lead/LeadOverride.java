package io.funnelflow.contract.lead;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.time.Instant;

/**
 * A manual value that holds for one field of one lead until it is lifted; as a log entry on
 * {@code funnelflow.crm.overrides} also the lifting of one ({@code action} {@code set} or {@code lift}).
 *
 * @param overrideId the id of the command that set or lifted it
 * @param previous   the value in force before
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LeadOverride(
        String overrideId,
        String leadId,
        String field,
        String action,
        String value,
        String previous,
        String by,
        String why,
        Instant at) {

    public static final String SET = "set";
    public static final String LIFT = "lift";
}
