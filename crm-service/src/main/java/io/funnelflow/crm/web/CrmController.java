package io.funnelflow.crm.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.funnelflow.contract.lead.RulesVersion;
import io.funnelflow.crm.rules.Rules;
import io.funnelflow.crm.store.LeadQuery;
import io.funnelflow.crm.store.RulesStore;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.funnelflow.service.security.Roles;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The CRM as a whole: the stage funnel, the override log and the rules (served, previewed, applied). */
@Controller("/api/crm")
@ExecuteOn(TaskExecutors.BLOCKING)
public class CrmController {

    /** The seed's logic_overrides.csv. */
    static final List<String> OVERRIDE_COLUMNS = List.of("timestamp", "lead_id", "field", "action", "old_value", "new_value",
            "changed_by", "reason", "override_id");

    private final LeadQuery query;
    private final RulesStore rules;

    public CrmController(LeadQuery query, RulesStore rules) {
        this.query = query;
        this.rules = rules;
    }

    /**
     * The stage funnel: per stage the leads there now, the leads that ever reached it, conversion from the
     * stage before, drop-off and the median days spent in it (of the stays that ended); and the distributions
     * of engagement health, nurture track and owner team.
     */
    @Get("/funnel")
    Map<String, Object> funnel() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("stages", query.funnel());
        out.put("engagement_health", query.distribution("engagement_health"));
        out.put("nurture_track", query.distribution("nurture_track"));
        out.put("owner_team", query.distribution("owner_team"));
        return out;
    }

    /**
     * The append-only log of overrides set and lifted, newest first: {@code limit} entries (up to 1,000; CSV up
     * to 10,000) {@code before} a time; {@code format=csv} or {@code Accept: text/csv} gives the seed's logic_overrides.csv.
     */
    @Get(value = "/overrides", produces = {MediaType.APPLICATION_JSON, "text/csv"})
    HttpResponse<?> overrides(HttpRequest<?> request, @Nullable @QueryValue String before, @Nullable @QueryValue String limit,
                              @Nullable @QueryValue String format) {
        boolean csv = Csv.wanted(format, request);
        List<LeadQuery.OverrideEntry> entries = query.overrides(null, Params.time("before", before),
                Params.limit(limit, csv ? 10_000 : 100, csv ? 10_000 : 1000));
        if (csv) {
            List<String[]> rows = new ArrayList<>();
            for (LeadQuery.OverrideEntry e : entries) {
                rows.add(new String[]{e.at().toString(), e.leadId(), e.field(), e.action(), e.previous(), e.value(), e.by(), e.why(),
                        e.overrideId()});
            }
            return Csv.response("logic_overrides.csv", OVERRIDE_COLUMNS, rows, null);
        }
        return HttpResponse.ok(Map.of("overrides", entries));
    }

    /** The rules in force (version, who applied them and why, and the document), and the latest versions. */
    @Get("/rules")
    Map<String, Object> rules() {
        RulesVersion active = rules.active();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("version", active.version());
        out.put("applied_at", active.appliedAt());
        out.put("applied_by", active.appliedBy());
        out.put("why", active.why());
        out.put("rules", active.document());
        out.put("versions", rules.versions(50, false).stream().map(v -> Map.of("version", v.version(), "applied_at", v.appliedAt(),
                "applied_by", v.appliedBy() == null ? "" : v.appliedBy(), "why", v.why() == null ? "" : v.why())).toList());
        return out;
    }

    /**
     * Applies a new version ({@code {"rules": {...}, "why": "...", "by": "..."}}): every lead is evaluated again
     * with it, its whole history included, within seconds (a sweep, in batches).
     */
    @Put("/rules")
    Map<String, Object> apply(@Nullable @Body JsonNode body, @Nullable Authentication auth) {
        JsonNode document = document(body);
        String why = text(body, "why", 500);
        if (why == null) {
            throw BadInput.field("why", "is required: a rule change says why");
        }
        String by = text(body, "by", 128);
        RulesVersion v = rules.apply(document, by != null ? by : Params.actor(auth), why);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("version", v.version());
        out.put("applied_at", v.appliedAt());
        out.put("applied_by", v.appliedBy());
        out.put("why", v.why());
        return out;
    }

    /**
     * What a new version ({@code {"rules": {...}}}) would change if applied now: per field the count of each
     * change from → to and a sample of leads, computed by the lifecycle's own evaluator. Changes nothing.
     */
    @Post("/rules/preview")
    @Secured(Roles.READ)
    Map<String, Object> preview(@Nullable @Body JsonNode body) {
        return rules.preview(document(body));
    }

    private static JsonNode document(JsonNode body) {
        if (body == null || !body.isObject() || !body.has("rules")) {
            throw BadInput.field("rules", "is required: the rules document (GET /api/crm/rules shows the one in force)");
        }
        for (var names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!List.of("rules", "why", "by").contains(name)) {
                throw BadInput.field(name, "is not a field of this request; use rules, why, by");
            }
        }
        JsonNode doc = body.get("rules");
        if (doc.toString().length() > Rules.MAX_BYTES) {
            throw BadInput.field("rules", "is larger than " + Rules.MAX_BYTES + " bytes");
        }
        return doc;
    }

    private static String text(JsonNode body, String name, int max) {
        JsonNode n = body.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual() || n.asText().length() > max) {
            throw BadInput.field(name, "must be a string of at most " + max + " characters");
        }
        return n.asText().isBlank() ? null : n.asText().trim();
    }
}
