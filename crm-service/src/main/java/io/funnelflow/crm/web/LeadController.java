package io.funnelflow.crm.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.funnelflow.contract.lead.Lead;
import io.funnelflow.contract.lead.LeadCommand;
import io.funnelflow.contract.lead.LeadField;
import io.funnelflow.crm.imports.LeadImport;
import io.funnelflow.crm.lead.LeadLifecycle;
import io.funnelflow.crm.rules.Evaluator;
import io.funnelflow.crm.rules.Stage;
import io.funnelflow.crm.store.CommandPublisher;
import io.funnelflow.crm.store.LeadQuery;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.authentication.Authentication;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Leads: the list (filtered, paginated, JSON or the seed's CSV), one lead with its transitions, the
 * import, and overrides. Changes go to the lifecycle as commands; a 2xx means Kafka has them, and the
 * lead shows them as soon as the lifecycle has applied them (within a second).
 */
@Controller("/api/leads")
@ExecuteOn(TaskExecutors.BLOCKING)
public class LeadController {

    static final int MAX_PAGE = 1000;
    static final int MAX_CSV_PAGE = 10_000;
    static final List<String> HEALTH = List.of(Evaluator.ACTIVE, Evaluator.STALE, Evaluator.DORMANT);
    /** The seed's leads_with_stages, leads_with_feedback_flags and leads_with_nurture_tracks in one export. */
    static final List<String> CSV_COLUMNS = List.of("lead_id", "created_at", "funnel_stage", "intent_score", "last_engaged",
            "company_size", "source", "engagement_channel", "sales_owner", "simulated_stage", "stage_reason", "engagement_health",
            "nurture_track", "owner_team", "top_signals", "health_reason", "track_reason");

    private final LeadQuery query;
    private final LeadImport imports;
    private final CommandPublisher commands;
    private final Clock clock;

    public LeadController(LeadQuery query, LeadImport imports, CommandPublisher commands, Clock clock) {
        this.query = query;
        this.imports = imports;
        this.commands = commands;
        this.clock = clock;
    }

    /**
     * Leads by lead id, filtered by stage, engagement health, nurture track and owner team; {@code limit} per page
     * (JSON up to 1,000, CSV up to 10,000), the next page {@code after} the last id (JSON {@code next}, CSV header
     * {@code X-Next-After}). {@code format=csv} or {@code Accept: text/csv} gives the seed's columns.
     */
    @Get(produces = {MediaType.APPLICATION_JSON, "text/csv"})
    HttpResponse<?> list(HttpRequest<?> request, @Nullable @QueryValue String stage, @Nullable @QueryValue String health,
                         @Nullable @QueryValue String track, @Nullable @QueryValue String owner, @Nullable @QueryValue String after,
                         @Nullable @QueryValue String limit, @Nullable @QueryValue String format) {
        boolean csv = Csv.wanted(format, request);
        LeadQuery.Filter filter = new LeadQuery.Filter(Params.oneOf("stage", stage, Stage.NAMES), Params.oneOf("health", health, HEALTH),
                Params.text("track", track, 64), Params.text("owner", owner, 64));
        if (after != null) {
            Params.leadId("after", after);
        }
        LeadQuery.Page page = query.list(filter, after, Params.limit(limit, csv ? MAX_CSV_PAGE : 100, csv ? MAX_CSV_PAGE : MAX_PAGE));
        if (csv) {
            List<String[]> rows = new ArrayList<>();
            for (Lead l : page.leads()) {
                rows.add(csvRow(l));
            }
            return Csv.response("leads.csv", CSV_COLUMNS, rows, page.next());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("leads", page.leads());
        body.put("next", page.next());
        return HttpResponse.ok(body);
    }

    static String[] csvRow(Lead l) {
        var s = l.signals();
        String top = l.topSignals() == null ? "" : String.join("; ", l.topSignals().stream()
                .map(c -> c.signal() + " " + c.value() + " (+" + c.points() + ")").toList());
        return new String[]{l.leadId(), str(l.createdAt()), s.importedStage(), value(l.intentScore()), str(s.lastEngaged()),
                s.companySize(), s.source(), s.engagementChannel(), value(l.salesOwner()), value(l.stage()), reason(l.stage()),
                value(l.engagementHealth()), value(l.nurtureTrack()), value(l.ownerTeam()), top, reason(l.engagementHealth()),
                reason(l.nurtureTrack())};
    }

    private static String value(LeadField f) {
        return f == null ? null : f.value();
    }

    private static String reason(LeadField f) {
        return f == null ? null : f.reason();
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }

    /** One lead as it stands (each field with its computed value, reason, rule and version) and its latest transitions. */
    @Get("/{id}")
    Map<String, Object> lead(@PathVariable String id, @Nullable @QueryValue String limit) {
        Lead lead = query.lead(Params.leadId(id)).orElseThrow(() -> new NotFound("no lead " + id));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("lead", lead);
        body.put("transitions", query.transitions(id, Params.limit(limit, 200, 1000)));
        body.put("overrides", query.overrides(id, null, 100));
        return body;
    }

    /**
     * Imports leads from a CSV file in the seed's format (up to 4 MB and 20,000 rows): every good row is kept,
     * each bad one answered with its line, field and reason. 200 when every row was good, 207 when some were not,
     * 400 when none was.
     */
    @Post(value = "/import", consumes = {"text/csv", MediaType.TEXT_PLAIN, MediaType.APPLICATION_OCTET_STREAM})
    HttpResponse<?> importLeads(@Body byte[] body, @Nullable @QueryValue String by, @Nullable Authentication auth) {
        String actor = Params.text("by", by, 128);
        LeadImport.Outcome outcome = imports.run(body, actor != null ? actor : Params.actor(auth));
        if (outcome.accepted() == 0 && !outcome.rejected().isEmpty()) {
            return io.funnelflow.service.problem.Problems.of(HttpStatus.BAD_REQUEST, "invalid import")
                    .reason("no row of the file is valid: each is listed in rejected")
                    .with("import_id", outcome.importId()).with("accepted", 0).with("rejected", outcome.rejected())
                    .response();
        }
        return HttpResponse.status(outcome.rejected().isEmpty() ? HttpStatus.OK : HttpStatus.MULTI_STATUS).body(outcome);
    }

    /** Sets a field by hand ({@code {"field", "value", "by", "why"}}); it holds, through later events and rule changes, until lifted. */
    @Post("/{id}/overrides")
    HttpResponse<Map<String, Object>> override(@PathVariable String id, @Nullable @Body JsonNode body, @Nullable Authentication auth) {
        Params.leadId(id);
        if (body == null || !body.isObject()) {
            throw BadInput.field("body", "must be a JSON object {\"field\": …, \"value\": …, \"by\": …, \"why\": …}");
        }
        for (var names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!Set.of("field", "value", "by", "why").contains(name)) {
                throw BadInput.field(name, "is not a field of an override; use field, value, by, why");
            }
        }
        String field = body.path("field").asText(null);
        if (field == null || !Lead.FIELDS.contains(field)) {
            throw BadInput.field("field", "must be one of " + String.join(", ", Lead.FIELDS));
        }
        String value;
        try {
            value = LeadLifecycle.canonical(field, body.path("value").isValueNode() && !body.path("value").isNull()
                    ? body.path("value").asText() : null);
        } catch (IllegalArgumentException e) {
            throw BadInput.field("value", e.getMessage());
        }
        String why = text(body, "why", 500);
        if (why == null) {
            throw BadInput.field("why", "is required: an override says why");
        }
        String by = text(body, "by", 128);
        query.lead(id).orElseThrow(() -> new NotFound("no lead " + id));
        LeadCommand c = new LeadCommand(UUID.randomUUID().toString(), LeadCommand.OVERRIDE, id, clock.instant(),
                by != null ? by : Params.actor(auth), why, null, field, value);
        commands.send(List.of(c));
        return HttpResponse.accepted().body(Map.of("override_id", c.commandId(), "lead_id", id, "field", field, "value", value,
                "by", c.actor(), "why", why, "at", c.at()));
    }

    /** Lifts the override of one field: the computed value takes over again. */
    @Delete("/{id}/overrides/{field}")
    HttpResponse<Map<String, Object>> lift(@PathVariable String id, @PathVariable String field, @Nullable @QueryValue String by,
                                           @Nullable @QueryValue String why, @Nullable Authentication auth) {
        Params.leadId(id);
        if (!Lead.FIELDS.contains(field)) {
            throw BadInput.parameter("field", "must be one of " + String.join(", ", Lead.FIELDS));
        }
        Lead lead = query.lead(id).orElseThrow(() -> new NotFound("no lead " + id));
        if (lead.overrides() == null || !lead.overrides().containsKey(field)) {
            throw new NotFound("lead " + id + " has no override of " + field);
        }
        String actor = Params.text("by", by, 128);
        LeadCommand c = new LeadCommand(UUID.randomUUID().toString(), LeadCommand.LIFT, id, clock.instant(),
                actor != null ? actor : Params.actor(auth), Params.text("why", why, 500), null, field, null);
        commands.send(List.of(c));
        return HttpResponse.accepted().body(Map.of("override_id", c.commandId(), "lead_id", id, "field", field, "by", c.actor(),
                "at", c.at()));
    }

    private static String text(JsonNode body, String name, int max) {
        JsonNode n = body.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw BadInput.field(name, "must be a string");
        }
        String v = n.asText().trim();
        if (v.length() > max) {
            throw BadInput.field(name, "must be at most " + max + " characters");
        }
        return v.isEmpty() ? null : v;
    }
}
