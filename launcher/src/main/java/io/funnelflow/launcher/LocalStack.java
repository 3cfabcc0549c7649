package io.funnelflow.launcher;

import io.funnelflow.launcher.StackConfig.Service;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole platform on one machine: PostgreSQL, a Kafka broker, the topics and every service. The
 * broker and the services are child JVMs, each under a {@link Supervisor}: one that exits (an
 * OutOfMemoryError, a crash) is logged with its exit code and started again with backoff (1 s doubling
 * to 60 s), while the rest of the stack goes on.
 */
public final class LocalStack implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalStack.class);
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(60);
    /** A child that lived this long before it exited is restarted after the first backoff again. */
    static final Duration STABLE_AFTER = Duration.ofMinutes(5);

    private final StackConfig config;
    private final Map<String, String> env;
    private LocalPostgres postgres;
    private LocalKafka kafka;
    private Supervisor<LocalKafka> kafkaSupervisor;
    private final Map<Service, Supervisor<ServiceProcess>> services = new LinkedHashMap<>();
    private final java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);
    private String writeKey;
    private String apiTokens;

    public LocalStack(StackConfig config, Map<String, String> env) {
        this.config = config;
        this.env = env;
    }

    public void start() throws Exception {
        for (Service s : Service.values()) {
            if (!Files.exists(config.serviceJar(s))) {
                throw new IllegalStateException(config.serviceJar(s) + " is missing: build first (./funnelflow up does)");
            }
            if (Ports.inUse(config.servicePorts().get(s))) {
                throw new IllegalStateException("Port " + config.servicePorts().get(s) + " is taken; set " + s.portVariable());
            }
        }
        Path data = config.dataDir();
        writeKey = config.writeKeys(env);
        apiTokens = config.apiTokens(env);
        String sessionSecret = config.sessionSecret(env);
        LOG.info("Starting PostgreSQL on 127.0.0.1:{} (data in {})", config.postgresPort(), data.resolve("postgres"));
        postgres = LocalPostgres.start(data.resolve("postgres"), config.postgresPort(), "funnelflow");
        LOG.info("Starting Kafka on 127.0.0.1:{} (data in {})", config.kafkaPort(), data.resolve("kafka"));
        kafka = new LocalKafka(data.resolve("kafka"), config.kafkaPort(), config.kafkaControllerPort(), config.kafkaHeap());
        kafkaSupervisor = Supervisor.start("kafka", kafka::start, FIRST_BACKOFF, MAX_BACKOFF, STABLE_AFTER);
        kafka.createTopics(io.funnelflow.contract.topic.Topics.DEFAULT_PARTITIONS);

        Map<String, String> serviceEnv = new HashMap<>(env);
        serviceEnv.put("FUNNELFLOW_KAFKA_BOOTSTRAP", kafka.bootstrapServers());
        serviceEnv.put("FUNNELFLOW_JDBC_URL", postgres.jdbcUrl());
        serviceEnv.put("FUNNELFLOW_JDBC_USER", postgres.user());
        serviceEnv.put("FUNNELFLOW_JDBC_PASSWORD", "");
        serviceEnv.put("FUNNELFLOW_WRITE_KEYS", writeKey);
        serviceEnv.put("FUNNELFLOW_API_TOKENS", apiTokens);
        serviceEnv.put("FUNNELFLOW_SESSION_SECRET", sessionSecret);
        serviceEnv.put("FUNNELFLOW_DATA_DIR", data.toString());
        for (Service s : Service.values()) {
            serviceEnv.put(s.portVariable(), String.valueOf(config.servicePorts().get(s)));
            serviceEnv.putIfAbsent(s.urlVariable(), config.serviceUrl(s));
        }
        // in parallel: each waits for its own health
        Map<Service, java.util.concurrent.Future<Supervisor<ServiceProcess>>> starting = new LinkedHashMap<>();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(Service.values().length);
        try {
            for (Service s : Service.values()) {
                LOG.info("Starting {} on {}", s.module(), config.serviceUrl(s));
                starting.put(s, pool.submit(() -> Supervisor.start(s.module(), () -> ServiceProcess.start(s.module(),
                        config.serviceJar(s), config.serviceUrl(s), serviceEnv, config.serviceHeap(),
                        data.resolve("logs").resolve(s.module() + ".log"), Duration.ofSeconds(180)),
                        FIRST_BACKOFF, MAX_BACKOFF, STABLE_AFTER)));
            }
            for (Map.Entry<Service, java.util.concurrent.Future<Supervisor<ServiceProcess>>> e : starting.entrySet()) {
                try {
                    services.put(e.getKey(), e.getValue().get());
                } catch (java.util.concurrent.ExecutionException failed) {
                    throw failed.getCause() instanceof Exception cause ? cause : failed;
                }
            }
        } finally {
            pool.shutdown();
        }
    }

    public String writeKey() {
        return writeKey;
    }

    /** The admin token the banner shows: the first of FUNNELFLOW_API_TOKENS, or the one of the data directory. */
    public String adminToken() {
        return apiTokens.split(",")[0].trim();
    }

    /** Whether the admin token came from the environment rather than the data directory. */
    public boolean adminTokenFromEnvironment() {
        String configured = env.get("FUNNELFLOW_API_TOKENS");
        return configured != null && !configured.isBlank();
    }

    public StackConfig config() {
        return config;
    }

    public String kafkaBootstrap() {
        return kafka.bootstrapServers();
    }

    public String jdbcUrl() {
        return postgres.jdbcUrl();
    }

    /** Resident memory of this JVM and every process it started (services, broker, PostgreSQL), in bytes. */
    public Map<String, Long> residentMemory() {
        Map<String, Long> out = new LinkedHashMap<>();
        long self = ProcessHandle.current().pid();
        long kafkaPid = kafka.pid();
        out.put("launcher + postgres", 0L);
        out.put("kafka", 0L);
        for (Service s : services.keySet()) {
            out.put(s.module(), 0L);
        }
        ProcessHandle.current().descendants().forEach(p -> {
            long rss = rss(p.pid());
            String owner = "launcher + postgres";
            if (p.pid() == kafkaPid) {
                owner = "kafka";
            }
            for (Map.Entry<Service, Supervisor<ServiceProcess>> e : services.entrySet()) {
                if (e.getValue().current().pid() == p.pid()) {
                    owner = e.getKey().module();
                }
            }
            out.merge(owner, rss, Long::sum);
        });
        out.merge("launcher + postgres", rss(self), Long::sum);
        return out;
    }

    /** Every restart of a child so far, by child. */
    public Map<String, List<Supervisor.Restart>> restarts() {
        Map<String, List<Supervisor.Restart>> out = new LinkedHashMap<>();
        if (kafkaSupervisor != null) {
            out.put(kafkaSupervisor.name(), kafkaSupervisor.restarts());
        }
        services.values().forEach(s -> out.put(s.name(), s.restarts()));
        return out;
    }

    /** Blocks until the stack is closed: a child that exits is restarted, never the end of the stack. */
    public void awaitClosed() throws InterruptedException {
        closed.await();
    }

    @Override
    public void close() throws IOException {
        List<Service> reverse = new ArrayList<>(services.keySet());
        java.util.Collections.reverse(reverse);
        reverse.parallelStream().forEach(s -> services.get(s).close());
        services.clear();
        if (kafkaSupervisor != null) {
            kafkaSupervisor.close();
        } else if (kafka != null) {
            kafka.stop();
        }
        if (postgres != null) {
            postgres.close();
        }
        closed.countDown();
    }

    private static long rss(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process ended, or this is not Linux
        }
        return 0;
    }
}
