package io.funnelflow.prediction;

import io.funnelflow.contract.topic.Topics;
import io.funnelflow.prediction.incentive.IncentiveRules;
import io.funnelflow.prediction.model.ModelFiles;
import io.funnelflow.prediction.model.ModelRegistry;
import io.funnelflow.prediction.model.ModelTrainer;
import io.funnelflow.prediction.model.TrainingSettings;
import io.funnelflow.prediction.privacy.PersonalRecords;
import io.funnelflow.prediction.scoring.LiveScoring;
import io.funnelflow.prediction.scoring.PredictionStream;
import io.funnelflow.prediction.scoring.Scorer;
import io.funnelflow.prediction.scoring.ScoringStats;
import io.funnelflow.prediction.store.PredictionStore;
import io.funnelflow.prediction.store.SessionHistory;
import io.funnelflow.service.health.GroupProgress;
import io.funnelflow.service.metrics.ConsumerLagMeters;
import io.funnelflow.service.metrics.KafkaMeters;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import io.micronaut.scheduling.TaskScheduler;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Wires the plain prediction classes: the served model is loaded before the live stream starts, and a
 * schedule retrains when {@code funnelflow.prediction.train-every} is set.
 */
@Factory
public class PredictionBeans {

    @Singleton
    TrainingSettings trainingSettings(@Value("${funnelflow.prediction.trees:30}") int trees,
                                      @Value("${funnelflow.prediction.depth:8}") int depth,
                                      @Value("${funnelflow.prediction.snapshots-per-session:2}") int snapshots,
                                      @Value("${funnelflow.prediction.test-share:0.2}") double testShare,
                                      @Value("${funnelflow.prediction.min-positives:1000}") int minPositives,
                                      @Value("${funnelflow.prediction.min-negatives:1000}") int minNegatives,
                                      @Value("${funnelflow.prediction.auc-floor:0.7}") double aucFloor,
                                      @Value("${funnelflow.prediction.personas:5}") int personas,
                                      @Value("${funnelflow.prediction.seed:42}") long seed) {
        return new TrainingSettings(trees, depth, 0.7f, snapshots, testShare, minPositives, minNegatives, aucFloor, personas, seed);
    }

    @Singleton
    IncentiveRules incentiveRules(@Value("${funnelflow.prediction.incentives.likely-buyer:0.7}") double likelyBuyer,
                                  @Value("${funnelflow.prediction.incentives.loyal-purchases:2}") int loyal,
                                  @Value("${funnelflow.prediction.incentives.discount-cart:80}") double discountCart,
                                  @Value("${funnelflow.prediction.incentives.discount-floor:0.1}") double discountFloor,
                                  @Value("${funnelflow.prediction.incentives.free-shipping-line:60}") double freeShipping,
                                  @Value("${funnelflow.prediction.incentives.urgency-views:3}") int urgencyViews,
                                  @Value("${funnelflow.prediction.incentives.held-out-share:0.1}") double heldOut) {
        return new IncentiveRules(new IncentiveRules.Settings(likelyBuyer, loyal, discountCart, discountFloor,
                freeShipping, urgencyViews, heldOut));
    }

    @Singleton
    Scorer scorer(IncentiveRules rules) {
        return new Scorer(rules);
    }

    @Singleton
    SessionHistory sessionHistory(DataSource dataSource) {
        return new SessionHistory(dataSource);
    }

    @Singleton
    PredictionStore predictionStore(DataSource dataSource, @Named("query") DataSource queries) {
        return new PredictionStore(dataSource, queries);
    }

    @Singleton
    ModelRegistry modelRegistry(DataSource dataSource, @Named("query") DataSource queries,
                                @Value("${funnelflow.prediction.model-dir:}") String modelDir,
                                @Value("${funnelflow.data-dir:}") String dataDir) {
        Path dir = !modelDir.isBlank() ? Path.of(modelDir)
                : Path.of(dataDir.isBlank() ? System.getProperty("java.io.tmpdir") + "/funnelflow" : dataDir, "models");
        return new ModelRegistry(dataSource, queries, new ModelFiles(dir));
    }

