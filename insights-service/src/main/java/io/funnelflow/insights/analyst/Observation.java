package io.funnelflow.insights.analyst;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;

/** What the numbers say, citing the facts it rests on. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Observation(String id, String text, List<String> factIds) {

    public Observation {
        factIds = factIds == null ? List.of() : List.copyOf(factIds);
    }
}
