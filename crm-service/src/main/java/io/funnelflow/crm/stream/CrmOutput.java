package io.funnelflow.crm.stream;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.funnelflow.contract.lead.Lead;
import io.funnelflow.contract.lead.LeadOverride;
import io.funnelflow.contract.lead.LeadTransition;

/** One output of the lifecycle: a transition, a lead as it now stands, an override log entry, or an erasure. */
@JsonInclude(JsonInclude.Include.NON_NULL)
record CrmOutput(LeadTransition transition, Lead lead, LeadOverride override, boolean erased) {

    static CrmOutput of(LeadTransition t) {
        return new CrmOutput(t, null, null, false);
    }

    static CrmOutput of(Lead l) {
        return new CrmOutput(null, l, null, false);
    }

    static CrmOutput of(LeadOverride o) {
        return new CrmOutput(null, null, o, false);
    }

    static CrmOutput erasure() {
        return new CrmOutput(null, null, null, true);
    }
}
