package io.funnelflow.insights.analyst;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;

/** What to do, tied to the observation it answers and the facts it rests on. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Recommendation(String text, String observationId, List<String> factIds) {

    public Recommendation {
        factIds = factIds == null ? List.of() : List.copyOf(factIds);
    }
}
