package io.funnelflow.prediction.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.funnelflow.prediction.ModelService;
import io.funnelflow.prediction.features.Features;
import io.funnelflow.prediction.model.ModelCard;
import io.funnelflow.prediction.model.ModelRegistry;
import io.funnelflow.prediction.model.Trained;
import io.funnelflow.prediction.scoring.Scorer;
import io.funnelflow.prediction.scoring.ScoringStats;
import io.funnelflow.prediction.store.PredictionStore;
import io.funnelflow.prediction.store.SessionHistory;
import io.funnelflow.service.security.Roles;
import io.funnelflow.contract.event.EventValidator;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.health.HealthStatus;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.management.endpoint.health.HealthEndpoint;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/** The prediction service's HTTP API: the model, ad-hoc predictions, and what predictions achieved. */
@Controller("/api")
@ExecuteOn(TaskExecutors.BLOCKING)
public class PredictionController {

    private final ModelService models;
    private final ModelRegistry registry;
    private final Scorer scorer;
    private final PredictionStore predictions;
    private final ScoringStats stats;
    private final HealthEndpoint health;
    private final int discountPercent;
    private final Clock clock = Clock.systemUTC();

    /** The longest range a report reads: three years. */
    static final int MAX_HOURS = 24 * 366 * 3;

    public PredictionController(ModelService models, ModelRegistry registry, Scorer scorer, PredictionStore predictions,
                                ScoringStats stats, HealthEndpoint health,
                                @Value("${funnelflow.prediction.incentives.discount-percent:10}") int discountPercent) {
        this.models = models;
        this.registry = registry;
        this.scorer = scorer;
        this.predictions = predictions;
        this.stats = stats;
        this.health = health;
        this.discountPercent = discountPercent;
    }

    /** The served model (or the baseline, with why), and the latest training runs. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ModelView(String model, String modelVersion, String reason, ModelCard served, Baseline baseline,
                            boolean training, List<ModelCard> recent) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Baseline(double rate, double low, double high, long sessions) {

        static Baseline of(SessionHistory.Baseline b) {
            double[] band = b.interval();
            return new Baseline(b.rate(), band[0], band[1], b.sessions());
        }
    }

    @Get("/model")
    public ModelView model() {
        Trained served = scorer.served();
        List<ModelCard> recent = registry.recent(10);
        Baseline baseline = Baseline.of(scorer.baseline());
        if (served == null) {
            String reason = models.loadFailure() != null ? models.loadFailure()
                    : recent.isEmpty() ? "no model trained yet" : "no version passed the gates; latest: " + recent.get(0).reason();
            return new ModelView("baseline", Scorer.BASELINE, reason, null, baseline, models.training(), recent);
        }
        return new ModelView("trained", served.card().version(), null, served.card(), baseline, models.training(), recent);
    }

    @Post("/model/train")
    public HttpResponse<ModelCard> train() {
        ModelCard card = models.train();
        return HttpResponse.ok(card.withoutProvenance());
    }

    @Get("/model/stats")
    public ScoringStats.Snapshot stats() {
        return stats.snapshot();
    }

    /**
     * A prediction. {@code persona} and {@code incentive} are our names (strings), except for a request in
     * seed 002's documented form (a numeric {@code session_id}), which gets the seed's objects
     * ({@code persona.type}, {@code incentive.type/message/discount/priority}); {@code session_id},
     * {@code timestamp} and {@code prediction} ({@code will_buy}, {@code confidence} 0–100,
     * {@code probability}) are in every answer.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record PredictResponse(String model, String modelVersion, double purchaseProbability, double confidenceLow,
                                  double confidenceHigh, Object persona, Object incentive, String incentiveReason,
                                  boolean heldOut, Features features, Object sessionId, Instant timestamp,
                                  SeedShapes.SeedPrediction prediction) {
    }

    /** Computes without changing anything, so a read token may ask (the policy would want admin for a POST). */
    @Post("/predict")
    @Secured(Roles.READ)
    public PredictResponse predict(@Body @Nullable JsonNode body) {
        PredictRequest.Parsed request = PredictRequest.parse(body, clock.instant());
        Scorer.Scored s = scorer.score(request.sessionId(), request.features());
        boolean seed = request.sessionIdIsNumber();
        Object persona = seed ? SeedShapes.persona(s.persona()) : s.persona();
        Object incentive = seed ? SeedShapes.incentive(s.decision(), discountPercent) : s.decision().incentive().wireName();
        Object sessionId = seed ? (Object) Long.valueOf(request.sessionId()) : request.sessionId();
        return new PredictResponse(s.baseline() ? "baseline" : "trained", s.modelVersion(), s.probability(), s.low(),
                s.high(), persona, incentive, s.decision().reason(), s.decision().heldOut(), request.features(), sessionId,
                clock.instant(), SeedShapes.SeedPrediction.of(s.probability()));
    }

