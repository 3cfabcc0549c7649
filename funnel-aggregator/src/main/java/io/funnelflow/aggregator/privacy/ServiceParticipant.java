package io.funnelflow.aggregator.privacy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.funnelflow.aggregator.downstream.Downstream;
import io.funnelflow.aggregator.downstream.DownstreamException;
import io.funnelflow.contract.json.Json;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * A participant that is another service, asked with this service's token at its {@code /api/users/{id}}:
 * a refusal stops the erasure (it is repeated as a whole), a JSON answer is what the service did.
 */
abstract class ServiceParticipant implements ErasureParticipant {

    protected final Downstream service;

    ServiceParticipant(Downstream service) {
        this.service = service;
    }

    @Override
    public int order() {
        return STORES;
    }

    static String path(Person person) {
        return "/api/users/" + URLEncoder.encode(person.userId(), StandardCharsets.UTF_8).replace("+", "%20");
    }

    JsonNode call(Downstream.Answer answer) throws JsonProcessingException {
        if (answer.status() / 100 != 2) {
            throw new DownstreamException(502, service.name(), service.base(), "refused with status " + answer.status()
                    + ": " + answer.body());
        }
        return Json.mapper().readTree(answer.body());
    }
}
