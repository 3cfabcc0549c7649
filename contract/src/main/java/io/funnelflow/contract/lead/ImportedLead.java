package io.funnelflow.contract.lead;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.time.Instant;

/** One good row of a lead import, with the seed's fields (checked before it is sent). */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ImportedLead(
        String leadId,
        Instant createdAt,
        String funnelStage,
        Integer intentScore,
        Instant lastEngaged,
        String companySize,
        String source,
        String engagementChannel,
        String salesOwner,
        String notes) {
}
