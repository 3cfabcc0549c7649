package io.funnelflow.prediction.model;

import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import com.oracle.labs.mlrg.olcut.util.Pair;
import io.funnelflow.contract.event.EventType;
import io.funnelflow.prediction.features.Features;
import io.funnelflow.prediction.features.HistoryLookup;
import io.funnelflow.prediction.features.Snapshots;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.dtree.CARTClassificationTrainer;
import org.tribuo.classification.ensemble.FullyWeightedVotingCombiner;
import org.tribuo.classification.evaluation.LabelEvaluation;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.clustering.ClusterID;
import org.tribuo.clustering.ClusteringFactory;
import org.tribuo.clustering.kmeans.KMeansTrainer;
import org.tribuo.common.tree.RandomForestTrainer;
import org.tribuo.datasource.ListDataSource;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.distance.L2Distance;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.transform.TransformTrainer;
import org.tribuo.transform.TransformationMap;
import org.tribuo.transform.transformations.MeanStdDevTransformation;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Trains a model version from completed sessions, split by time: the older sessions teach, the newest
 * {@code testShare} measure. Both sides are turned into snapshots taken before the outcome, so the
 * metrics describe the model as it is used, on live sessions part-way through.
 */
public final class ModelTrainer {

    static final String ALGORITHM = "random forest (Tribuo CART, fully weighted voting) + k-means persona";
    private static final DateTimeFormatter VERSION = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);

    private final TrainingSettings settings;

    public ModelTrainer(TrainingSettings settings) {
        this.settings = settings;
    }

    public TrainingSettings settings() {
        return settings;
    }

    /**
     * @param history  completed sessions
     * @param visitors the visitors' histories, asked for the visitor as known at each snapshot
     */
    public Trained train(List<LabelledSession> history, HistoryLookup visitors, Instant now) {
        long started = System.nanoTime();
        List<LabelledSession> sessions = new ArrayList<>(history);
        sessions.sort(Comparator.comparing(LabelledSession::start).thenComparing(LabelledSession::sessionId));
        int split = (int) Math.floor(sessions.size() * (1 - settings.testShare()));
        List<LabelledSession> train = sessions.subList(0, split);
        List<LabelledSession> test = sessions.subList(split, sessions.size());
        int positives = (int) train.stream().filter(ModelTrainer::purchased).count();
        int negatives = train.size() - positives;
        long allPositives = sessions.stream().filter(ModelTrainer::purchased).count();
        double baseRate = sessions.isEmpty() ? 0 : (double) allPositives / sessions.size();
        String version = "rf-" + VERSION.format(now);
        Instant trainFrom = train.isEmpty() ? null : train.get(0).start();
        Instant testFrom = test.isEmpty() ? null : test.get(0).start();
        Instant testTo = test.isEmpty() ? null : test.get(test.size() - 1).start();

        Snapshots trainShots = new Snapshots(settings.snapshotsPerSession(), settings.seed());
        Snapshots testShots = new Snapshots(settings.snapshotsPerSession(), settings.seed() + 1);
        List<Snapshots.Snapshot> trainSet = snapshots(train, trainShots, visitors);
        List<Snapshots.Snapshot> testSet = snapshots(test, testShots, visitors);
        long trainPositives = trainSet.stream().filter(Snapshots.Snapshot::purchased).count();
        long testPositives = testSet.stream().filter(Snapshots.Snapshot::purchased).count();
        if (trainPositives < 2 || trainSet.size() - trainPositives < 2 || testPositives < 1 || testSet.size() - testPositives < 1) {
            String reason = "too little history to train: " + positives + " purchasing and " + negatives
                    + " other sessions to learn from, " + test.size() + " newer sessions to test on";
            ModelCard card = new ModelCard(version, now, ModelCard.REJECTED, reason, ALGORITHM, trainFrom, testFrom, testTo,
                    train.size(), test.size(), trainSet.size(), testSet.size(), positives, negatives, null, null, null,
                    baseRate, List.of(), List.of(), List.of(), millis(started), "");
            return new Trained(card, null, null);
        }

        LabelFactory labels = new LabelFactory();
        MutableDataset<Label> trainData = new MutableDataset<>(new ListDataSource<>(
                trainSet.stream().map(s -> Propensity.example(s.features(), label(s))).toList(), labels,
                new SimpleDataSourceProvenance("sessions started " + trainFrom + " to " + testFrom, labels)));
        MutableDataset<Label> testData = new MutableDataset<>(new ListDataSource<>(
                testSet.stream().map(s -> Propensity.example(s.features(), label(s))).toList(), labels,
                new SimpleDataSourceProvenance("sessions started " + testFrom + " to " + testTo, labels)));
        RandomForestTrainer<Label> forest = new RandomForestTrainer<>(
                new CARTClassificationTrainer(settings.depth(), settings.featureFraction(), settings.seed()),
                new FullyWeightedVotingCombiner(), settings.trees(), settings.seed());
        Model<Label> model = forest.train(trainData);
        Propensity propensity = new Propensity(model);

        LabelEvaluation evaluation = new LabelEvaluator().evaluate(model, testData);
        List<Prediction<Label>> predicted = evaluation.getPredictions();
        double[] p = new double[predicted.size()];
        boolean[] y = new boolean[predicted.size()];
        for (int i = 0; i < p.length; i++) {
            p[i] = Propensity.probability(predicted.get(i));
            y[i] = testSet.get(i).purchased();
        }
        double auc = evaluation.AUCROC(Propensity.PURCHASE);

        Personas personas = personas(trainSet);

        String reason = null;
        if (positives < settings.minPositives() || negatives < settings.minNegatives()) {
            reason = "not enough history: " + positives + " purchasing and " + negatives + " other sessions to learn from"
                    + " (at least " + settings.minPositives() + " and " + settings.minNegatives() + " needed)";
        } else if (!(auc >= settings.aucFloor())) {
            reason = String.format("AUC %.3f on newer sessions is under the floor of %.3f", auc, settings.aucFloor());
        }
        ModelCard card = new ModelCard(version, now, reason == null ? ModelCard.SERVED : ModelCard.REJECTED, reason,
                ALGORITHM, trainFrom, testFrom, testTo, train.size(), test.size(), trainSet.size(), testSet.size(),
                positives, negatives, auc, logLoss(p, y), evaluation.accuracy(), baseRate, calibration(p, y),
                importance(model), personaCards(personas, trainSet), millis(started),
                ProvenanceUtil.formattedProvenanceString(model.getProvenance()));
        return new Trained(card, propensity, personas);
    }

    static boolean purchased(LabelledSession s) {
        return s.events().stream().anyMatch(e -> EventType.PURCHASE.wireName().equals(e.type()));
    }

    private static Label label(Snapshots.Snapshot s) {
        return s.purchased() ? Propensity.PURCHASE : Propensity.NO_PURCHASE;
    }

    private static List<Snapshots.Snapshot> snapshots(List<LabelledSession> sessions, Snapshots snapshots,
                                                      HistoryLookup visitors) {
        List<Snapshots.Snapshot> out = new ArrayList<>(sessions.size() * snapshots.perSession());
        for (LabelledSession s : sessions) {
            out.addAll(snapshots.of(s.sessionId(), s.sessionKey(), s.events(), visitors));
        }
        return out;
    }

    private Personas personas(List<Snapshots.Snapshot> trainSet) {
        ClusteringFactory clusters = new ClusteringFactory();
        List<org.tribuo.Example<ClusterID>> examples = trainSet.stream().map(s -> {
            Features.Vector v = s.features().behaviour();
            return (org.tribuo.Example<ClusterID>) new ArrayExample<>(ClusteringFactory.UNASSIGNED_CLUSTER_ID, v.names(), v.values());
        }).toList();
        MutableDataset<ClusterID> data = new MutableDataset<>(new ListDataSource<>(examples, clusters,
                new SimpleDataSourceProvenance("session behaviour", clusters)));
        KMeansTrainer kmeans = new KMeansTrainer(settings.personas(), 100, new L2Distance(),
                KMeansTrainer.Initialisation.PLUSPLUS, 1, settings.seed());
        Model<ClusterID> model = new TransformTrainer<>(kmeans,
                new TransformationMap(List.of(new MeanStdDevTransformation()))).train(data);
        int k = settings.personas();
        int traits = PersonaNaming.TRAITS.size();
        double[][] sum = new double[k][traits];
        int[] count = new int[k];
        double[] mean = new double[traits];
        double[] sq = new double[traits];
        Personas unnamed = new Personas(model, List.of());
        for (Snapshots.Snapshot s : trainSet) {
            double[] v = s.features().behaviour().values();
            int c = unnamed.cluster(s.features());
            count[c]++;
            for (int t = 0; t < traits; t++) {
                sum[c][t] += v[t];
                mean[t] += v[t];
                sq[t] += v[t] * v[t];
            }
        }
        List<double[]> z = new ArrayList<>(k);
        for (int c = 0; c < k; c++) {
            double[] zc = new double[traits];
            for (int t = 0; t < traits; t++) {
                double m = mean[t] / trainSet.size();
                double sd = Math.sqrt(Math.max(1e-12, sq[t] / trainSet.size() - m * m));
                zc[t] = count[c] == 0 ? 0 : (sum[c][t] / count[c] - m) / sd;
            }
            z.add(zc);
        }
        return new Personas(model, PersonaNaming.name(z));
    }

    private static List<ModelCard.Persona> personaCards(Personas personas, List<Snapshots.Snapshot> trainSet) {
        int k = personas.names().size();
        int[] count = new int[k];
        int[] bought = new int[k];
        double[][] sum = new double[k][PersonaNaming.TRAITS.size()];
        for (Snapshots.Snapshot s : trainSet) {
            Features f = s.features();
            int c = personas.cluster(f);
            count[c]++;
            bought[c] += s.purchased() ? 1 : 0;
            double[] plain = {f.timeOnSite() / 60.0, f.pagesVisited(), f.productViews(), f.cartAdds(), f.checkouts(),
                    f.cartValue(), f.previousPurchases(), f.previousSessions()};
            for (int t = 0; t < plain.length; t++) {
                sum[c][t] += plain[t];
            }
        }
        List<ModelCard.Persona> out = new ArrayList<>(k);
        for (int c = 0; c < k; c++) {
            Map<String, Double> centroid = new LinkedHashMap<>();
            for (int t = 0; t < PersonaNaming.TRAITS.size(); t++) {
                String trait = PersonaNaming.TRAITS.get(t);
                centroid.put(trait.equals("time_on_site") ? "minutes_on_site" : trait,
                        round(count[c] == 0 ? 0 : sum[c][t] / count[c]));
            }
            out.add(new ModelCard.Persona(personas.names().get(c), c, round((double) count[c] / trainSet.size()),
                    round(count[c] == 0 ? 0 : (double) bought[c] / count[c]), centroid));
        }
        return out;
    }

    static double logLoss(double[] p, boolean[] y) {
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            double q = Math.min(1 - 1e-6, Math.max(1e-6, p[i]));
            sum -= y[i] ? Math.log(q) : Math.log(1 - q);
        }
        return sum / p.length;
    }

    static List<ModelCard.Decile> calibration(double[] p, boolean[] y) {
        Integer[] order = new Integer[p.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, Comparator.comparingDouble(i -> p[i]));
        List<ModelCard.Decile> out = new ArrayList<>(10);
        for (int d = 0; d < 10; d++) {
            int from = d * p.length / 10;
            int to = (d + 1) * p.length / 10;
            if (to <= from) {
                continue;
            }
            double predicted = 0;
            int bought = 0;
            for (int j = from; j < to; j++) {
                predicted += p[order[j]];
                bought += y[order[j]] ? 1 : 0;
            }
            out.add(new ModelCard.Decile(d + 1, to - from, round(predicted / (to - from)), round((double) bought / (to - from))));
        }
        return out;
    }

    private static List<ModelCard.Importance> importance(Model<Label> model) {
        Map<String, List<Pair<String, Double>>> top = model.getTopFeatures(15);
        List<Pair<String, Double>> all = top.getOrDefault(Model.ALL_OUTPUTS,
                top.isEmpty() ? List.of() : top.values().iterator().next());
        return all.stream().map(f -> new ModelCard.Importance(f.getA(), round(f.getB()))).toList();
    }

    static double round(double v) {
        return Math.round(v * 10000) / 10000.0;
    }

    private static long millis(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }
}