    @Singleton
    ScoringStats scoringStats() {
        return new ScoringStats(100_000);
    }

    @Context
    ModelService modelService(SessionHistory history, TrainingSettings settings, ModelRegistry registry, Scorer scorer,
                              @Value("${funnelflow.prediction.history-window:90d}") Duration window,
                              @Value("${funnelflow.prediction.max-training-sessions:20000}") int maxSessions,
                              @Value("${funnelflow.prediction.max-training-session-events:500}") int maxEvents,
                              @Value("${funnelflow.prediction.train-every:0s}") Duration every,
                              @Value("${funnelflow.prediction.ready-check:1m}") Duration readyCheck,
                              @Named("scheduled") TaskScheduler scheduler) {
        ModelService service = new ModelService(history, new ModelTrainer(settings), registry, scorer, window, maxSessions,
                maxEvents, Clock.systemUTC());
        service.load();
        // the base rate is re-read on this period, and with it whether the history can pass the serving gate yet
        scheduler.scheduleWithFixedDelay(readyCheck, readyCheck, () -> {
            service.refreshBaseline();
            service.trainWhenReady();
        });
        if (!every.isZero()) {
            scheduler.scheduleWithFixedDelay(every, every, service::trainQuietly);
        }
        return service;
    }

    @Singleton
    LiveScoring liveScoring(Scorer scorer, SessionHistory history,
                            @Value("${funnelflow.prediction.min-change:0.05}") double minChange) {
        return new LiveScoring(scorer, history::histories, minChange, Clock.systemUTC());
    }

    /** Tombstones of erased people's predictions; each acknowledged before the erasure answers. */
    @Singleton
    @Bean(preDestroy = "close")
    Producer<String, byte[]> erasureProducer(@Value("${funnelflow.kafka.bootstrap}") String bootstrap) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.CLIENT_ID_CONFIG, "prediction-erasures",
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 5000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000),
                new StringSerializer(), new ByteArraySerializer());
    }

    @Singleton
    PersonalRecords personalRecords(DataSource dataSource, LiveScoring scoring, Producer<String, byte[]> erasureProducer) {
        return new PersonalRecords(dataSource, scoring, erasureProducer);
    }

    @Context
    @Bean(preDestroy = "close")
    PredictionStream predictionStream(ModelService models, LiveScoring scoring, PredictionStore store,
                                      ScoringStats stats, @Value("${funnelflow.kafka.bootstrap}") String bootstrap,
                                      @Value("${funnelflow.prediction.group-id:funnelflow-prediction}") String groupId,
                                      KafkaMeters meters) {
        PredictionStream stream = new PredictionStream(bootstrap, groupId, scoring, store, stats);
        meters.bind(stream.consumerMeters());
        meters.bind(stream.producerMeters());
        stream.start();
        return stream;
    }

    /** How far the live stream has come on the session updates. */
    @Singleton
    @Named("prediction")
    @Bean(preDestroy = "close")
    GroupProgress predictionProgress(PredictionStream stream, @Value("${funnelflow.kafka.bootstrap}") String bootstrap,
                                     @Value("${funnelflow.prediction.health.stall-after:60s}") Duration stallAfter) {
        return new GroupProgress(bootstrap, stream.groupId(), List.of(Topics.SESSIONS.name()), topic -> false, stallAfter,
                Clock.systemUTC()).start();
    }

    // ---- what /metrics shows besides the JVM and HTTP -----------------------------------------------

    @Singleton
    @Named("prediction")
    MeterBinder predictionMeters(Scorer scorer, ScoringStats stats) {
        return new PredictionMeters(scorer, stats);
    }

    /** How far the scoring is behind the session updates. */
    @Singleton
    @Bean(preDestroy = "close")
    ConsumerLagMeters consumerLag(@Value("${funnelflow.kafka.bootstrap}") String bootstrap,
                                  @Value("${funnelflow.prediction.group-id:funnelflow-prediction}") String groupId,
                                  @Value("${funnelflow.metrics.lag-interval:15s}") Duration every) {
        return new ConsumerLagMeters(bootstrap, Map.of(groupId, List.of(Topics.SESSIONS.name())), every);
    }
}
