package io.funnelflow.crm.web;

import io.funnelflow.contract.lead.LeadCommand;
import io.funnelflow.crm.genai.NotesStore;
import io.funnelflow.crm.store.CommandPublisher;
import io.funnelflow.crm.store.LeadEraser;
import io.funnelflow.crm.store.LeadQuery;
import io.funnelflow.service.security.Roles;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A person's data in the CRM (their lead is their user id): exported, or erased everywhere the CRM keeps it —
 * the lifecycle forgets the lead (and publishes tombstones), and PostgreSQL's rows go at once.
 */
@Controller("/api/users/{id}")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured(Roles.ADMIN)
public class UsersController {

    private final LeadQuery leads;
    private final NotesStore notes;
    private final CommandPublisher commands;
    private final LeadEraser eraser;
    private final Clock clock;

    public UsersController(LeadQuery leads, NotesStore notes, CommandPublisher commands, LeadEraser eraser, Clock clock) {
        this.leads = leads;
        this.notes = notes;
        this.commands = commands;
        this.eraser = eraser;
        this.clock = clock;
    }

    /** Everything the CRM keeps of a person: their lead, its transitions, overrides, notes and drafts. */
    @Get("/export")
    Map<String, Object> export(@PathVariable String id) {
        Params.leadId(id);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("user_id", id);
        out.put("lead", leads.lead(id).orElse(null));
        out.put("transitions", leads.transitions(id, 10_000));
        out.put("overrides", leads.overrides(id, null, 10_000));
        out.put("notes", notes.notes(id, 10_000));
        out.put("drafts", notes.drafts(id, 10_000));
        return out;
    }

    /** Erases a person's lead everywhere the CRM keeps it; answers what was deleted. */
    @Delete
    Map<String, Object> erase(@PathVariable String id, @Nullable Authentication auth) {
        Params.leadId(id);
        commands.send(List.of(new LeadCommand(UUID.randomUUID().toString(), LeadCommand.ERASE, id, clock.instant(),
                Params.actor(auth), "erasure requested", null, null, null)));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("user_id", id);
        out.put("deleted", eraser.erase(id));
        return out;
    }
}
