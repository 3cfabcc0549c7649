package io.funnelflow.prediction.model;

import io.funnelflow.prediction.Shoppers;
import io.funnelflow.prediction.features.Features;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ModelTrainerTest {

    static final Instant FROM = Instant.parse("2026-09-01T00:00:00Z");
    static final Instant NOW = Instant.parse("2026-11-01T00:00:00Z");

    static TrainingSettings settings(int minPositives, int minNegatives, double aucFloor) {
        return new TrainingSettings(20, 6, 0.7f, 2, 0.2, minPositives, minNegatives, aucFloor, 5, 42);
    }

    @Test
    void learnsFromOlderSessionsAndIsMeasuredOnNewerOnes() {
        List<LabelledSession> history = Shoppers.generate(4000, 1, FROM);
        Trained trained = new ModelTrainer(settings(100, 100, 0.6)).train(history, NOW);
        ModelCard card = trained.card();

        assertThat(card.status()).as(card.reason()).isEqualTo(ModelCard.SERVED);
        assertThat(card.trainSessions()).isEqualTo(3200);
        assertThat(card.testSessions()).isEqualTo(800);
        assertThat(card.testFrom()).isEqualTo(history.get(3200).start());
        assertThat(card.positives() + card.negatives()).isEqualTo(3200);
        assertThat(card.auc()).isBetween(0.7, 1.0);
        assertThat(card.logLoss()).isPositive();
        assertThat(card.calibration()).hasSize(10);
        assertThat(card.calibration().get(9).meanPredicted()).isGreaterThan(card.calibration().get(0).meanPredicted());
        assertThat(card.calibration().get(9).observedRate()).isGreaterThan(card.calibration().get(0).observedRate());
        assertThat(card.featureImportance()).isNotEmpty();
        assertThat(card.personas()).extracting(ModelCard.Persona::name).containsExactlyInAnyOrder(
                PersonaNaming.VIP, PersonaNaming.QUICK_BUYER, PersonaNaming.RESEARCHER, PersonaNaming.BROWSER, PersonaNaming.CASUAL);
        assertThat(card.provenance()).contains("RandomForestTrainer");

        // the persona named VIP is the one whose shoppers bought most before
        ModelCard.Persona vip = card.personas().stream().filter(p -> p.name().equals(PersonaNaming.VIP)).findFirst().orElseThrow();
        assertThat(card.personas()).allSatisfy(p -> assertThat(vip.centroid().get("previous_purchases"))
                .isGreaterThanOrEqualTo(p.centroid().get("previous_purchases")));

        Features cartAndCheckout = new Features(600, 3, 5, 2, 0, 1, 120, 11, 2, 3, "desktop", "web", "google", "cpc", 14, 3);
        Features oneGlance = new Features(0, 1, 0, 0, 0, 0, 0, 1, 0, 0, "mobile", "web", "direct", "none", 14, 3);
        assertThat(trained.propensity().score(cartAndCheckout).probability())
                .isGreaterThan(trained.propensity().score(oneGlance).probability());
        Propensity.Score s = trained.propensity().score(cartAndCheckout);
        assertThat(s.low()).isLessThanOrEqualTo(s.probability());
        assertThat(s.high()).isGreaterThanOrEqualTo(s.probability());
    }

    @Test
    void tooFewPurchasesIsRecordedButNotServed() {
        Trained trained = new ModelTrainer(settings(5000, 100, 0.6)).train(Shoppers.generate(2000, 2, FROM), NOW);
        assertThat(trained.card().status()).isEqualTo(ModelCard.REJECTED);
        assertThat(trained.card().reason()).contains("not enough history").contains("5000");
        assertThat(trained.card().auc()).as("still measured, for the record").isNotNull();
    }

    @Test
    void anAucUnderTheFloorIsNotServed() {
        Trained trained = new ModelTrainer(settings(10, 10, 0.999)).train(Shoppers.generate(2000, 3, FROM), NOW);
        assertThat(trained.card().status()).isEqualTo(ModelCard.REJECTED);
        assertThat(trained.card().reason()).contains("under the floor");
    }

    @Test
    void noHistoryAtAllGivesARejectedCardWithoutModels() {
        Trained trained = new ModelTrainer(settings(10, 10, 0.5)).train(List.of(), NOW);
        assertThat(trained.hasModels()).isFalse();
        assertThat(trained.card().reason()).contains("too little history");
    }
}
