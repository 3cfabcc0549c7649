package io.funnelflow.bench;

import io.funnelflow.aggregator.store.PostgresSink;
import io.funnelflow.contract.event.TrackedEvent;
import io.funnelflow.contract.json.Json;
import io.funnelflow.contract.topic.ConsumerLag;
import io.funnelflow.contract.topic.Topics;
import io.funnelflow.launcher.LocalKafka;
import io.funnelflow.launcher.LocalPostgres;
import io.funnelflow.launcher.Ports;
import io.funnelflow.launcher.ServiceProcess;
import io.funnelflow.launcher.StackConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * End-to-end freshness: at a steady load through ingest, how long from a 2xx until the session is
 * visible through the query API; beside it, in the same run and under the same load, how long Kafka
 * alone takes from an acknowledged send to a read_committed consumer. Then the aggregator's sustained
 * rate on a backlog, beside the rate at which the broker took that backlog.
 */
@Command(name = "freshness", mixinStandardHelpOptions = true,
        description = "Ingest 2xx -> visible in the query API, at a steady load, beside Kafka's own produce -> consume latency.")
final class FreshnessBenchmark implements Callable<Integer> {

    /** The admin token of the services this benchmark starts. */
    static final String TOKEN = io.funnelflow.contract.credential.Secrets.newSecret(
            io.funnelflow.contract.credential.Credential.Kind.API_TOKEN);

    private static final String KEY = "bench-write-key";
    private static final String BASELINE_TOPIC = "bench.baseline";

    @Option(names = "--rate", defaultValue = "5000", description = "steady load in events/s (default ${DEFAULT-VALUE})")
    int rate;

    @Option(names = "--seconds", defaultValue = "40", description = "how long to probe at the steady load (default ${DEFAULT-VALUE})")
    int seconds;

    @Option(names = "--backlog", defaultValue = "300000", description = "events in the throughput backlog (default ${DEFAULT-VALUE})")
    int backlog;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String auth = "Basic " + Base64.getEncoder().encodeToString((KEY + ":").getBytes(StandardCharsets.UTF_8));

