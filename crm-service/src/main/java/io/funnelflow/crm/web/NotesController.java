package io.funnelflow.crm.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.funnelflow.contract.json.Json;
import io.funnelflow.contract.lead.Lead;
import io.funnelflow.contract.lead.LeadField;
import io.funnelflow.crm.genai.InsightsClient;
import io.funnelflow.crm.genai.NotesStore;
import io.funnelflow.crm.store.LeadQuery;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.authentication.Authentication;
import io.funnelflow.service.problem.Problems;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Call notes and reactivation e-mails, through the insights-service's guarded GenAI: a note is stored with its
 * one-line pain point (the LLM's when every phrase is in the notes, else the rule-based extract, and the answer
 * says which and why); a draft is written from the lead's record only, gets the unsubscribe line from this
 * service's template (never from the model) and stays a draft until approved.
 */
@Controller("/api/leads/{id}")
@ExecuteOn(TaskExecutors.BLOCKING)
public class NotesController {

    static final int MAX_NOTES = 4000;

    private final LeadQuery leads;
    private final NotesStore store;
    private final InsightsClient insights;
    private final Clock clock;
    private final String product;
    private final String sender;
    private final String unsubscribe;

    public NotesController(LeadQuery leads, NotesStore store, InsightsClient insights, Clock clock,
                           @Value("${funnelflow.crm.email.product:our product}") String product,
                           @Value("${funnelflow.crm.email.from-name:The team}") String sender,
                           @Value("${funnelflow.crm.email.unsubscribe}") String unsubscribe) {
        this.leads = leads;
        this.store = store;
        this.insights = insights;
        this.clock = clock;
        this.product = product;
        this.sender = sender;
        this.unsubscribe = unsubscribe;
    }

    /** A lead's notes with their pain points, and its e-mail drafts, newest first. */
    @Get("/notes")
    Map<String, Object> notes(@PathVariable String id) {
        lead(id);
        return Map.of("notes", store.notes(id, 50), "drafts", store.drafts(id, 50));
    }

    /** Stores call notes ({@code {"notes": "...", "by": "..."}}, up to 4,000 characters) and answers their one-line pain point. */
    @Post("/notes")
    HttpResponse<Map<String, Object>> addNotes(@PathVariable String id, @Nullable @Body JsonNode body, @Nullable Authentication auth) {
        lead(id);
        fields(body, Set.of("notes", "by"));
        String notes = text(body, "notes", MAX_NOTES);
        if (notes == null) {
            throw BadInput.field("notes", "is required: the call notes as text");
        }
        String by = text(body, "by", 128);
        JsonNode answer = insights.post("/api/llm/pain-point", Map.of("notes", notes));
        String noteId = "note-" + UUID.randomUUID();
        Instant at = clock.instant();
        JsonNode analyst = analyst(answer);
        store.addNote(noteId, id, notes, answer.path("summary").asText(), analyst, by != null ? by : Params.actor(auth), at);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("note_id", noteId);
        out.put("lead_id", id);
        out.put("pain_point", answer.path("summary").asText());
        out.put("analyst", analyst);
        out.put("at", at);
        return HttpResponse.created(out);
    }

    /** Drafts a reactivation e-mail from the lead's record ({@code {"first_name": "...", "by": "..."}}, both optional). */
    @Post("/email-draft")
    HttpResponse<Map<String, Object>> draft(@PathVariable String id, @Nullable @Body JsonNode body, @Nullable Authentication auth) {
        Lead lead = lead(id);
        JsonNode b = body == null ? Json.mapper().createObjectNode() : body;
        fields(b, Set.of("first_name", "by"));
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("lead_id", id);
        put(record, "first_name", text(b, "first_name", 64));
        put(record, "company_size", lead.signals().companySize());
        put(record, "source", lead.signals().source());
        put(record, "engagement_channel", lead.signals().engagementChannel());
        put(record, "last_engaged", lead.signals().lastEngaged() == null ? null : lead.signals().lastEngaged().toString().substring(0, 10));
        put(record, "stage", value(lead.stage()));
        put(record, "nurture_track", value(lead.nurtureTrack()));
        put(record, "sales_owner", value(lead.salesOwner()));
        put(record, "pain_point", store.latestSummary(id).orElse(null));
        put(record, "product", product);
        put(record, "sender", sender);
        JsonNode answer = insights.post("/api/llm/reactivation-email", Map.of("lead", record));
        String draftId = "draft-" + UUID.randomUUID();
        Instant at = clock.instant();
        String text = answer.path("body").asText() + "\n\n--\n" + unsubscribe;
        JsonNode analyst = analyst(answer);
        String by = text(b, "by", 128);
        store.addDraft(draftId, id, answer.path("subject").asText(), text, analyst, by != null ? by : Params.actor(auth), at);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("draft_id", draftId);
        out.put("lead_id", id);
        out.put("status", "draft");
        out.put("subject", answer.path("subject").asText());
        out.put("body", text);
        out.put("analyst", analyst);
        out.put("record", record);
        out.put("at", at);
        return HttpResponse.created(out);
    }

    /** Approves a draft for sending ({@code {"by": "..."}}): only a person makes a draft an e-mail. */
    @Post("/email-drafts/{draftId}/approve")
    Map<String, Object> approve(@PathVariable String id, @PathVariable String draftId, @Nullable @Body JsonNode body,
                                @Nullable Authentication auth) {
        lead(id);
        JsonNode b = body == null ? Json.mapper().createObjectNode() : body;
        fields(b, Set.of("by"));
        String by = text(b, "by", 128);
        Map<String, Object> draft = store.draft(id, Params.text("draftId", draftId, 80))
                .orElseThrow(() -> new NotFound("lead " + id + " has no draft " + draftId));
        if (!"draft".equals(draft.get("status"))) {
            throw Problems.of(HttpStatus.CONFLICT, "already approved").reason("draft " + draftId + " was approved by "
                    + draft.get("approved_by") + " at " + draft.get("approved_at")).exception();
        }
        if (!store.approve(id, draftId, by != null ? by : Params.actor(auth), clock.instant())) {
            throw Problems.of(HttpStatus.CONFLICT, "already approved").reason("draft " + draftId + " was approved meanwhile").exception();
        }
        return store.draft(id, draftId).orElseThrow();
    }

    private Lead lead(String id) {
        return leads.lead(Params.leadId(id)).orElseThrow(() -> new NotFound("no lead " + id));
    }

    private static JsonNode analyst(JsonNode answer) {
        ObjectNode a = answer.path("analyst").isObject() ? ((ObjectNode) answer.path("analyst")).deepCopy() : Json.mapper().createObjectNode();
        a.put("input_sha256", answer.path("input_sha256").asText());
        a.put("answer_id", answer.path("id").asText());
        return a;
    }

    private static void put(Map<String, Object> m, String k, Object v) {
        if (v != null) {
            m.put(k, v);
        }
    }

    private static String value(LeadField f) {
        return f == null ? null : f.value();
    }

    private static void fields(JsonNode body, Set<String> allowed) {
        if (body == null || !body.isObject()) {
            throw BadInput.field("body", "must be a JSON object");
        }
        for (var names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw BadInput.field(name, "is not a field of this request; use " + String.join(", ", List.copyOf(allowed)));
            }
        }
    }

    private static String text(JsonNode body, String name, int max) {
        JsonNode n = body.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw BadInput.field(name, "must be a string");
        }
        if (n.asText().length() > max) {
            throw BadInput.field(name, "is " + n.asText().length() + " characters long; at most " + max);
        }
        return n.asText().isBlank() ? null : n.asText().strip();
    }
}
