package io.funnelflow.prediction.model;

import io.funnelflow.prediction.features.History;
import io.funnelflow.prediction.features.SessionEvent;

import java.time.Instant;
import java.util.List;

/** A completed session of the history, with its events in time order; its outcome is whether one of them is a purchase. */
public record LabelledSession(String sessionId, String visitorId, String userId, Instant start, History history,
                              List<SessionEvent> events) {
}
