package io.funnelflow.aggregator.web;

import io.funnelflow.aggregator.downstream.Downstream;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import jakarta.inject.Named;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The dashboard's leads page, answered by crm-service and passed through so that the page has one origin:
 * the stage funnel with the health, track and owner distributions, a page of leads, the override log. When
 * crm-service is away the answer is 503 (502 when it failed) with a problem naming it; its own refusals pass
 * through as they are.
 */
@Controller("/api/crm")
@ExecuteOn(TaskExecutors.BLOCKING)
public class CrmPanelController {

    private final Downstream crm;

    public CrmPanelController(@Named("crm") Downstream crm) {
        this.crm = crm;
    }

    /** Stage counts, drop-off and median time in stage, and the health, track and owner distributions. */
    @Get("/funnel")
    HttpResponse<String> funnel() throws InterruptedException {
        return pass(crm.get("/api/crm/funnel", Map.of()));
    }

    /** A page of leads with their stage, reason, score, health, track and owner (filters as crm-service takes them). */
    @Get("/leads")
    HttpResponse<String> leads(@Nullable @QueryValue String stage, @Nullable @QueryValue String health,
                               @Nullable @QueryValue String track, @Nullable @QueryValue String owner,
                               @Nullable @QueryValue String after, @Nullable @QueryValue String limit) throws InterruptedException {
        Map<String, String> query = new LinkedHashMap<>();
        put(query, "stage", stage);
        put(query, "health", health);
        put(query, "track", track);
        put(query, "owner", owner);
        put(query, "after", after);
        put(query, "limit", limit);
        return pass(crm.get("/api/leads", query));
    }

    /** The latest entries of the override log. */
    @Get("/overrides")
    HttpResponse<String> overrides(@Nullable @QueryValue String limit) throws InterruptedException {
        Map<String, String> query = new LinkedHashMap<>();
        put(query, "limit", limit);
        return pass(crm.get("/api/crm/overrides", query));
    }

    private static void put(Map<String, String> query, String name, String value) {
        if (value != null && !value.isBlank()) {
            query.put(name, value);
        }
    }

    private static HttpResponse<String> pass(Downstream.Answer answer) {
        return HttpResponse.<String>status(HttpStatus.valueOf(answer.status())).contentType(MediaType.of(answer.contentType()))
                .body(answer.body());
    }
}
