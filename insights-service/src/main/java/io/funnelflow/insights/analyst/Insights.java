package io.funnelflow.insights.analyst;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.funnelflow.insights.facts.Fact;

import java.time.Instant;
import java.util.List;

/**
 * The answer of {@code POST /api/insights}.
 *
 * @param id              this answer's id, logged with the prompt that produced it
 * @param generatedAt     when it was produced (a cached answer keeps its time)
 * @param range           the data it explains
 * @param analyst         who wrote it: the LLM and its model, or the rules and why
 * @param observations    3 to 5 observations
 * @param recommendations 3 to 5 recommendations, each tied to an observation and its facts
 * @param facts           the computed facts every figure comes from
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Insights(String id, Instant generatedAt, Range range, Analyst analyst, List<Observation> observations,
                       List<RecommendationWithFigures> recommendations, List<Fact> facts) {

    /**
     * @param from        start (inclusive); null for posted metrics without one
     * @param to          end (exclusive)
     * @param hours       the requested length, null for posted metrics
     * @param breakdown   the dimension of the segment facts
     * @param dataVersion a digest of the measured numbers: the same digest, the same data
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Range(Instant from, Instant to, Integer hours, String breakdown, String dataVersion) {
    }

    /**
     * @param kind          {@code llm} or {@code rules}
     * @param model         the model that answered (llm)
     * @param promptVersion the prompt's version (llm, or rules after an LLM failure)
     * @param reason        why the rules answered: no LLM configured, or what the LLM did wrong
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Analyst(String kind, String model, String promptVersion, String reason) {

        public static Analyst llm(String model, String promptVersion) {
            return new Analyst("llm", model, promptVersion, null);
        }

        public static Analyst rules(String reason, String promptVersion) {
            return new Analyst("rules", null, promptVersion, reason);
        }
    }

    /** A recommendation with the figures of the facts it rests on, as written in them. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record RecommendationWithFigures(String text, String observationId, List<String> factIds, List<String> figures) {
    }
}
