package io.funnelflow.prediction.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the registry knows of one trained model version: how it was trained, how it did on sessions
 * newer than any it learned from, and whether it is fit to serve.
 *
 * @param status        {@code served} when it passed the gates, else {@code rejected}, with the reason
 * @param trainSessions sessions that started before {@code testFrom}, whose snapshots it learned from
 * @param testSessions  sessions from {@code testFrom} on, on whose snapshots the metrics were measured
 * @param positives     training sessions that purchased
 * @param negatives     training sessions that did not
 * @param auc           area under the ROC curve on the test snapshots
 * @param baseRate      share of purchasing sessions in all the history used
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelCard(
        String version,
        Instant trainedAt,
        String status,
        String reason,
        String algorithm,
        Instant trainFrom,
        Instant testFrom,
        Instant testTo,
        int trainSessions,
        int testSessions,
        int trainSnapshots,
        int testSnapshots,
        int positives,
        int negatives,
        Double auc,
        Double logLoss,
        Double accuracy,
        double baseRate,
        List<Decile> calibration,
        List<Importance> featureImportance,
        List<Persona> personas,
        long trainingMillis,
        String provenance) {

    public static final String SERVED = "served";
    public static final String REJECTED = "rejected";

    public boolean served() {
        return SERVED.equals(status);
    }

    /** The card without the (long) provenance, as shown in listings. */
    public ModelCard withoutProvenance() {
        return withProvenance(null);
    }

    public ModelCard withProvenance(String provenance) {
        return new ModelCard(version, trainedAt, status, reason, algorithm, trainFrom, testFrom, testTo, trainSessions,
                testSessions, trainSnapshots, testSnapshots, positives, negatives, auc, logLoss, accuracy, baseRate,
                calibration, featureImportance, personas, trainingMillis, provenance);
    }

    /** One tenth of the test snapshots by predicted probability: what was predicted and what happened. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Decile(int decile, int snapshots, double meanPredicted, double observedRate) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Importance(String feature, double importance) {
    }

    /** A persona's cluster: its share of training snapshots and its centroid in plain units. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Persona(String name, int cluster, double share, double conversionRate, Map<String, Double> centroid) {
    }
}
