package io.funnelflow.bench;

import com.fasterxml.jackson.databind.ObjectWriter;
import io.funnelflow.aggregator.store.PostgresSink;
import io.funnelflow.contract.event.EventType;
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
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * How fast the aggregator drains a backlog: simulated shoppers' events (sessions of 5 and of 200 events,
 * thousands of them live at once, as history) put straight onto {@code funnelflow.events}, then the
 * aggregator started from its jar against the broker and PostgreSQL on this machine. Beside it, in the
 * same run, a plain consumer reads the same topic: the broker's own ceiling for reading it. The
 * stream's rate is taken between 10% and 90% of the backlog (start-up and the tail left out); the
 * sink's from start to everything in PostgreSQL.
 */
@Command(name = "aggregator", mixinStandardHelpOptions = true,
        description = "A backlog drained by the aggregator, sessions of 5 and of 200 events, beside a plain consumer of the same topic.")
final class AggregatorBenchmark implements Callable<Integer> {

    @Option(names = "--events", defaultValue = "2000000", description = "events in each backlog (default ${DEFAULT-VALUE})")
    int events;

    @Option(names = "--rounds", defaultValue = "1", description = "rounds of each session length, alternating (default ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--live-sessions", defaultValue = "5000", description = "sessions in progress at once (default ${DEFAULT-VALUE})")
    int live;

    @Option(names = "--heap", defaultValue = "256m", description = "the aggregator's heap (default ${DEFAULT-VALUE}, as ./funnelflow up)")
    String heap;

    @Option(names = "--lengths", defaultValue = "5,200", split = ",", description = "session lengths to compare (default ${DEFAULT-VALUE})")
    List<Integer> lengths;

    record Result(int length, double produced, double plain, double stream, double sink) {
    }

