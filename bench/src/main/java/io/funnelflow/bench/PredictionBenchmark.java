package io.funnelflow.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.funnelflow.contract.json.Json;
import io.funnelflow.contract.session.SessionSummary;
import io.funnelflow.contract.topic.Topics;
import io.funnelflow.launcher.LocalKafka;
import io.funnelflow.launcher.LocalPostgres;
import io.funnelflow.launcher.Ports;
import io.funnelflow.launcher.ServiceProcess;
import io.funnelflow.launcher.StackConfig;
import io.funnelflow.simulator.SimulatorCommand;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.tribuo.Example;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.Model;
import org.tribuo.VariableInfo;
import org.tribuo.classification.Label;
import org.tribuo.impl.ArrayExample;
import org.tribuo.CategoricalInfo;
import org.tribuo.RealInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.zip.GZIPInputStream;

/**
 * Scoring cost of the prediction service: a model is trained on simulated history (through the real
 * aggregator), then rounds of session updates are put on {@code funnelflow.sessions} and the service's
 * own per-update latency and sustained rate are read back, beside the bare Tribuo forest's predict
 * time on the same model file, measured in this process in the same run.
 */
@Command(name = "prediction", mixinStandardHelpOptions = true,
        description = "Scoring latency and predictions/s of prediction-service, beside the bare Tribuo model.")
final class PredictionBenchmark implements Callable<Integer> {

    /** The admin token of the services this benchmark starts. */
    static final String TOKEN = io.funnelflow.contract.credential.Secrets.newSecret(
            io.funnelflow.contract.credential.Credential.Kind.API_TOKEN);

    @Option(names = "--updates", defaultValue = "100000", description = "session updates per round (default ${DEFAULT-VALUE})")
    int updates;

    @Option(names = "--rounds", defaultValue = "3", description = "rounds (default ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--history-sessions", defaultValue = "800", description = "simulated sessions per day of history (default ${DEFAULT-VALUE})")
    int historySessions;

    private final HttpClient http = HttpClient.newHttpClient();

    @Override
    public Integer call() throws Exception {
        Path dir = Files.createTempDirectory("funnelflow-prediction-bench");
        StackConfig stack = StackConfig.fromEnvironment(System.getenv());
        System.out.println("Starting Kafka, PostgreSQL, funnel-aggregator and prediction-service (each its own process) …");
        try (LocalKafka kafka = new LocalKafka(dir.resolve("kafka"), Ports.free(), Ports.free(), "1g").start();
             LocalPostgres pg = LocalPostgres.start(dir.resolve("pg"), 0, "funnelflow")) {
            kafka.createTopics(Topics.DEFAULT_PARTITIONS);
            int aggregatorPort = Ports.free();
            int predictionPort = Ports.free();
            Map<String, String> env = new java.util.HashMap<>(Map.of(
                    "FUNNELFLOW_KAFKA_BOOTSTRAP", kafka.bootstrapServers(),
                    "FUNNELFLOW_AGGREGATOR_PORT", String.valueOf(aggregatorPort),
                    "FUNNELFLOW_PREDICTION_PORT", String.valueOf(predictionPort),
                    "FUNNELFLOW_JDBC_URL", pg.jdbcUrl(),
                    "FUNNELFLOW_JDBC_USER", pg.user(),
                    "FUNNELFLOW_MIN_POSITIVES", "200",
                    "FUNNELFLOW_MIN_NEGATIVES", "200",
                    "FUNNELFLOW_DATA_DIR", dir.toString()));
            // the query APIs want a token: one made for this run
            env.put("FUNNELFLOW_API_TOKENS", TOKEN);
            try (ServiceProcess aggregator = ServiceProcess.start("funnel-aggregator", stack.serviceJar(StackConfig.Service.AGGREGATOR),
                    "http://127.0.0.1:" + aggregatorPort, env, "768m", dir.resolve("aggregator.log"), Duration.ofSeconds(180));
                 ServiceProcess prediction = ServiceProcess.start("prediction-service", stack.serviceJar(StackConfig.Service.PREDICTION),
                         "http://127.0.0.1:" + predictionPort, env, "512m", dir.resolve("prediction.log"), Duration.ofSeconds(180))) {
                String version = train(kafka.bootstrapServers(), pg, prediction.url());
                Model<Label> forest = Model.deserializeFromStream(new GZIPInputStream(Files.newInputStream(
                        dir.resolve("models").resolve(version).resolve("propensity.tribuo.gz")))).castModel(Label.class);
                measure(kafka.bootstrapServers(), prediction.url(), forest);
            }
        }
        return 0;
    }

