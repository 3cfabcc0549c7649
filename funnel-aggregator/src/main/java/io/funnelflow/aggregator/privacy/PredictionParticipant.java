package io.funnelflow.aggregator.privacy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.funnelflow.aggregator.downstream.Downstream;
import io.funnelflow.aggregator.downstream.DownstreamException;
import io.funnelflow.contract.json.Json;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The prediction service's part: its {@code predictions} rows and in-memory state of the person's sessions,
 * and tombstones for them on {@code funnelflow.predictions} — asked with this service's token through
 * {@code DELETE /api/users/{id}} there (and {@code POST /api/users/{id}/export}), with the session ids found here.
 */
public final class PredictionParticipant implements ErasureParticipant {

    private final Downstream prediction;

    public PredictionParticipant(Downstream prediction) {
        this.prediction = prediction;
    }

    @Override
    public String name() {
        return "prediction";
    }

    @Override
    public int order() {
        return STORES;
    }

    @Override
    public Object export(Person person) throws Exception {
        return call(prediction.post(path(person) + "/export", body(person)));
    }

    @Override
    public Map<String, Object> erase(Person person) throws Exception {
        JsonNode answer = call(prediction.delete(path(person), body(person)));
        Map<String, Object> out = new LinkedHashMap<>();
        answer.properties().forEach(f -> out.put(f.getKey(), f.getValue()));
        return out;
    }

    private static String path(Person person) {
        return "/api/users/" + URLEncoder.encode(person.userId(), StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String body(Person person) throws JsonProcessingException {
        return Json.mapper().writeValueAsString(Map.of("session_ids", person.sessionIds()));
    }

    private JsonNode call(Downstream.Answer answer) throws JsonProcessingException {
        if (answer.status() / 100 != 2) {
            throw new DownstreamException(502, prediction.name(), prediction.base(), "refused the erasure with status "
                    + answer.status() + ": " + answer.body());
        }
        return Json.mapper().readTree(answer.body());
    }
}