    @Override
    public Integer call() throws Exception {
        List<Result> results = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            for (int length : lengths) {
                System.out.printf(Locale.ROOT, "%nRound %d, sessions of %d events: %,d events …%n", round, length, events);
                Result r = drain(length);
                results.add(r);
                System.out.printf(Locale.ROOT, """
                          put on the topic (one producer)     %9.0f events/s
                          plain consumer read it              %9.0f events/s   (baseline)
                          aggregator stream (EOS)             %9.0f events/s   (%.3f of the baseline)
                          …and all of it in PostgreSQL        %9.0f events/s
                        """, r.produced(), r.plain(), r.stream(), r.stream() / r.plain(), r.sink());
            }
        }
        System.out.printf(Locale.ROOT, "%nMedians over %d round(s):%n", rounds);
        double first = Double.NaN;
        for (int length : lengths) {
            List<Result> of = results.stream().filter(r -> r.length() == length).toList();
            double stream = Stats.median(of.stream().map(Result::stream).toList());
            double plain = Stats.median(of.stream().map(Result::plain).toList());
            double sink = Stats.median(of.stream().map(Result::sink).toList());
            if (Double.isNaN(first)) {
                first = stream;
            }
            System.out.printf(Locale.ROOT, "  sessions of %3d events: stream %8.0f events/s, sink %8.0f events/s, plain consumer %9.0f events/s;"
                    + " stream / plain %.3f; stream / sessions of %d: %.2f%n", length, stream, sink, plain, stream / plain,
                    lengths.get(0), stream / first);
        }
        return 0;
    }

    private Result drain(int length) throws Exception {
        Path dir = Files.createTempDirectory("funnelflow-bench-aggregator");
        StackConfig stack = StackConfig.fromEnvironment(System.getenv());
        try (LocalKafka kafka = new LocalKafka(dir.resolve("kafka"), Ports.free(), Ports.free(), "1g").start();
             LocalPostgres pg = LocalPostgres.start(dir.resolve("pg"), 0, "funnelflow")) {
            kafka.createTopics(Topics.DEFAULT_PARTITIONS);
            double produced = produce(kafka.bootstrapServers(), length);
            double plain = readPlain(kafka.bootstrapServers());
            int port = Ports.free();
            Map<String, String> env = Map.of(
                    "FUNNELFLOW_KAFKA_BOOTSTRAP", kafka.bootstrapServers(),
                    "FUNNELFLOW_AGGREGATOR_PORT", String.valueOf(port),
                    "FUNNELFLOW_JDBC_URL", pg.jdbcUrl(),
                    "FUNNELFLOW_JDBC_USER", pg.user(),
                    "FUNNELFLOW_DATA_DIR", dir.toString());
            long start = System.nanoTime();
            try (ServiceProcess aggregator = ServiceProcess.start("funnel-aggregator", stack.serviceJar(StackConfig.Service.AGGREGATOR),
                    "http://127.0.0.1:" + port, env, heap, dir.resolve("aggregator.log"), Duration.ofSeconds(180));
                 Admin admin = kafka.admin()) {
                double stream = streamRate(admin);
                ConsumerLag.await(admin, "funnelflow-aggregator-postgres-sink", PostgresSink.TOPICS, Duration.ofMinutes(60));
                double sink = events / ((System.nanoTime() - start) / 1e9);
                return new Result(length, produced, plain, stream, sink);
            }
        }
    }

    /** Events per second between the moments the stream had committed 10% and 90% of the backlog. */
    private double streamRate(Admin admin) throws Exception {
        long low = events / 10;
        long high = events - events / 10;
        long lowAt = 0;
        long highAt = 0;
        long lowDone = 0;
        long highDone = 0;
        long deadline = System.nanoTime() + Duration.ofMinutes(60).toNanos();
        while (System.nanoTime() < deadline) {
            long done;
            try {
                done = events - ConsumerLag.of(admin, "funnelflow-aggregator", List.of(Topics.EVENTS.name())).total();
            } catch (java.util.concurrent.ExecutionException notYet) {
                done = 0;
            }
            long now = System.nanoTime();
            if (lowAt == 0 && done >= low) {
                lowAt = now;
                lowDone = done;
            }
            if (done >= high) {
                highAt = now;
                highDone = done;
                break;
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        if (highAt == 0) {
            throw new IllegalStateException("the stream did not get through the backlog within an hour");
        }
        return (highDone - lowDone) / ((highAt - lowAt) / 1e9);
    }

    /** Simulated shoppers: {@code live} sessions in progress at once, each of {@code length} events, as history. */
    private double produce(String bootstrap, int length) throws Exception {
        SplittableRandom random = new SplittableRandom(length);
        ObjectWriter writer = Json.mapper().writerFor(TrackedEvent.class);
        int[] progress = new int[live];
        long[] sessionIds = new long[live];
        long[] clocks = new long[live];
        long nextSession = 0;
        long base = Instant.now().minus(Duration.ofDays(3)).toEpochMilli();
        for (int i = 0; i < live; i++) {
            sessionIds[i] = nextSession++;
            clocks[i] = base + random.nextInt(60_000);
        }
        Instant received = Instant.now();
        java.util.concurrent.atomic.AtomicReference<Exception> failed = new java.util.concurrent.atomic.AtomicReference<>();
        long t0 = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4", ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (long n = 0; n < events; n++) {
                int slot = random.nextInt(live);
                int step = progress[slot]++;
                String session = "s-" + length + "-" + sessionIds[slot];
                clocks[slot] += 5_000 + random.nextInt(40_000);
                TrackedEvent e = event(random, session, step, length, Instant.ofEpochMilli(clocks[slot]), n);
                producer.send(new ProducerRecord<>(Topics.EVENTS.name(), session.getBytes(StandardCharsets.UTF_8),
                        writer.writeValueAsBytes(e.accepted(e.eventId(), received, null))), (metadata, error) -> {
                    if (error != null) {
                        failed.compareAndSet(null, error);
                    }
                });
                if (progress[slot] == length) {
                    progress[slot] = 0;
                    sessionIds[slot] = nextSession++;
                    clocks[slot] = clocks[slot] + random.nextInt(600_000);
                }
            }
            producer.flush();
        }
        if (failed.get() != null) {
            throw new IllegalStateException("the backlog could not be written whole", failed.get());
        }
        return events / ((System.nanoTime() - t0) / 1e9);
    }

    private static final String[] SOURCES = {"google", "facebook", "newsletter", "direct", "instagram", "linkedin"};
    private static final String[] DEVICES = {"desktop", "mobile", "tablet"};

    private static TrackedEvent event(SplittableRandom random, String session, int step, int length, Instant at, long n) {
        EventType type;
        if (step == 0) {
            type = EventType.PAGE_VIEW;
        } else if (step == length - 1 && random.nextInt(4) == 0) {
            type = EventType.PURCHASE;
        } else {
            int r = random.nextInt(20);
            type = r < 8 ? EventType.PAGE_VIEW : r < 15 ? EventType.PRODUCT_VIEW : r < 18 ? EventType.ADD_TO_CART
                    : r < 19 ? EventType.REMOVE_FROM_CART : EventType.CHECKOUT_START;
        }
        String product = "p-" + random.nextInt(500);
        BigDecimal price = BigDecimal.valueOf(500 + random.nextInt(20_000), 2);
        int hash = session.hashCode();
        return TrackedEvent.builder().eventId("e-" + n).eventType(type.wireName()).timestamp(at).sentAt(at)
                .sessionId(session).anonymousId("a-" + session)
                .pageUrl("https://shop.example/products/" + product).utmSource(SOURCES[Math.floorMod(hash, SOURCES.length)])
                .utmMedium("cpc").utmCampaign("winter-sale").platform("web").device(DEVICES[Math.floorMod(hash >> 4, DEVICES.length)])
                .productId(product).productName("Product " + product).price(price).quantity(1 + random.nextInt(3))
                .revenue(type == EventType.PURCHASE ? price : null).currency("EUR").metadata(Map.of("ab", "v2")).build();
    }

    /** A plain consumer reading the whole topic from the start: what the broker gives a reader here. */
    private double readPlain(String bootstrap) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = consumer.partitionsFor(Topics.EVENTS.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            long read = 0;
            long t0 = System.nanoTime();
            long deadline = t0 + Duration.ofMinutes(10).toNanos();
            while (read < events) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(500));
                read += records.count();
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the plain consumer read " + read + " of " + events + " events in 10 minutes");
                }
            }
            return read / ((System.nanoTime() - t0) / 1e9);
        }
    }
}
