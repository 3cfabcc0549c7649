package io.funnelflow.prediction.features;

import java.time.Instant;

/** A visitor's history as known when one of their sessions starts. */
@FunctionalInterface
public interface HistoryLookup {

    HistoryLookup NONE = (visitor, start) -> History.NONE;

    History of(String visitorId, Instant sessionStart);
}
