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
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

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
    private final Clock clock = Clock.systemUTC();

    public PredictionController(ModelService models, ModelRegistry registry, Scorer scorer, PredictionStore predictions,
                                ScoringStats stats) {
        this.models = models;
        this.registry = registry;
        this.scorer = scorer;
        this.predictions = predictions;
        this.stats = stats;
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

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record PredictResponse(String model, String modelVersion, double purchaseProbability, double confidenceLow,
                                  double confidenceHigh, String persona, String incentive, String incentiveReason,
                                  boolean heldOut, Features features) {
    }

    @Post("/predict")
    public PredictResponse predict(@Body @Nullable JsonNode body) {
        PredictRequest.Parsed request = PredictRequest.parse(body, clock.instant());
        Scorer.Scored s = scorer.score(request.sessionId(), request.features());
        return new PredictResponse(s.baseline() ? "baseline" : "trained", s.modelVersion(), s.probability(), s.low(),
                s.high(), s.persona(), s.decision().incentive().wireName(), s.decision().reason(), s.decision().heldOut(),
                request.features());
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

    /** A report covers at most this many hours (three years), however its range is given. */
    static final int MAX_HOURS = 24 * 366 * 3;
    private static final Instant EARLIEST = Instant.EPOCH;
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

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
        Instant at;
        try {
            at = Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new BadFieldException(field, "must be an RFC 3339 time such as 2026-11-22T10:00:00Z");
        }
        if (at.isBefore(EARLIEST) || at.isAfter(LATEST)) {
            throw new BadFieldException(field, "must lie between 1970-01-01T00:00:00Z and 9999-12-31T23:59:59Z");
        }
        return at;
    }
}
