package io.funnelflow.insights.analyst;

import java.util.List;

/** What the numbers say, citing the facts it rests on. */
public record Observation(String id, String text, List<String> factIds) {

    public Observation {
        factIds = factIds == null ? List.of() : List.copyOf(factIds);
    }
}
