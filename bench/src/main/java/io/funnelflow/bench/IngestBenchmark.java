package io.funnelflow.bench;

import io.funnelflow.contract.event.TrackedEvent;
import io.funnelflow.contract.json.Json;
import io.funnelflow.contract.topic.Topics;
import io.funnelflow.launcher.LocalKafka;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.time.Instant;

/**
 * Ingest throughput against the raw producer ceiling, on the same broker in the same run, in
 * alternating rounds so that the machine's noise touches both alike; medians are reported.
 */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = "Events/s through POST /api/batch and /api/track beside the raw producer ceiling on the same broker.")
final class IngestBenchmark implements Callable<Integer> {

    private static final String KEY = "bench-write-key";

    @Option(names = "--rounds", defaultValue = "5", description = "alternating rounds (default ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--seconds", defaultValue = "10", description = "seconds per phase per round (default ${DEFAULT-VALUE})")
    int seconds;

    @Option(names = "--batch-workers", defaultValue = "16", description = "concurrent clients for /api/batch")
    int batchWorkers;

    @Option(names = "--track-workers", defaultValue = "64", description = "concurrent clients for /api/track")
    int trackWorkers;

    @Override
    public Integer call() throws Exception {
        Path dir = Files.createTempDirectory("funnelflow-bench");
        try (LocalKafka kafka = new LocalKafka(dir, io.funnelflow.launcher.Ports.free(), io.funnelflow.launcher.Ports.free(), "1g")) {
            System.out.println("Starting a Kafka broker (KRaft, one node, child JVM) …");
            kafka.start();
            kafka.createTopics(Topics.DEFAULT_PARTITIONS);
            try (EmbeddedServer ingest = ApplicationContext.run(EmbeddedServer.class, Map.of(
                    "micronaut.server.port", -1,
                    "funnelflow.kafka.bootstrap", kafka.bootstrapServers(),
                    "funnelflow.ingest.write-keys", KEY,
                    "funnelflow.ingest.rate-limit.events-per-second", 100_000_000,
                    "funnelflow.ingest.rate-limit.burst", 100_000_000))) {
                int port = ingest.getPort();
                run(kafka.bootstrapServers(), port);
            }
        }
        return 0;
    }

    private void run(String bootstrap, int port) throws Exception {
        List<TrackedEvent> events = SampleEvents.generate(20_000, 42);
        var writer = Json.mapper().writerFor(TrackedEvent.class);
        List<byte[]> keys = new ArrayList<>();
        List<byte[]> values = new ArrayList<>();
        Instant received = Instant.now();
        for (TrackedEvent e : events) {
            keys.add(e.sessionKey().getBytes(StandardCharsets.UTF_8));
            // what ingest writes: the event with its server fields
            values.add(writer.writeValueAsBytes(e.accepted(e.eventId(), received, null)));
        }
        List<byte[]> singles = new ArrayList<>();
        for (TrackedEvent e : events) {
            singles.add(writer.writeValueAsBytes(e));
        }
        List<byte[]> batches = new ArrayList<>();
        for (int i = 0; i + 100 <= events.size(); i += 100) {
            batches.add(Json.mapper().writeValueAsBytes(Map.of("events", events.subList(i, i + 100))));
        }
        double avgValue = values.stream().mapToInt(v -> v.length).average().orElse(0);
        System.out.printf(Locale.ROOT, "Events: %d distinct, %.0f bytes of JSON on average; batch bodies %.0f KiB%n",
                events.size(), avgValue, batches.get(0).length / 1024.0);

        String auth = "Basic " + Base64.getEncoder().encodeToString((KEY + ":").getBytes(StandardCharsets.UTF_8));
        URI batchUri = URI.create("http://127.0.0.1:" + port + "/api/batch");
        URI trackUri = URI.create("http://127.0.0.1:" + port + "/api/track");

        System.out.println("Warming up …");
        RawProducer.run(bootstrap, Topics.EVENTS.name(), keys, values, Duration.ofSeconds(10));
        HttpLoad.run(batchUri, auth, batches, 100, batchWorkers, Duration.ofSeconds(10));
        HttpLoad.run(trackUri, auth, singles, 1, trackWorkers, Duration.ofSeconds(5));

        List<Double> raw = new ArrayList<>();
        List<Double> batch = new ArrayList<>();
        List<Double> track = new ArrayList<>();
        List<Double> batchP50 = new ArrayList<>();
        List<Double> batchP99 = new ArrayList<>();
        List<Double> trackP50 = new ArrayList<>();
        List<Double> trackP99 = new ArrayList<>();
        System.out.printf(Locale.ROOT, "%-6s %14s %16s %9s %9s %16s %9s %9s%n",
                "round", "raw rec/s", "batch events/s", "p50 ms", "p99 ms", "track events/s", "p50 ms", "p99 ms");
        for (int round = 1; round <= rounds; round++) {
            double r = RawProducer.run(bootstrap, Topics.EVENTS.name(), keys, values, Duration.ofSeconds(seconds));
            HttpLoad.Result b = HttpLoad.run(batchUri, auth, batches, 100, batchWorkers, Duration.ofSeconds(seconds));
            HttpLoad.Result t = HttpLoad.run(trackUri, auth, singles, 1, trackWorkers, Duration.ofSeconds(seconds));
            if (b.errors() > 0 || t.errors() > 0) {
                System.out.printf("round %d: %d batch and %d track requests were not 2xx%n", round, b.errors(), t.errors());
            }
            raw.add(r);
            batch.add(b.itemsPerSecond());
            track.add(t.itemsPerSecond());
            batchP50.add(b.p50Millis());
            batchP99.add(b.p99Millis());
            trackP50.add(t.p50Millis());
            trackP99.add(t.p99Millis());
            System.out.printf(Locale.ROOT, "%-6d %14.0f %16.0f %9.1f %9.1f %16.0f %9.1f %9.1f%n", round, r,
                    b.itemsPerSecond(), b.p50Millis(), b.p99Millis(), t.itemsPerSecond(), t.p50Millis(), t.p99Millis());
        }
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            ratios.add(batch.get(i) / raw.get(i));
        }
        double rawMedian = Stats.median(raw);
        double batchMedian = Stats.median(batch);
        double trackMedian = Stats.median(track);
        System.out.printf(Locale.ROOT, """

                Medians over %d rounds (%d cores):
                  raw producer ceiling      %10.0f records/s
                  POST /api/batch (100/req) %10.0f events/s   p50 %.1f ms  p99 %.1f ms   ingest/raw = %.2f
                  POST /api/track           %10.0f events/s   p50 %.1f ms  p99 %.1f ms   ingest/raw = %.2f
                  batch/raw round by round: median %.2f, range %.2f-%.2f
                """, rounds, Runtime.getRuntime().availableProcessors(), rawMedian,
                batchMedian, Stats.median(batchP50), Stats.median(batchP99), batchMedian / rawMedian,
                trackMedian, Stats.median(trackP50), Stats.median(trackP99), trackMedian / rawMedian,
                Stats.median(ratios), ratios.stream().mapToDouble(Double::doubleValue).min().orElse(0),
                ratios.stream().mapToDouble(Double::doubleValue).max().orElse(0));
    }
}
