package io.funnelflow.insights.analyst;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;

/** An analyst's answer: observations and the recommendations tied to them. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Narrative(List<Observation> observations, List<Recommendation> recommendations) {

    public static final int MIN_ITEMS = 3;
    public static final int MAX_ITEMS = 5;

    public Narrative {
        observations = observations == null ? List.of() : List.copyOf(observations);
        recommendations = recommendations == null ? List.of() : List.copyOf(recommendations);
    }
}
