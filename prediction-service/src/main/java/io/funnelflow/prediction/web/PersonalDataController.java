package io.funnelflow.prediction.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.funnelflow.contract.event.EventValidator;
import io.funnelflow.prediction.privacy.PersonalRecords;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The prediction service's part of erasing and exporting a person (admin; the aggregator's
 * {@code DELETE /api/users/{id}} and {@code GET /api/users/{id}/export} call these with its token). The body
 * names the person's sessions, as the aggregator found them: {@code {"session_ids": [...]}}.
 */
@Controller("/api/users")
@ExecuteOn(TaskExecutors.BLOCKING)
public class PersonalDataController {

    private final PersonalRecords records;

    public PersonalDataController(PersonalRecords records) {
        this.records = records;
    }

    /** Deletes the person's predictions and scoring state and publishes tombstones for their sessions. */
    @Delete("/{id}")
    Map<String, Object> erase(@PathVariable String id, @Nullable @Body JsonNode body) throws Exception {
        return records.erase(checked(id), sessionIds(body));
    }

    /** The person's predictions. */
    @Post("/{id}/export")
    Map<String, Object> export(@PathVariable String id, @Nullable @Body JsonNode body) throws Exception {
        return records.export(checked(id), sessionIds(body));
    }

    private static String checked(String id) {
        if (id.isBlank() || id.length() > EventValidator.MAX_ID_LENGTH) {
            throw new BadFieldException("id", "must be a user id of 1 to " + EventValidator.MAX_ID_LENGTH + " characters");
        }
        return id;
    }

    private static List<String> sessionIds(JsonNode body) {
        if (body == null || body.path("session_ids").isMissingNode()) {
            return List.of();
        }
        JsonNode ids = body.path("session_ids");
        if (!ids.isArray()) {
            throw new BadFieldException("session_ids", "must be an array of session ids");
        }
        if (ids.size() > PersonalRecords.MAX_SESSIONS) {
            throw new BadFieldException("session_ids", "names more than " + PersonalRecords.MAX_SESSIONS + " sessions");
        }
        List<String> out = new ArrayList<>(ids.size());
        for (JsonNode id : ids) {
            if (!id.isTextual() || id.asText().length() > EventValidator.MAX_ID_LENGTH) {
                throw new BadFieldException("session_ids", "must hold session ids of at most " + EventValidator.MAX_ID_LENGTH + " characters");
            }
            out.add(id.asText());
        }
        return out;
    }
}
