package io.funnelflow.prediction;

import io.funnelflow.prediction.model.ModelCard;
import io.funnelflow.prediction.model.ModelRegistry;
import io.funnelflow.prediction.model.ModelTrainer;
import io.funnelflow.prediction.model.Trained;
import io.funnelflow.prediction.scoring.Scorer;
import io.funnelflow.prediction.store.SessionHistory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Trains, records and serves model versions: a run reads a bounded sample of the completed sessions
 * of the history window, trains, records the version in the registry whatever its verdict, and serves it only if it
 * passed the gates. At start the newest served version is loaded back from its files.
 */
public final class ModelService {

    private static final Logger LOG = LoggerFactory.getLogger(ModelService.class);

    private final SessionHistory history;
    private final ModelTrainer trainer;
    private final ModelRegistry registry;
    private final Scorer scorer;
    private final Duration window;
    private final int maxSessions;
    private final int maxEvents;
    static final int DEFAULT_MAX_SESSIONS = 20_000;
    static final int DEFAULT_MAX_EVENTS = 500;
    private final Clock clock;
    private final ReentrantLock training = new ReentrantLock();
    private volatile String loadFailure;
    /** The closed sessions there were at the last training run started because the history looked ready. */
    private volatile long readyAttemptAt = -1;

    /** A version the gates refused is tried again by {@link #trainWhenReady()} once the history grew by this share. */
    static final double READY_RETRY_GROWTH = 0.2;

    public ModelService(SessionHistory history, ModelTrainer trainer, ModelRegistry registry, Scorer scorer,
                        Duration window, Clock clock) {
        this(history, trainer, registry, scorer, window, DEFAULT_MAX_SESSIONS, DEFAULT_MAX_EVENTS, clock);
    }

    /**
     * @param maxSessions at most this many of the window's sessions are read to train on (a uniform sample)
     * @param maxEvents   sessions with more events than this are left out of training
     */
    public ModelService(SessionHistory history, ModelTrainer trainer, ModelRegistry registry, Scorer scorer,
                        Duration window, int maxSessions, int maxEvents, Clock clock) {
        this.maxSessions = maxSessions;
        this.maxEvents = maxEvents;
        this.history = history;
        this.trainer = trainer;
        this.registry = registry;
        this.scorer = scorer;
        this.window = window;
        this.clock = clock;
    }

    /** Thrown when a training run is asked for while one is under way. */
    public static final class TrainingInProgressException extends RuntimeException {
        TrainingInProgressException() {
            super("a training run is under way");
        }
    }

    /** Loads the newest served version, if any, and the base rate. */
    public Optional<ModelCard> load() {
        scorer.baseline(history.baseline());
        Optional<Trained> served;
        try {
            served = registry.loadServed();
        } catch (RuntimeException e) {
            // files lost or altered: answer with the base rate rather than not at all, and say why
            LOG.error("could not load the served model; answering with the base rate until the next training", e);
            loadFailure = e.getMessage();
            served = Optional.empty();
        }
        served.ifPresent(t -> {
            scorer.serve(t);
            LOG.info("serving model {} (AUC {})", t.card().version(), t.card().auc());
        });
        if (served.isEmpty()) {
            LOG.info("no trained model yet: answering with the base rate {}", scorer.baseline().rate());
        }
        return served.map(Trained::card);
    }

    /** Re-reads the historical base rate that answers while no model is served. */
    public void refreshBaseline() {
        try {
            scorer.baseline(history.baseline());
        } catch (RuntimeException e) {
            LOG.warn("could not refresh the base rate", e);
        }
    }

    public ModelCard train() {
        if (!training.tryLock()) {
            throw new TrainingInProgressException();
        }
        try {
            // bounded: a sample of at most maxSessions sessions of the window, and their visitors' histories only
            SessionHistory.Sample sample = history.completedSessions(clock.instant().minus(window), maxSessions, maxEvents,
                    trainer.settings().seed());
            LOG.info("training on {} of the window's {} closed sessions{}{}", sample.sessions().size(), sample.eligible(),
                    sample.eligible() > sample.sessions().size() ? " (sampled uniformly)" : "",
                    sample.tooLong() > 0 ? "; left out " + sample.tooLong() + " with more than " + maxEvents + " events" : "");
            Trained trained = trainer.train(sample.sessions(), history.historiesOf(sample.sessions()), clock.instant());
            registry.record(trained);
            scorer.baseline(history.baseline());
            if (trained.card().served()) {
                scorer.serve(trained);
                loadFailure = null;
                LOG.info("trained and serving {}: AUC {} on {} newer sessions, {} ms", trained.card().version(),
                        trained.card().auc(), trained.card().testSessions(), trained.card().trainingMillis());
            } else {
                LOG.info("trained {} but not serving it: {}", trained.card().version(), trained.card().reason());
            }
            return trained.card();
        } finally {
            training.unlock();
        }
    }

    /**
     * Trains as soon as the history can pass the serving gate, rather than waiting for the next scheduled
     * run or a manual one: while no version is served, the closed sessions (the base rate's counts, read
     * anyway) are compared with the gate's minimum purchasing and other sessions on the training part.
     * A version the gates still refuse (too few in the history window, AUC under the floor) is tried again
     * only once the history has grown by a fifth, so a shop that cannot pass yet does not train every minute.
     *
     * @return whether a run was started
     */
    public boolean trainWhenReady() {
        if (scorer.served() != null || training.isLocked()) {
            return false;
        }
        SessionHistory.Baseline seen = scorer.baseline();
        if (seen == null || !couldPassTheGate(seen)) {
            return false;
        }
        if (readyAttemptAt >= 0 && seen.sessions() < readyAttemptAt * (1 + READY_RETRY_GROWTH)) {
            return false;
        }
        readyAttemptAt = seen.sessions();
        LOG.info("the history can pass the serving gate ({} closed sessions, {} purchasing): training", seen.sessions(),
                seen.purchasing());
        trainQuietly();
        return true;
    }

    private boolean couldPassTheGate(SessionHistory.Baseline b) {
        var gate = trainer.settings();
        double trainShare = 1 - gate.testShare();
        return b.purchasing() * trainShare >= gate.minPositives()
                && (b.sessions() - b.purchasing()) * trainShare >= gate.minNegatives();
    }

    /** A scheduled run: skipped if one is under way, and never lets an error end the schedule. */
    public void trainQuietly() {
        try {
            train();
        } catch (TrainingInProgressException e) {
            LOG.info("scheduled training skipped: {}", e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("scheduled training failed", e);
        }
    }

    /** Why the newest served version is not being served, if it could not be loaded at start. */
    public String loadFailure() {
        return loadFailure;
    }

    public boolean training() {
        return training.isLocked();
    }
}
