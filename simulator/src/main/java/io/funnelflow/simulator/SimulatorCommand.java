package io.funnelflow.simulator;

import io.funnelflow.contract.json.Json;
import io.funnelflow.simulator.run.RunSummary;
import io.funnelflow.simulator.run.Simulation;
import io.funnelflow.simulator.target.EventTarget;
import io.funnelflow.simulator.target.HttpTarget;
import io.funnelflow.simulator.target.KafkaTarget;
import io.funnelflow.simulator.target.SegmentTarget;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code funnelflow simulate live|backfill}: shoppers for demos, load and history, with their ground truth;
 * {@code funnelflow simulate leads}: a lead file for the CRM's import.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Simulated shoppers: live load or days of history, sent like real sites send them.",
        subcommands = {SimulatorCommand.Live.class, SimulatorCommand.Backfill.class, SimulatorCommand.Leads.class})
public final class SimulatorCommand implements Runnable {

    public static void main(String[] args) {
        System.exit(new CommandLine(new SimulatorCommand()).execute(args));
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** What both modes share. */
    static final class Common {
        @Option(names = "--seed", description = "makes the run fully deterministic (same visits, events and ids)")
        Long seed;

        @Option(names = "--target", defaultValue = "http", description = "http (/api/batch), segment (/v1/batch) or kafka")
        String target;

        @Option(names = "--url", description = "the ingest service (default http://127.0.0.1:$FUNNELFLOW_INGEST_PORT, port 8080)")
        String url;

        @Option(names = "--bootstrap", description = "Kafka, for --target kafka (default 127.0.0.1:$FUNNELFLOW_KAFKA_PORT, port 9092)")
        String bootstrap;

        @Option(names = "--config", description = "a YAML or properties file overriding the shop's behaviour")
        Path config;

        @Option(names = "--ground-truth", description = "write what was generated (the expected numbers) to this JSON file")
        Path groundTruth;

        @Option(names = "--quiet", description = "no progress bar")
        boolean quiet;

        @Option(names = "--write-key", description = "the write key (default: $FUNNELFLOW_WRITE_KEY, else the local stack's)")
        String writeKey;

        SimulationConfig config() throws IOException {
            return config == null ? SimulationConfig.defaults() : SimulationConfig.load(config);
        }

        long seed() {
            return seed != null ? seed : System.nanoTime();
        }

        EventTarget target() throws IOException {
            String base = url != null ? url : "http://127.0.0.1:" + env("FUNNELFLOW_INGEST_PORT", "8080");
            return switch (target.toLowerCase(Locale.ROOT)) {
                case "http" -> new HttpTarget(base, writeKey != null ? writeKey : writeKey());
                case "segment" -> new SegmentTarget(base, writeKey != null ? writeKey : writeKey());
                case "kafka" -> new KafkaTarget(bootstrap != null ? bootstrap : "127.0.0.1:" + env("FUNNELFLOW_KAFKA_PORT", "9092"));
                default -> throw new CommandLine.ParameterException(new CommandLine(this),
                        "--target: must be http, segment or kafka, not '" + target + "'");
            };
        }

        int finish(RunSummary summary) throws IOException {
            System.out.println(summary.describe());
            if (groundTruth != null) {
                Files.createDirectories(groundTruth.toAbsolutePath().getParent());
                Json.mapper().writerWithDefaultPrettyPrinter().writeValue(groundTruth.toFile(), summary);
                System.out.println("  ground truth written to " + groundTruth);
            }
            return summary.failedRequests() == 0 ? 0 : 1;
        }

        /** FUNNELFLOW_WRITE_KEY, else the local stack's development key. */
        static String writeKey() throws IOException {
            String key = System.getenv("FUNNELFLOW_WRITE_KEY");
            if (key != null && !key.isBlank()) {
                return key.trim();
            }
            Path dev = Path.of(env("FUNNELFLOW_DATA_DIR", Path.of(env("FUNNELFLOW_HOME", "."), ".funnelflow").toString()), "dev-write-key");
            if (Files.exists(dev)) {
                return Files.readString(dev).trim();
            }
            throw new IllegalStateException("No write key: set FUNNELFLOW_WRITE_KEY (or start the local stack, whose key is in " + dev + ")");
        }

        static String env(String name, String fallback) {
            String v = System.getenv(name);
            return v == null || v.isBlank() ? fallback : v;
        }
    }

    static Duration duration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("p")) {
                return Duration.parse(t.toUpperCase(Locale.ROOT));
            }
            long n = Long.parseLong(t.replaceAll("[a-z]+$", ""));
            return switch (t.replaceAll("^[0-9]+", "")) {
                case "", "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> throw new IllegalArgumentException();
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("--duration: '" + text + "' is not a duration such as 90s, 5m or 1h");
        }
    }

    @Command(name = "live", mixinStandardHelpOptions = true, description = "Shoppers arriving now, at a target rate of events.")
    static final class Live implements Callable<Integer> {
        @Mixin
        Common common;

        @Option(names = "--rate", defaultValue = "200", description = "events per second (default ${DEFAULT-VALUE})")
        double rate;

        @Option(names = "--duration", defaultValue = "60s", description = "how long to start new visits (default ${DEFAULT-VALUE})")
        String duration;

        @Option(names = "--sessions", defaultValue = "0", description = "stop after this many visits instead")
        long sessions;

        @Option(names = "--speed", defaultValue = "60", description = "visits play this many times faster than real shoppers (default ${DEFAULT-VALUE})")
        double speed;

        @Override
        public Integer call() throws Exception {
            if (rate <= 0 || speed <= 0) {
                throw new CommandLine.ParameterException(new CommandLine(this), "--rate and --speed must be positive");
            }
            try (EventTarget target = common.target()) {
                Simulation sim = new Simulation(common.config(), common.seed(), !common.quiet);
                return common.finish(sim.live(target, common.target, rate, sessions > 0 ? null : duration(duration), sessions, speed));
            }
        }
    }

    @Command(name = "backfill", mixinStandardHelpOptions = true, description = "Days of history with past timestamps, as a bulk import.")
    static final class Backfill implements Callable<Integer> {
        @Mixin
        Common common;

        @Option(names = "--days", defaultValue = "7", description = "days of history before today (default ${DEFAULT-VALUE})")
        int days;

        @Option(names = "--sessions", defaultValue = "1000", description = "visits per day on average (default ${DEFAULT-VALUE})")
        int sessionsPerDay;

        @Override
        public Integer call() throws Exception {
            if (days < 1 || sessionsPerDay < 1) {
                throw new CommandLine.ParameterException(new CommandLine(this), "--days and --sessions must be at least 1");
            }
            try (EventTarget target = common.target()) {
                Simulation sim = new Simulation(common.config(), common.seed(), !common.quiet);
                return common.finish(sim.backfill(target, common.target, days, sessionsPerDay, Instant.now()));
            }
        }
    }

    @Command(name = "leads", mixinStandardHelpOptions = true,
            description = "A synthetic lead file in the CRM's import format (the seed's columns, with call notes).")
    static final class Leads implements Callable<Integer> {
        @Option(names = "--count", defaultValue = "1000", description = "how many leads (default ${DEFAULT-VALUE}, at most 20000)")
        int count;

        @Option(names = "--out", required = true, description = "the CSV file to write")
        Path out;

        @Option(names = "--seed", defaultValue = "7", description = "the same seed gives the same leads (default ${DEFAULT-VALUE})")
        long seed;

        @Override
        public Integer call() throws Exception {
            if (count < 1 || count > 20_000) {
                throw new CommandLine.ParameterException(new CommandLine(this), "--count must be from 1 to 20000 (what one import takes)");
            }
            if (out.toAbsolutePath().getParent() != null) {
                Files.createDirectories(out.toAbsolutePath().getParent());
            }
            try (java.io.Writer w = Files.newBufferedWriter(out)) {
                io.funnelflow.simulator.leads.LeadFile.write(io.funnelflow.simulator.leads.LeadFile.generate(count, seed, Instant.now()), w);
            }
            System.out.println(count + " leads written to " + out + "; import them with POST /api/leads/import (Content-Type: text/csv)");
            return 0;
        }
    }
}
