package io.funnelflow.crm.rules;

import io.funnelflow.contract.lead.Lead;
import io.funnelflow.contract.lead.LeadTransition;
import io.funnelflow.crm.lead.LeadLifecycle;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What applying a rules version would change, lead by lead, with the very evaluation the lifecycle's
 * sweep runs ({@link LeadLifecycle#preview}): per field the counts of each change from → to, and a
 * sample of leads with their changes.
 */
public final class RulesPreview {

    public static final int SAMPLE = 20;

    private final Rules rules;
    private final Instant asOf;
    private final Map<String, Map<String, Long>> changes = new TreeMap<>();
    private final List<Map<String, Object>> sample = new ArrayList<>();
    private long evaluated;
    private long changed;

    public RulesPreview(Rules rules, Instant asOf) {
        this.rules = rules;
        this.asOf = asOf;
    }

    public void add(Lead lead) {
        evaluated++;
        List<LeadTransition> ts = LeadLifecycle.preview(lead, rules, asOf).transitions();
        if (ts.isEmpty()) {
            return;
        }
        changed++;
        for (LeadTransition t : ts) {
            changes.computeIfAbsent(t.field(), f -> new TreeMap<>()).merge(t.from() + " → " + t.to(), 1L, Long::sum);
        }
        if (sample.size() < SAMPLE) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("lead_id", lead.leadId());
            s.put("changes", ts.stream().map(t -> {
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("field", t.field());
                c.put("from", t.from());
                c.put("to", t.to());
                c.put("reason", t.reason());
                c.put("rule_id", t.ruleId());
                return c;
            }).toList());
            sample.add(s);
        }
    }

    public Map<String, Object> result(boolean complete) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("version", rules.version());
        out.put("as_of", asOf);
        out.put("evaluated", evaluated);
        out.put("complete", complete);
        out.put("leads_changed", changed);
        out.put("changes", changes);
        out.put("sample", sample);
        return out;
    }
}