    @Override
    public Integer call() throws Exception {
        Path dir = Files.createTempDirectory("funnelflow-freshness");
        StackConfig stack = StackConfig.fromEnvironment(System.getenv());
        System.out.println("Starting Kafka, PostgreSQL, ingest-service and funnel-aggregator (each its own process) …");
        try (LocalKafka kafka = new LocalKafka(dir.resolve("kafka"), Ports.free(), Ports.free(), "1g").start();
             LocalPostgres pg = LocalPostgres.start(dir.resolve("pg"), 0, "funnelflow")) {
            kafka.createTopics(Topics.DEFAULT_PARTITIONS);
            try (Admin admin = kafka.admin()) {
                admin.createTopics(List.of(new NewTopic(BASELINE_TOPIC, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
            int ingestPort = Ports.free();
            int aggregatorPort = Ports.free();
            Map<String, String> env = new java.util.HashMap<>(Map.of(
                    "FUNNELFLOW_KAFKA_BOOTSTRAP", kafka.bootstrapServers(),
                    "FUNNELFLOW_WRITE_KEYS", KEY,
                    "FUNNELFLOW_RATE_LIMIT_EPS", "10000000",
                    "FUNNELFLOW_RATE_LIMIT_BURST", "10000000",
                    "FUNNELFLOW_INGEST_PORT", String.valueOf(ingestPort),
                    "FUNNELFLOW_AGGREGATOR_PORT", String.valueOf(aggregatorPort),
                    "FUNNELFLOW_JDBC_URL", pg.jdbcUrl(),
                    "FUNNELFLOW_JDBC_USER", pg.user(),
                    "FUNNELFLOW_DATA_DIR", dir.toString()));
            // the query APIs want a token: one made for this run
            env.put("FUNNELFLOW_API_TOKENS", TOKEN);
            try (ServiceProcess ingest = ServiceProcess.start("ingest-service", stack.serviceJar(StackConfig.Service.INGEST),
                    "http://127.0.0.1:" + ingestPort, env, "512m", dir.resolve("ingest.log"), Duration.ofSeconds(120));
                 ServiceProcess aggregator = ServiceProcess.start("funnel-aggregator",
                         stack.serviceJar(StackConfig.Service.AGGREGATOR), "http://127.0.0.1:" + aggregatorPort, env, "768m",
                         dir.resolve("aggregator.log"), Duration.ofSeconds(180))) {
                steady(kafka.bootstrapServers(), ingest.url(), aggregator.url());
                throughput(kafka);
            }
        }
        return 0;
    }

    private void steady(String bootstrap, String ingestUrl, String aggregatorUrl) throws Exception {
        List<byte[]> bodies = new ArrayList<>();
        List<TrackedEvent> events = SampleEvents.generate(50_000, 7);
        for (int i = 0; i + 100 <= events.size(); i += 100) {
            List<TrackedEvent> batch = events.subList(i, i + 100).stream()
                    .map(e -> new TrackedEvent(UUID.randomUUID().toString(), e.eventType(), null, null, null, null,
                            e.sessionId(), e.userId(), e.anonymousId(), e.pageUrl(), null, e.utmSource(), e.utmMedium(),
                            e.utmCampaign(), e.platform(), e.device(), e.productId(), e.productName(), e.price(),
                            e.quantity(), e.revenue(), e.currency(), null))
                    .toList();
            bodies.add(Json.mapper().writeValueAsBytes(Map.of("events", batch)));
        }
        AtomicLong sent = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        ScheduledExecutorService pacer = Executors.newScheduledThreadPool(1);
        ExecutorService senders = Executors.newFixedThreadPool(16);
        long periodMicros = 1_000_000L * 100 / rate;
        AtomicLong cursor = new AtomicLong();
        pacer.scheduleAtFixedRate(() -> senders.submit(() -> {
            byte[] body = bodies.get((int) (cursor.getAndIncrement() % bodies.size()));
            try {
                int status = post(ingestUrl + "/api/batch", body).statusCode();
                if (status / 100 == 2) {
                    sent.addAndGet(100);
                } else {
                    failed.incrementAndGet();
                }
            } catch (Exception e) {
                failed.incrementAndGet();
            }
        }), 0, periodMicros, TimeUnit.MICROSECONDS);

        System.out.printf(Locale.ROOT, "Steady load: %d events/s through POST /api/batch; probing for %d s once the aggregator keeps up …%n",
                rate, seconds);
        Thread.sleep(5_000);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            // steady state: the aggregator has worked through the start-up backlog (less than a second of traffic behind)
            long waited = System.nanoTime();
            while (ConsumerLag.of(admin, "funnelflow-aggregator", List.of(Topics.EVENTS.name())).total() > rate) {
                Thread.sleep(250);
            }
            System.out.printf(Locale.ROOT, "  (caught up after %.1f s more)%n", (System.nanoTime() - waited) / 1e9);
        }
        List<Long> fresh = new ArrayList<>();
        List<Long> baseline = new ArrayList<>();
        long start = System.nanoTime();
        long sentAtStart = sent.get();
        try (KafkaProducer<byte[], byte[]> producer = baselineProducer(bootstrap);
             KafkaConsumer<byte[], byte[]> consumer = baselineConsumer(bootstrap)) {
            while (System.nanoTime() - start < Duration.ofSeconds(seconds).toNanos()) {
                fresh.add(freshness(ingestUrl, aggregatorUrl));
                baseline.add(kafkaLatency(producer, consumer));
                Thread.sleep(200);
            }
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        long achieved = sent.get() - sentAtStart;
        pacer.shutdownNow();
        senders.shutdown();
        senders.awaitTermination(30, TimeUnit.SECONDS);
        System.out.println("  probes in order (ms): " + fresh.stream().map(n -> String.valueOf(n / 1_000_000))
                .collect(Collectors.joining(" ")));
        long[] f = Stats.sorted(fresh.stream().mapToLong(Long::longValue).toArray());
        long[] b = Stats.sorted(baseline.stream().mapToLong(Long::longValue).toArray());
        System.out.printf(Locale.ROOT, """

                Steady phase: %.0f events/s achieved through ingest (%d requests not 2xx), %d probes
                  ingest 2xx -> session visible in /api/sessions   p50 %6.0f ms   p99 %6.0f ms
                  Kafka alone: acked send -> read_committed poll  p50 %6.0f ms   p99 %6.0f ms   (baseline, same load)
                  freshness / baseline (p50)                      %.1fx
                """, achieved / elapsed, failed.get(), f.length,
                Stats.percentile(f, 50) / 1e6, Stats.percentile(f, 99) / 1e6,
                Stats.percentile(b, 50) / 1e6, Stats.percentile(b, 99) / 1e6,
                Stats.percentile(f, 50) / Math.max(1, Stats.percentile(b, 50)));
    }

    /** Nanoseconds from the 2xx of one event to its session answering 200 on the query API. */
    private long freshness(String ingestUrl, String aggregatorUrl) throws Exception {
        String session = "probe-" + UUID.randomUUID();
        String body = "{\"events\":[{\"event_type\":\"page_view\",\"session_id\":\"" + session + "\",\"timestamp\":\""
                + Instant.now() + "\"}]}";
        HttpResponse<String> r = post(ingestUrl + "/api/batch", body.getBytes(StandardCharsets.UTF_8));
        long acked = System.nanoTime();
        if (r.statusCode() != 200) {
            throw new IllegalStateException("probe refused: " + r.statusCode() + " " + r.body());
        }
        HttpRequest get = HttpRequest.newBuilder(URI.create(aggregatorUrl + "/api/sessions/" + session))
                .header("Authorization", "Bearer " + TOKEN).build();
        long deadline = acked + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (http.send(get, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                return System.nanoTime() - acked;
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException("session " + session + " did not become visible within 60 s");
    }

    private static long kafkaLatency(KafkaProducer<byte[], byte[]> producer, KafkaConsumer<byte[], byte[]> consumer) throws Exception {
        byte[] marker = UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8);
        producer.send(new ProducerRecord<>(BASELINE_TOPIC, marker, marker)).get();
        long acked = System.nanoTime();
        while (true) {
            for (var rec : consumer.poll(Duration.ofMillis(5))) {
                if (java.util.Arrays.equals(rec.key(), marker)) {
                    return System.nanoTime() - acked;
                }
            }
        }
    }

    private void throughput(LocalKafka kafka) throws Exception {
        System.out.printf(Locale.ROOT, "%nBacklog: %d events straight onto funnelflow.events …%n", backlog);
        List<TrackedEvent> sample = SampleEvents.generate(backlog, 11);
        Instant now = Instant.now();
        List<byte[]> keys = new ArrayList<>(sample.size());
        List<byte[]> values = new ArrayList<>(sample.size());
        var writer = Json.mapper().writerFor(TrackedEvent.class);
        for (TrackedEvent e : sample) {
            keys.add(e.sessionKey().getBytes(StandardCharsets.UTF_8));
            values.add(writer.writeValueAsBytes(e.accepted(e.eventId(), now, null)));
        }
        long t0 = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = baselineProducer(kafka.bootstrapServers())) {
            for (int i = 0; i < keys.size(); i++) {
                producer.send(new ProducerRecord<>(Topics.EVENTS.name(), keys.get(i), values.get(i)));
            }
            producer.flush();
        }
        double produceSeconds = (System.nanoTime() - t0) / 1e9;
        try (Admin admin = kafka.admin()) {
            ConsumerLag.await(admin, "funnelflow-aggregator", List.of(Topics.EVENTS.name()), Duration.ofMinutes(30));
            double streamSeconds = (System.nanoTime() - t0) / 1e9;
            ConsumerLag.await(admin, "funnelflow-aggregator-postgres-sink", PostgresSink.TOPICS, Duration.ofMinutes(30));
            double sinkSeconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, """
                      broker took the backlog              %8.0f events/s (baseline)
                      aggregator stream (EOS) kept up with %8.0f events/s   (%.2f of the baseline)
                      …and everything in PostgreSQL at     %8.0f events/s   (%.2f of the baseline)
                    """, backlog / produceSeconds, backlog / streamSeconds, produceSeconds / streamSeconds,
                    backlog / sinkSeconds, produceSeconds / sinkSeconds);
        }
    }

    private HttpResponse<String> post(String url, byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .header("Authorization", auth).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static KafkaProducer<byte[], byte[]> baselineProducer(String bootstrap) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4", ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static KafkaConsumer<byte[], byte[]> baselineConsumer(String bootstrap) {
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        TopicPartition tp = new TopicPartition(BASELINE_TOPIC, 0);
        consumer.assign(List.of(tp));
        consumer.seekToEnd(List.of(tp));
        consumer.position(tp);
        return consumer;
    }
}
