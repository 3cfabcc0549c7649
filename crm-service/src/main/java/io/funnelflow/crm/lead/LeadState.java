package io.funnelflow.crm.lead;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.funnelflow.contract.lead.ImportedLead;
import io.funnelflow.contract.lead.Lead;

import java.time.Instant;
import java.util.Map;

/**
 * Everything the lifecycle keeps of one lead: the lead as published, its most recent sessions one by one
 * (the older ones summed, so the state stays small), the latest purchase probability, what the last
 * import said, the recycle rule holding it back, and the next moment silence alone may change it.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LeadState(Lead lead, Map<String, SessionTally> sessions, SessionTally older, Double probability,
                        Instant probabilityAt, ImportedLead imported, String recycledBy, Instant nextChange) {

    LeadState withSessions(Map<String, SessionTally> recent, SessionTally summedOlder) {
        return new LeadState(lead, recent, summedOlder, probability, probabilityAt, imported, recycledBy, nextChange);
    }
}
