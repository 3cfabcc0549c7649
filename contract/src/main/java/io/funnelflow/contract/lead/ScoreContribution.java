package io.funnelflow.contract.lead;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** One signal's share of an intent score: the signal, its value and the points it gave. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ScoreContribution(String signal, String value, double points) {
}
