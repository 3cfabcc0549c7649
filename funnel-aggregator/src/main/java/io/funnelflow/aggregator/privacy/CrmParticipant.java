package io.funnelflow.aggregator.privacy;

import io.funnelflow.aggregator.downstream.Downstream;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The CRM's part: the person's lead (their user id names it), its transitions, overrides, notes and drafts —
 * exported with {@code GET /api/users/{id}/export} there and erased with {@code DELETE /api/users/{id}}, which
 * also has the lifecycle forget the lead and tombstone it on its topics.
 */
public final class CrmParticipant extends ServiceParticipant {

    public CrmParticipant(Downstream crm) {
        super(crm);
    }

    @Override
    public String name() {
        return "crm";
    }

    @Override
    public Object export(Person person) throws Exception {
        return call(service.get(path(person) + "/export", Map.of()));
    }

    @Override
    public Map<String, Object> erase(Person person) throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        call(service.delete(path(person), "{}")).path("deleted").properties().forEach(f -> out.put(f.getKey(), f.getValue()));
        return out;
    }
}
