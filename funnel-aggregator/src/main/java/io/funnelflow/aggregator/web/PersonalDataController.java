package io.funnelflow.aggregator.web;

import io.funnelflow.aggregator.privacy.PersonalData;
import io.funnelflow.aggregator.query.BadParameterException;
import io.funnelflow.contract.event.EventValidator;
import io.funnelflow.service.problem.Problems;
import io.funnelflow.service.security.Roles;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;

/**
 * A person's data: erase it everywhere we keep it, or export all of it (admin only, both). The person is
 * named by their user id, as the site sent it.
 */
@Controller("/api/users")
@ExecuteOn(TaskExecutors.BLOCKING)
public class PersonalDataController {

    static final long RETRY_AFTER_SECONDS = 5;

    private final PersonalData personalData;

    public PersonalDataController(PersonalData personalData) {
        this.personalData = personalData;
    }

    /**
     * Erases the person: adds them to the suppression list (ingest drops their later events), has the stream
     * forget their sessions (figures lose them, tombstones follow), deletes their raw events and sessions, has
     * the prediction service delete theirs, and takes them out of the live feed. Answers what each part erased.
     */
    @Delete("/{id}")
    PersonalData.Erased erase(@PathVariable String id) throws Exception {
        try {
            return personalData.erase(checked(id));
        } catch (PersonalData.PartialErasure e) {
            throw Problems.unavailable("erasure incomplete", RETRY_AFTER_SECONDS)
                    .reason(e.participant() + " could not erase; repeat the request (an erasure can be repeated safely)")
                    .with("done", e.done()).with("failed", e.participant()).exception();
        }
    }

    /** Everything kept about the person, part by part (their sessions and raw events, their predictions). */
    @Get("/{id}/export")
    @Secured(Roles.ADMIN)
    PersonalData.Export export(@PathVariable String id) throws Exception {
        return personalData.export(checked(id));
    }

    private static String checked(String id) {
        if (id.isBlank() || id.length() > EventValidator.MAX_ID_LENGTH) {
            throw new BadParameterException("id", "must be a user id of 1 to " + EventValidator.MAX_ID_LENGTH + " characters");
        }
        return id;
    }
}
