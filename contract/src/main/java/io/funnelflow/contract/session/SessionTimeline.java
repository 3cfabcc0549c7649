package io.funnelflow.contract.session;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;

/**
 * A quiet session's events in time order (types with their epoch-ms times beside them), published once
 * the session has had no change for a while, and again after a late change: what funnels over the
 * stored history (a funnel saved later, the reference evaluation) read. Never on the per-update path.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SessionTimeline(String sessionId, List<String> eventTypes, List<Long> eventTimes) {

    public SessionTimeline {
        eventTypes = List.copyOf(eventTypes);
        eventTimes = List.copyOf(eventTimes);
        if (eventTypes.size() != eventTimes.size()) {
            throw new IllegalArgumentException("event types and times differ in length");
        }
    }
}
