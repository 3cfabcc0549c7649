package io.funnelflow.contract.lead;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * What is known of a lead that rules may look at: its shop behaviour summed over its sessions, the latest
 * purchase probability of its sessions, and what an import said of it.
 *
 * @param lastEngaged the latest of its sessions' last events and the imported last touchpoint
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LeadSignals(
        int sessions,
        int pageViews,
        int productViews,
        int cartAdds,
        int checkouts,
        int purchases,
        BigDecimal revenue,
        Double purchaseProbability,
        Integer importedScore,
        String importedStage,
        Instant lastEngaged,
        String companySize,
        String source,
        String engagementChannel) {

    public static LeadSignals none() {
        return new LeadSignals(0, 0, 0, 0, 0, 0, BigDecimal.ZERO, null, null, null, null, null, null, null);
    }
}
