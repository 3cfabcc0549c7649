package io.funnelflow.aggregator.web;

import io.funnelflow.aggregator.downstream.Downstream;
import io.funnelflow.aggregator.query.TimeRange;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import jakarta.inject.Named;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * The dashboard's panels that other services answer, passed through so that the page has one origin:
 * the analyst (insights-service) and the persona distribution (prediction-service). When a service is
 * away the answer is 503 (or 502 when it failed) with a problem naming it; see {@link ErrorHandlers}. A
 * service's own refusal (a 4xx problem) goes back as it is.
 */
@Controller("/api")
@ExecuteOn(TaskExecutors.BLOCKING)
public class DownstreamController {

    private final Downstream insights;
    private final Downstream prediction;
    private final Clock clock = Clock.systemUTC();

    public DownstreamController(@Named("insights") Downstream insights, @Named("prediction") Downstream prediction) {
        this.insights = insights;
        this.prediction = prediction;
    }

    /** The analyst's observations and recommendations; the body ({@code {"hours": N, "breakdown": "..."}}) goes as it is. */
    @Post(value = "/insights", consumes = MediaType.APPLICATION_JSON)
    HttpResponse<String> insights(@Nullable @Body String body) throws InterruptedException {
        return pass(insights.post("/api/insights", body == null || body.isBlank() ? "{}" : body));
    }

    /** Sessions, purchases and revenue per shopper persona over a range ({@code hours} or {@code from}/{@code to}). */
    @Get("/personas")
    HttpResponse<String> personas(@Nullable @QueryValue String hours, @Nullable @QueryValue String from,
                                  @Nullable @QueryValue String to) throws InterruptedException {
        TimeRange range = TimeRange.of(hours, from, to, clock);
        return pass(prediction.get("/api/analytics/personas", Map.of(
                "from", range.from().truncatedTo(ChronoUnit.MILLIS).toString(),
                "to", range.to().truncatedTo(ChronoUnit.MILLIS).toString())));
    }

    private static HttpResponse<String> pass(Downstream.Answer answer) {
        return HttpResponse.<String>status(io.micronaut.http.HttpStatus.valueOf(answer.status()))
                .contentType(MediaType.of(answer.contentType()))
                .body(answer.body());
    }
}
