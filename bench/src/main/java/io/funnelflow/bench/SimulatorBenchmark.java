package io.funnelflow.bench;

import io.funnelflow.launcher.LocalKafka;
import io.funnelflow.launcher.Ports;
import io.funnelflow.launcher.ServiceProcess;
import io.funnelflow.launcher.StackConfig;
import io.funnelflow.contract.topic.Topics;
import io.funnelflow.simulator.SimulationConfig;
import io.funnelflow.simulator.run.RunSummary;
import io.funnelflow.simulator.run.Simulation;
import io.funnelflow.simulator.target.EventTarget;
import io.funnelflow.simulator.target.HttpTarget;
import io.funnelflow.simulator.target.KafkaTarget;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The simulator's own rate: generating a backfill with nowhere to send it (the baseline), straight to
 * Kafka, and through the ingest HTTP API — in alternating rounds on the same broker, medians reported.
 */
@Command(name = "simulator", mixinStandardHelpOptions = true,
        description = "Simulator events/s: generation alone, to Kafka, through HTTP.")
final class SimulatorBenchmark implements Callable<Integer> {

    private static final String KEY = "bench-write-key";

    @Option(names = "--rounds", defaultValue = "3", description = "alternating rounds (default ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--sessions", defaultValue = "4000", description = "visits per day in each backfill (default ${DEFAULT-VALUE})")
    int sessionsPerDay;

    @Override
    public Integer call() throws Exception {
        Path dir = Files.createTempDirectory("funnelflow-simbench");
        SimulationConfig config = SimulationConfig.defaults();
        try (LocalKafka kafka = new LocalKafka(dir.resolve("kafka"), Ports.free(), Ports.free(), "1g").start()) {
            kafka.createTopics(Topics.DEFAULT_PARTITIONS);
            int port = Ports.free();
            try (ServiceProcess ingest = ServiceProcess.start("ingest-service",
                    StackConfig.fromEnvironment(System.getenv()).serviceJar(StackConfig.Service.INGEST), "http://127.0.0.1:" + port,
                    Map.of("FUNNELFLOW_KAFKA_BOOTSTRAP", kafka.bootstrapServers(), "FUNNELFLOW_WRITE_KEYS", KEY,
                            "FUNNELFLOW_INGEST_PORT", String.valueOf(port), "FUNNELFLOW_RATE_LIMIT_EPS", "10000000",
                            "FUNNELFLOW_RATE_LIMIT_BURST", "10000000"),
                    "512m", dir.resolve("ingest.log"), Duration.ofSeconds(120))) {
                List<Double> none = new ArrayList<>();
                List<Double> toKafka = new ArrayList<>();
                List<Double> http = new ArrayList<>();
                run(config, events -> new EventTarget.Outcome(200, events.size(), 0, 0), 1);   // warm-up
                System.out.printf(Locale.ROOT, "%-6s %18s %18s %18s%n", "round", "generate events/s", "kafka events/s", "http events/s");
                for (int r = 1; r <= rounds; r++) {
                    none.add(run(config, events -> new EventTarget.Outcome(200, events.size(), 0, 0), r));
                    try (KafkaTarget k = new KafkaTarget(kafka.bootstrapServers())) {
                        toKafka.add(run(config, k, r));
                    }
                    try (HttpTarget h = new HttpTarget(ingest.url(), KEY)) {
                        http.add(run(config, h, r));
                    }
                    System.out.printf(Locale.ROOT, "%-6d %18.0f %18.0f %18.0f%n", r, none.get(r - 1), toKafka.get(r - 1), http.get(r - 1));
                }
                System.out.printf(Locale.ROOT, """

                        Medians over %d rounds (a 1-day backfill of %d visits each):
                          generation alone (baseline) %10.0f events/s
                          straight to Kafka           %10.0f events/s   (%.2f of the baseline)
                          through POST /api/batch     %10.0f events/s   (%.2f of the baseline)
                        """, rounds, sessionsPerDay, Stats.median(none), Stats.median(toKafka),
                        Stats.median(toKafka) / Stats.median(none), Stats.median(http), Stats.median(http) / Stats.median(none));
            }
        }
        return 0;
    }

    private double run(SimulationConfig config, EventTarget target, long seed) throws Exception {
        RunSummary s = new Simulation(config, seed, false).backfill(target, "bench", 1, sessionsPerDay, Instant.now());
        return s.eventsPerSecond();
    }
}
