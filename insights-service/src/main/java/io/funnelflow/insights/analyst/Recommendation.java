package io.funnelflow.insights.analyst;

import java.util.List;

/** What to do, tied to the observation it answers and the facts it rests on. */
public record Recommendation(String text, String observationId, List<String> factIds) {

    public Recommendation {
        factIds = factIds == null ? List.of() : List.copyOf(factIds);
    }
}
