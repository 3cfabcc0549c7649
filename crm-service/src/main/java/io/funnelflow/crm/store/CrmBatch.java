package io.funnelflow.crm.store;

import io.funnelflow.contract.lead.Lead;
import io.funnelflow.contract.lead.LeadOverride;
import io.funnelflow.contract.lead.LeadTransition;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One poll of the lifecycle's topics, in the order read, reduced to what PostgreSQL needs: each lead's
 * latest state, the transitions and override entries (each once), and the leads erased — an erasure drops
 * whatever came before it for that lead in the poll, and what comes after it is kept.
 */
public final class CrmBatch {

    final Map<String, Lead> leads = new LinkedHashMap<>();
    final Map<String, LeadTransition> transitions = new LinkedHashMap<>();
    final Map<String, LeadOverride> overrides = new LinkedHashMap<>();
    final Set<String> erased = new LinkedHashSet<>();

    public CrmBatch lead(String id, Lead lead) {
        if (lead == null) {
            erase(id);
            return this;
        }
        leads.put(id, lead);
        return this;
    }

    public CrmBatch transition(String leadId, LeadTransition t) {
        if (t == null) {
            erase(leadId);
            return this;
        }
        transitions.put(t.transitionId(), t);
        return this;
    }

    public CrmBatch override(LeadOverride o) {
        overrides.put(o.overrideId(), o);
        return this;
    }

    private void erase(String leadId) {
        erased.add(leadId);
        leads.remove(leadId);
        transitions.values().removeIf(t -> t.leadId().equals(leadId));
        overrides.values().removeIf(o -> o.leadId().equals(leadId));
    }

    public boolean isEmpty() {
        return leads.isEmpty() && transitions.isEmpty() && overrides.isEmpty() && erased.isEmpty();
    }

    List<String> erasedIds() {
        return new ArrayList<>(erased);
    }
}
