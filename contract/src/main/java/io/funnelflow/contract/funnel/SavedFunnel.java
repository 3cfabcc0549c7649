package io.funnelflow.contract.funnel;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.time.Instant;
import java.util.List;

/**
 * One version of a named funnel as the stream counts it, on the compacted {@code funnelflow.funnels}
 * (key: the name; a tombstone retires the name). Saving a funnel again with other steps makes a new
 * version with a new id; the stream counts every active version from every session it holds, and the
 * history it no longer holds is counted from PostgreSQL.
 *
 * @param id         the version's id, unique across all versions (0 is the built-in default funnel)
 * @param generation the registry generation this version became active in: a session's figures
 *                   computed at generation g include every version with {@code generation <= g}
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SavedFunnel(int id, String name, List<String> steps, long generation, Instant createdAt) {

    /** The built-in default funnel, version 0, active from the start. */
    public static final SavedFunnel DEFAULT = new SavedFunnel(0, FunnelDefinition.DEFAULT_NAME,
            FunnelDefinition.DEFAULT.steps(), 0, Instant.EPOCH);

    public SavedFunnel {
        steps = List.copyOf(steps);
    }

    @JsonIgnore
    public FunnelDefinition definition() {
        return new FunnelDefinition(name, steps);
    }
}