    private String train(String bootstrap, LocalPostgres pg, String predictionUrl) throws Exception {
        Path truth = Files.createTempFile("prediction-bench-truth", ".json");
        int exit = new CommandLine(new SimulatorCommand()).execute("backfill", "--seed", "31", "--days", "14", "--sessions",
                String.valueOf(historySessions), "--target", "kafka", "--bootstrap", bootstrap, "--quiet",
                "--ground-truth", truth.toString());
        if (exit != 0) {
            throw new IllegalStateException("the simulator failed");
        }
        long sessions = Json.mapper().readTree(truth.toFile()).get("ground_truth").get("sessions").asLong();
        System.out.printf(Locale.ROOT, "History: %d simulated sessions over 14 days; waiting for the aggregator …%n", sessions);
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (closedSessions(pg) < sessions) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the aggregator did not write the history in 10 minutes");
            }
            Thread.sleep(1000);
        }
        JsonNode card = Json.mapper().readTree(post(predictionUrl + "/api/model/train").body());
        System.out.printf(Locale.ROOT, "Trained %s (%s): AUC %.3f on %d newer sessions, %d ms%n",
                card.get("version").asText(), card.get("status").asText(), card.get("auc").asDouble(),
                card.get("test_sessions").asInt(), card.get("training_millis").asLong());
        if (!"served".equals(card.get("status").asText())) {
            throw new IllegalStateException("the model was not served: " + card.path("reason").asText());
        }
        // let the service finish scoring the history's own updates before measuring
        long scored = -1;
        while (true) {
            Thread.sleep(2000);
            long now = stats(predictionUrl).get("scored").asLong();
            if (now == scored) {
                break;
            }
            scored = now;
        }
        return card.get("version").asText();
    }

    private void measure(String bootstrap, String predictionUrl, Model<Label> forest) throws Exception {
        List<Double> rates = new ArrayList<>();
        List<Double> published = new ArrayList<>();
        List<Double> p50 = new ArrayList<>();
        List<Double> p99 = new ArrayList<>();
        List<Double> bareP50 = new ArrayList<>();
        List<Double> bareP99 = new ArrayList<>();
        List<Double> bareRate = new ArrayList<>();
        System.out.printf(Locale.ROOT, "%nRound  updates/s  published/s  in-service p50 µs  p99 µs | bare forest p50 µs  p99 µs  predicts/s  | p50 ratio%n");
        for (int round = 1; round <= rounds; round++) {
            JsonNode before = stats(predictionUrl);
            long start = System.nanoTime();
            produce(bootstrap, round);
            long target = before.get("scored").asLong() + updates;
            JsonNode after;
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            do {
                Thread.sleep(100);
                after = stats(predictionUrl);
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the service scored " + after.get("scored").asLong() + " of " + target
                            + " updates in 10 minutes");
                }
            } while (after.get("scored").asLong() < target);
            double seconds = (System.nanoTime() - start) / 1e9;
            double rate = updates / seconds;
            double pub = (after.get("published").asLong() - before.get("published").asLong()) / seconds;
            long[] bare = bare(forest, round);
            long[] sorted = Stats.sorted(bare);
            double bp50 = Stats.percentile(sorted, 50) / 1000.0;
            double bp99 = Stats.percentile(sorted, 99) / 1000.0;
            double total = 0;
            for (long b : bare) {
                total += b;
            }
            double brate = bare.length / (total / 1e9);
            double s50 = after.get("p50_micros").asDouble();
            double s99 = after.get("p99_micros").asDouble();
            System.out.printf(Locale.ROOT, "%5d  %9.0f  %11.0f  %17.1f  %6.1f | %18.1f  %6.1f  %10.0f  | %5.1f%n",
                    round, rate, pub, s50, s99, bp50, bp99, brate, s50 / bp50);
            rates.add(rate);
            published.add(pub);
            p50.add(s50);
            p99.add(s99);
            bareP50.add(bp50);
            bareP99.add(bp99);
            bareRate.add(brate);
        }
        System.out.printf(Locale.ROOT, "median %9.0f  %11.0f  %17.1f  %6.1f | %18.1f  %6.1f  %10.0f  | %5.1f%n",
                Stats.median(rates), Stats.median(published), Stats.median(p50), Stats.median(p99), Stats.median(bareP50),
                Stats.median(bareP99), Stats.median(bareRate), Stats.median(p50) / Stats.median(bareP50));
        System.out.println("""

                in-service: one session update inside the service (features, the visitor's history on a session's first
                update, the forest plus its per-tree band, persona, incentive rules, the change filter), its last 100k updates;
                updates/s: from the first record produced to the last one scored, PostgreSQL writes and Kafka transactions
                included; a poll's one history query is shared out over its updates. Bare forest: Model.predict of the same
                model file on one example (one value per feature of its domain), one thread, in this process.""");
    }

    /** A round of updates: sessions growing event by event, as the aggregator publishes them. */
    private void produce(String bootstrap, int round) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        SplittableRandom random = new SplittableRandom(round);
        String[] devices = {"mobile", "desktop", "tablet"};
        String[] sources = {"google", "newsletter", "facebook", null};
        try (KafkaProducer<String, SessionSummary> producer = new KafkaProducer<>(config, new StringSerializer(),
                Topics.SESSIONS.valueSerde().serializer())) {
            int sent = 0;
            int session = 0;
            Instant base = Instant.now();
            while (sent < updates) {
                String id = "bench-" + round + "-" + session++;
                String visitor = "visitor-" + random.nextInt(50_000);
                String device = devices[random.nextInt(devices.length)];
                String source = sources[random.nextInt(sources.length)];
                int length = 2 + random.nextInt(10);
                int pages = 0, views = 0, adds = 0, checkouts = 0;
                double cart = 0;
                Instant start = base.plusSeconds(session);
                for (int k = 1; k <= length && sent < updates; k++, sent++) {
                    switch (random.nextInt(5)) {
                        case 0 -> pages++;
                        case 1, 2 -> views++;
                        case 3 -> {
                            adds++;
                            cart += 10 + random.nextInt(90);
                        }
                        default -> checkouts += adds > 0 ? 1 : 0;
                    }
                    Instant end = start.plusSeconds(30L * k);
                    SessionSummary s = new SessionSummary(id, id, visitor, start, end, 30L * k, k, pages, views, adds, 0,
                            checkouts, 0, BigDecimal.valueOf(cart), BigDecimal.ZERO, 1, source, source == null ? null : "cpc",
                            null, device, "web", "/", null, visitor, List.of(), null, false, false);
                    producer.send(new ProducerRecord<>(Topics.SESSIONS.name(), id, s));
                }
            }
        }
    }

    /** Times the bare forest on examples drawn from its own feature domain, one categorical value per group. */
    private static long[] bare(Model<Label> forest, int round) {
        ImmutableFeatureMap features = forest.getFeatureIDMap();
        Map<String, List<String>> groups = new LinkedHashMap<>();
        List<VariableInfo> numeric = new ArrayList<>();
        for (VariableInfo info : features) {
            int at = info.getName().indexOf('@');
            if (at > 0) {
                groups.computeIfAbsent(info.getName().substring(0, at), k -> new ArrayList<>()).add(info.getName());
            } else {
                numeric.add(info);
            }
        }
        SplittableRandom random = new SplittableRandom(100 + round);
        int n = 200_000;
        List<Example<Label>> examples = new ArrayList<>(1000);
        for (int i = 0; i < 1000; i++) {
            List<String> names = new ArrayList<>();
            List<Double> values = new ArrayList<>();
            for (VariableInfo info : numeric) {
                double v = info instanceof RealInfo r ? r.getMin() + random.nextDouble() * (r.getMax() - r.getMin())
                        : info instanceof CategoricalInfo c ? c.uniformSample(random) : 1;
                names.add(info.getName());
                values.add(v);
            }
            for (List<String> g : groups.values()) {
                names.add(g.get(random.nextInt(g.size())));
                values.add(1.0);
            }
            examples.add(new ArrayExample<>(new Label("no_purchase"), names.toArray(String[]::new),
                    values.stream().mapToDouble(Double::doubleValue).toArray()));
        }
        for (int i = 0; i < 20_000; i++) {
            forest.predict(examples.get(i % examples.size()));
        }
        long[] took = new long[n];
        for (int i = 0; i < n; i++) {
            Example<Label> e = examples.get(i % examples.size());
            long t = System.nanoTime();
            forest.predict(e);
            took[i] = System.nanoTime() - t;
        }
        return took;
    }

    private static long closedSessions(LocalPostgres pg) throws Exception {
        try (Connection c = pg.connect(); ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM sessions WHERE closed")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private JsonNode stats(String url) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/api/model/stats")).header("Authorization", "Bearer " + TOKEN).build(),
                HttpResponse.BodyHandlers.ofString());
        return Json.mapper().readTree(r.body());
    }

    private HttpResponse<String> post(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofMinutes(10))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }
}
