package io.funnelflow.aggregator.privacy;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.funnelflow.aggregator.downstream.Downstream;
import io.funnelflow.contract.json.Json;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The prediction service's part: its {@code predictions} rows and in-memory state of the person's sessions,
 * and tombstones for them on {@code funnelflow.predictions} — asked through {@code DELETE /api/users/{id}}
 * there (and {@code POST /api/users/{id}/export}), with the session ids found here.
 */
public final class PredictionParticipant extends ServiceParticipant {

    public PredictionParticipant(Downstream prediction) {
        super(prediction);
    }

    @Override
    public String name() {
        return "prediction";
    }

    @Override
    public Object export(Person person) throws Exception {
        return call(service.post(path(person) + "/export", body(person)));
    }

    @Override
    public Map<String, Object> erase(Person person) throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        call(service.delete(path(person), body(person))).properties().forEach(f -> out.put(f.getKey(), f.getValue()));
        return out;
    }

    private static String body(Person person) throws JsonProcessingException {
        return Json.mapper().writeValueAsString(Map.of("session_ids", person.sessionIds()));
    }
}
