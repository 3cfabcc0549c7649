package io.funnelflow.insights.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonMappingException;
import io.funnelflow.contract.json.Json;
import io.funnelflow.insights.InsightsService;
import io.funnelflow.insights.analyst.Insights;
import io.funnelflow.insights.metrics.BadInputException;
import io.funnelflow.insights.metrics.Breakdowns;
import io.funnelflow.insights.metrics.FlatMetrics;
import io.funnelflow.insights.metrics.Metrics;
import io.funnelflow.insights.metrics.MetricsValidator;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.util.Iterator;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code POST /api/insights} with {@code {"hours": N, "breakdown": "..."}} (numbers from the
 * aggregator) or {@code {"metrics": {...}}}; {@code POST /api/generate_insights} takes the metrics shape.
 * Both also take the seed tracker's flat counts, {@code {"metrics": {"ad_clicks": …, "landings": …,
 * "product_views": …, "adds": …, "purchases": …}}} ({@link FlatMetrics}).
 */
@Controller("/api")
@ExecuteOn(TaskExecutors.BLOCKING)
public class InsightsController {

    static final int DEFAULT_HOURS = 168;
    static final int MAX_HOURS = 24 * 366 * 3;
    private static final Set<String> FIELDS = Set.of("hours", "breakdown", "metrics");

    private final InsightsService insights;

    public InsightsController(InsightsService insights) {
        this.insights = insights;
    }

    @Post("/insights")
    Insights insights(@Nullable @Body JsonNode body) {
        JsonNode request = object(body);
        for (Iterator<String> names = request.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new BadInputException(name, "is not a field of this request; use " + FIELDS.stream().sorted().collect(Collectors.joining(", ")));
            }
        }
        if (request.has("metrics")) {
            if (request.has("hours")) {
                throw new BadInputException("hours", "cannot be combined with metrics: the metrics already cover their range");
            }
            return explain(request.get("metrics"));
        }
        return insights.forRange(hours(request.get("hours")), breakdown(request.get("breakdown")));
    }

    @Post("/generate_insights")
    Insights generateInsights(@Nullable @Body JsonNode body) {
        JsonNode request = object(body);
        if (!request.has("metrics")) {
            throw new BadInputException("metrics", "is required: the measured numbers to explain");
        }
        return explain(request.get("metrics"));
    }

    private Insights explain(JsonNode metrics) {
        if (metrics != null && metrics.isObject()) {
            MetricsValidator.numbers("metrics", metrics);
            if (FlatMetrics.isFlat(metrics)) {
                return insights.forMetrics(FlatMetrics.read(metrics), false);
            }
        }
        return insights.forMetrics(metrics(metrics));
    }

    private static JsonNode object(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new BadInputException("body", "must be a JSON object such as {\"hours\": 24} or {\"metrics\": {...}}");
        }
        return body;
    }

    private static int hours(JsonNode node) {
        if (node == null || node.isNull()) {
            return DEFAULT_HOURS;
        }
        if (!node.canConvertToInt() || !node.isIntegralNumber()) {
            throw new BadInputException("hours", "must be a whole number of hours, not " + node);
        }
        int h = node.intValue();
        if (h < 1 || h > MAX_HOURS) {
            throw new BadInputException("hours", "must be between 1 and " + MAX_HOURS);
        }
        return h;
    }

    private static String breakdown(JsonNode node) {
        if (node == null || node.isNull()) {
            return Breakdowns.DEFAULT;
        }
        if (!node.isTextual()) {
            throw new BadInputException("breakdown", "must be a string: one of " + String.join(", ", Breakdowns.ALL));
        }
        return Breakdowns.parse(node.asText());
    }

    private static Metrics metrics(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new BadInputException("metrics", "must be an object with funnel and current (and optionally previous, "
                    + "segments, devices, revenue_by_source, events_by_hour), or the counts ad_clicks, landings, "
                    + "product_views, adds and purchases");
        }
        try {
            return Json.mapper().treeToValue(node, Metrics.class);
        } catch (JsonMappingException e) {
            String path = e.getPath().stream()
                    .map(r -> r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining());
            throw new BadInputException("metrics" + path, "has the wrong type: " + e.getOriginalMessage());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new BadInputException("metrics", e.getOriginalMessage());
        }
    }
}
