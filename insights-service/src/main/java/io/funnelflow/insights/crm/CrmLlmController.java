package io.funnelflow.insights.crm;

import com.fasterxml.jackson.databind.JsonNode;
import io.funnelflow.insights.metrics.BadInputException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The CRM's guarded GenAI (crm-service calls these): {@code POST /api/llm/pain-point} with call notes, and
 * {@code POST /api/llm/reactivation-email} with a lead's record. Each answer says who wrote it (the LLM and
 * its model, or the rules and why), the prompt version and the SHA-256 of its input.
 */
@Controller("/api/llm")
@ExecuteOn(TaskExecutors.BLOCKING)
public class CrmLlmController {

    static final int MAX_NOTES = 4000;
    static final int MAX_FIELD = 300;

    private final CrmAnalyst analyst;

    public CrmLlmController(CrmAnalyst analyst) {
        this.analyst = analyst;
    }

    /** A one-line pain point from call notes ({@code {"notes": "..."}}, up to 4,000 characters), every phrase traceable to them. */
    @Post("/pain-point")
    CrmAnalyst.PainPoint painPoint(@Nullable @Body JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new BadInputException("body", "must be a JSON object {\"notes\": \"...\"}");
        }
        JsonNode notes = body.get("notes");
        if (notes == null || !notes.isTextual() || notes.asText().isBlank()) {
            throw new BadInputException("notes", "is required: the call notes as text");
        }
        if (notes.asText().length() > MAX_NOTES) {
            throw new BadInputException("notes", "is " + notes.asText().length() + " characters long; at most " + MAX_NOTES);
        }
        return analyst.painPoint(notes.asText());
    }

    /**
     * A reactivation e-mail draft from a lead's record ({@code {"lead": {"lead_id": …, "company_size": …, "last_engaged": …,
     * "engagement_channel": …, "pain_point": …, "sales_owner": …, "product": …}}}), every fact it states checked against the record.
     */
    @Post("/reactivation-email")
    CrmAnalyst.Email email(@Nullable @Body JsonNode body) {
        if (body == null || !body.isObject() || !body.path("lead").isObject()) {
            throw new BadInputException("lead", "is required: the lead's record as a JSON object");
        }
        Map<String, String> record = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = body.get("lead").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!ReactivationEmails.FIELDS.contains(e.getKey())) {
                throw new BadInputException("lead." + e.getKey(), "is not a field of the record; use " + String.join(", ", ReactivationEmails.FIELDS));
            }
            if (e.getValue().isNull()) {
                continue;
            }
            if (!e.getValue().isValueNode() || e.getValue().asText().length() > MAX_FIELD) {
                throw new BadInputException("lead." + e.getKey(), "must be a text of at most " + MAX_FIELD + " characters");
            }
            record.put(e.getKey(), e.getValue().asText());
        }
        if (!record.containsKey("lead_id")) {
            throw new BadInputException("lead.lead_id", "is required");
        }
        return analyst.email(record);
    }
}
