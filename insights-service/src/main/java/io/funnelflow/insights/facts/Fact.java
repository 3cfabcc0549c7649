package io.funnelflow.insights.facts;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One computed statement about the funnel: an id the analysts cite, a sentence-ready label and the
 * figures it rests on, in the order the label uses them.
 *
 * @param subject what the fact is about (a channel, a device, a step, two values for a gap); null
 *                for the whole range
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Fact(String id, FactKind kind, String subject, String label, Map<String, Figure> figures) {

    public Fact {
        figures = Collections.unmodifiableMap(new LinkedHashMap<>(figures));
    }

    public Figure figure(String name) {
        Figure f = figures.get(name);
        if (f == null) {
            throw new IllegalArgumentException("fact " + id + " has no figure " + name);
        }
        return f;
    }

    public String text(String name) {
        return figure(name).text();
    }
}
