package io.funnelflow.simulator.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.funnelflow.simulator.truth.GroundTruth;

import java.util.Locale;

/** What a run did, and what it generated. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunSummary(String mode, long seed, String target, long sessions, long events, long requests,
                         long accepted, long rejected, long retriedRequests, long malformedEvents,
                         long outOfOrderSessions, long skewedSessions, long failedRequests, double seconds,
                         double eventsPerSecond, double requestP50Millis, double requestP99Millis,
                         GroundTruth.Numbers groundTruth) {

    public String describe() {
        return String.format(Locale.ROOT, """
                %s run (seed %d, target %s): %d sessions, %d valid events in %.1f s = %.0f events/s
                  requests %d (%d failed), accepted %d, rejected %d
                  retried requests %d, malformed events sent %d, shuffled sessions %d, skewed sessions %d
                  request latency p50 %.1f ms, p99 %.1f ms
                  ground truth: funnel %s, purchases %d, revenue %s""",
                mode, seed, target, sessions, events, seconds, eventsPerSecond, requests, failedRequests, accepted,
                rejected, retriedRequests, malformedEvents, outOfOrderSessions, skewedSessions, requestP50Millis,
                requestP99Millis, java.util.Arrays.toString(groundTruth.funnel()), groundTruth.purchases(), groundTruth.revenue());
    }
}
