package io.funnelflow.aggregator.web;

import io.funnelflow.aggregator.funnel.FunnelCount;
import io.funnelflow.aggregator.funnel.FunnelMode;
import io.funnelflow.aggregator.query.AnalyticsQuery;
import io.funnelflow.aggregator.query.BadParameterException;
import io.funnelflow.aggregator.query.Breakdown;
import io.funnelflow.aggregator.query.FunnelHistory;
import io.funnelflow.aggregator.query.FunnelQuery;
import io.funnelflow.aggregator.query.FunnelStore;
import io.funnelflow.aggregator.query.NotFoundException;
import io.funnelflow.aggregator.query.SessionQuery;
import io.funnelflow.aggregator.query.TimeRange;
import io.funnelflow.contract.funnel.FunnelDefinition;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/** The query API: funnels, KPIs, trends and sessions over any time range; the reports also as CSV ({@link CsvExport}). */
@Controller("/api")
@ExecuteOn(TaskExecutors.BLOCKING)
public class QueryController {

    private final FunnelQuery funnels;
    private final FunnelStore funnelStore;
    private final FunnelHistory funnelHistory;
    private final AnalyticsQuery analytics;
    private final SessionQuery sessions;
    private final Clock clock = Clock.systemUTC();

    public QueryController(FunnelQuery funnels, FunnelStore funnelStore, FunnelHistory funnelHistory, AnalyticsQuery analytics,
                           SessionQuery sessions) {
        this.funnels = funnels;
        this.funnelStore = funnelStore;
        this.funnelHistory = funnelHistory;
        this.analytics = analytics;
        this.sessions = sessions;
    }

    @Get("/funnel")
    @Produces({MediaType.APPLICATION_JSON, CsvBodyWriter.TEXT_CSV})
    FunnelQuery.Answer funnel(@Nullable @QueryValue String hours, @Nullable @QueryValue String from, @Nullable @QueryValue String to,
                              @Nullable @QueryValue String funnel, @Nullable @QueryValue String mode,
                              @Nullable @QueryValue String count, @Nullable @QueryValue String breakdown) throws SQLException {
        TimeRange range = TimeRange.of(hours, from, to, clock);
        String name = funnel == null || funnel.isBlank() ? FunnelDefinition.DEFAULT_NAME : funnel;
        FunnelStore.Version version = funnelStore.find(name)
                .orElseThrow(() -> new NotFoundException("funnel", "no funnel is named '" + name + "'"));
        return funnels.report(range, version.id(), version.definition(), funnelHistory.history(version),
                parse("mode", mode, FunnelMode.DEFAULT, FunnelMode::parse),
                parse("count", count, FunnelCount.DEFAULT, FunnelCount::parse), Breakdown.parse(breakdown));
    }

    /** A saved funnel as listed: its steps, and whether its figures cover its whole history yet. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SavedFunnelView(String name, List<String> steps, int version, java.time.Instant createdAt, String status,
                                  Double progress, String statusReason) {
    }

    @Get("/funnels")
    List<SavedFunnelView> listFunnels() throws SQLException {
        List<SavedFunnelView> out = new java.util.ArrayList<>();
        for (FunnelStore.Version v : funnelStore.all()) {
            out.add(view(v));
        }
        return out;
    }

    private SavedFunnelView view(FunnelStore.Version v) throws SQLException {
        FunnelQuery.History h = funnelHistory.history(v);
        return new SavedFunnelView(v.name(), v.steps(), v.id(), v.createdAt(), h.status(), h.progress(), h.reason());
    }

    @Post("/funnels")
    HttpResponse<SavedFunnelView> saveFunnel(@Body Map<String, Object> body) throws SQLException, InterruptedException {
        Object name = body.get("name");
        Object steps = body.get("steps");
        if (!(name instanceof String n)) {
            throw new BadParameterException("name", "is required: a string");
        }
        if (!(steps instanceof List<?> list) || !list.stream().allMatch(s -> s instanceof String)) {
            throw new BadParameterException("steps", "is required: a list of event types");
        }
        if (FunnelDefinition.DEFAULT_NAME.equals(n)) {
            throw new BadParameterException("name", "'default' is the built-in funnel and cannot be replaced");
        }
        List<String> stepList = list.stream().map(String.class::cast).toList();
        List<String> problems = FunnelDefinition.problems(n, stepList);
        if (!problems.isEmpty()) {
            String first = problems.get(0);
            throw new BadParameterException(first.substring(0, first.indexOf(':')), first.substring(first.indexOf(':') + 2));
        }
        FunnelStore.Saved saved = funnelStore.save(new FunnelDefinition(n, stepList));
        return HttpResponse.status(saved.created() ? HttpStatus.CREATED : HttpStatus.OK).body(view(saved.version()));
    }

    @Get("/analytics")
    @Produces({MediaType.APPLICATION_JSON, CsvBodyWriter.TEXT_CSV})
    AnalyticsQuery.Kpis kpis(@Nullable @QueryValue String hours, @Nullable @QueryValue String from,
                             @Nullable @QueryValue String to) throws SQLException {
        return analytics.kpis(TimeRange.of(hours, from, to, clock));
    }

    @Get("/trends")
    @Produces({MediaType.APPLICATION_JSON, CsvBodyWriter.TEXT_CSV})
    AnalyticsQuery.Trend trends(@Nullable @QueryValue String hours, @Nullable @QueryValue String from,
                                @Nullable @QueryValue String to, @Nullable @QueryValue String interval,
                                @Nullable @QueryValue("event_type") String eventType) throws SQLException {
        return analytics.trend(TimeRange.of(hours, from, to, clock), AnalyticsQuery.Interval.parse(interval), eventType);
    }

    @Get("/sessions/{id}")
    SessionQuery.SessionView session(@PathVariable String id) throws SQLException {
        return sessions.find(id).orElseThrow(() -> new NotFoundException("id", "no session has the id '" + id + "'"));
    }

    private static <T> T parse(String parameter, String value, T fallback, java.util.function.Function<String, T> parser) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return parser.apply(value);
        } catch (IllegalArgumentException e) {
            throw new BadParameterException(parameter, e.getMessage());
        }
    }
}
