package io.funnelflow.crm.lead;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.funnelflow.contract.lead.LeadCommand;

import java.time.Instant;

/**
 * What reaches one lead's lifecycle, keyed by lead id: a session of the lead as it stands, a session that is no
 * longer the lead's, a purchase probability of one of its sessions, or a command.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LeadInput(SessionTally session, String goneSession, Double probability, Instant scoredAt, LeadCommand command) {

    public static LeadInput session(SessionTally s) {
        return new LeadInput(s, null, null, null, null);
    }

    public static LeadInput gone(String sessionId) {
        return new LeadInput(null, sessionId, null, null, null);
    }

    public static LeadInput prediction(double probability, Instant scoredAt) {
        return new LeadInput(null, null, probability, scoredAt, null);
    }

    public static LeadInput command(LeadCommand c) {
        return new LeadInput(null, null, null, null, c);
    }
}