    /**
     * Seed 002's analytics summary over the sessions started in a range (default the last 24 hours):
     * {@code conversion_rate} in percent, {@code avg_session_time} in seconds, {@code top_persona} the
     * commonest persona of the sessions scored by a trained model, as the seed names it. Bounded SQL
     * aggregation; no row is read into the service.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Analytics(Instant from, Instant to, long totalSessions, double conversionRate, double avgSessionTime,
                            String topPersona, double totalRevenue) {
    }

    @Get("/analytics")
    public Analytics analytics(@QueryValue @Nullable String from, @QueryValue @Nullable String to,
                               @QueryValue @Nullable Integer hours) {
        if (hours != null && (hours < 1 || hours > MAX_HOURS)) {
            throw new BadFieldException("hours", "must be between 1 and " + MAX_HOURS);
        }
        Instant[] range = range(from, to, from == null && hours == null ? Integer.valueOf(24) : hours);
        PredictionStore.Summary s = predictions.summary(range[0], range[1]);
        List<PredictionStore.PersonaShare> personas = predictions.personas(range[0], range[1]);
        // sessions scored while no model was served have no persona: the top persona is the commonest known one
        String top = personas.stream().map(PredictionStore.PersonaShare::persona).filter(p -> !Scorer.UNKNOWN_PERSONA.equals(p))
                .findFirst().map(SeedShapes::personaType).orElse(null);
        return new Analytics(range[0], range[1], s.sessions(),
                s.sessions() == 0 ? 0 : Math.round(1000.0 * s.converted() / s.sessions()) / 10.0,
                Math.round(s.averageSeconds() * 10) / 10.0, top, Math.round(s.revenue() * 100) / 100.0);
    }

    /** Seed 002's health answer: {@code healthy} (200) or {@code unhealthy} (503), as {@code /health} judges it. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record SeedHealth(String status, boolean modelTrained, Instant timestamp) {
    }

    @Get("/health")
    public HttpResponse<SeedHealth> seedHealth() {
        HealthResult result = Mono.from(health.getHealth(null)).block(Duration.ofSeconds(10));
        boolean up = result != null && HealthStatus.UP.equals(result.getStatus());
        SeedHealth body = new SeedHealth(up ? "healthy" : "unhealthy", scorer.served() != null, clock.instant());
        return up ? HttpResponse.ok(body)
                : HttpResponse.<SeedHealth>status(HttpStatus.SERVICE_UNAVAILABLE).header("Retry-After", "5").body(body);
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Personas(Instant from, Instant to, String modelVersion, List<PredictionStore.PersonaShare> personas) {
    }

    @Get("/analytics/personas")
    public Personas personas(@QueryValue @Nullable String from, @QueryValue @Nullable String to,
                             @QueryValue @Nullable Integer hours) {
        Instant[] range = range(from, to, hours);
        Trained served = scorer.served();
        return new Personas(range[0], range[1], served == null ? Scorer.BASELINE : served.card().version(),
                predictions.personas(range[0], range[1]));
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Incentives(Instant from, Instant to, double heldOutShare, List<PredictionStore.IncentiveResult> incentives) {
    }

    @Get("/analytics/incentives")
    public Incentives incentives(@QueryValue @Nullable String from, @QueryValue @Nullable String to,
                                 @QueryValue @Nullable Integer hours) {
        Instant[] range = range(from, to, hours);
        return new Incentives(range[0], range[1], scorer.incentives().settings().heldOutShare(),
                predictions.incentives(range[0], range[1]));
    }

    /** [from, to): explicit instants, or the last {@code hours}, or the last 30 days; at most {@link #MAX_HOURS} long. */
    Instant[] range(String from, String to, Integer hours) {
        Instant end = to == null ? clock.instant() : instant("to", to);
        Instant start;
        if (from != null) {
            start = instant("from", from);
        } else if (hours != null) {
            if (hours < 1 || hours > MAX_HOURS) {
                throw new BadFieldException("hours", "must be between 1 and " + MAX_HOURS);
            }
            start = end.minus(Duration.ofHours(hours));
        } else {
            start = end.minus(Duration.ofDays(30));
        }
        if (!start.isBefore(end)) {
            throw new BadFieldException("from", "must be before to");
        }
        if (Duration.between(start, end).compareTo(Duration.ofHours(MAX_HOURS)) > 0) {
            throw new BadFieldException("from", "the range may cover at most " + MAX_HOURS + " hours (three years)");
        }
        return new Instant[]{start, end};
    }

    private static Instant instant(String field, String value) {
        Instant t;
        try {
            t = Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new BadFieldException(field, "must be an RFC 3339 time such as 2026-11-22T10:00:00Z");
        }
        if (t.isBefore(EventValidator.RAW_EARLIEST) || !t.isBefore(EventValidator.RAW_LATEST)) {
            throw new BadFieldException(field, "must lie between " + EventValidator.RAW_EARLIEST + " and " + EventValidator.RAW_LATEST);
        }
        return t;
    }
}
