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
import java.util.concurrent.TimeUnit;

/** The whole platform on one machine: PostgreSQL, a Kafka broker, the topics and every service. */
public final class LocalStack implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalStack.class);

    private final StackConfig config;
    private final Map<String, String> env;
    private LocalPostgres postgres;
    private LocalKafka kafka;
    private final Map<Service, ServiceProcess> services = new LinkedHashMap<>();
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
        kafka = new LocalKafka(data.resolve("kafka"), config.kafkaPort(), config.kafkaControllerPort(), config.kafkaHeap()).start();
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
        Map<Service, java.util.concurrent.Future<ServiceProcess>> starting = new LinkedHashMap<>();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(Service.values().length);
        try {
            for (Service s : Service.values()) {
                LOG.info("Starting {} on {}", s.module(), config.serviceUrl(s));
                starting.put(s, pool.submit(() -> ServiceProcess.start(s.module(), config.serviceJar(s), config.serviceUrl(s),
                        serviceEnv, config.serviceHeap(), data.resolve("logs").resolve(s.module() + ".log"), Duration.ofSeconds(180))));
            }
            for (Map.Entry<Service, java.util.concurrent.Future<ServiceProcess>> e : starting.entrySet()) {
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
            for (Map.Entry<Service, ServiceProcess> e : services.entrySet()) {
                if (e.getValue().pid() == p.pid()) {
                    owner = e.getKey().module();
                }
            }
            out.merge(owner, rss, Long::sum);
        });
        out.merge("launcher + postgres", rss(self), Long::sum);
        return out;
    }

    /** Blocks until a child process dies on its own; returns its name. */
    public String awaitUnexpectedExit() throws InterruptedException {
        while (true) {
            for (ServiceProcess p : services.values()) {
                if (!p.isAlive()) {
                    return p.describeExit();
                }
            }
            TimeUnit.SECONDS.sleep(1);
        }
    }

    @Override
    public void close() throws IOException {
        List<Service> reverse = new ArrayList<>(services.keySet());
        java.util.Collections.reverse(reverse);
        reverse.parallelStream().forEach(s -> services.get(s).stop(Duration.ofSeconds(20)));
        services.clear();
        if (kafka != null) {
            kafka.stop();
        }
        if (postgres != null) {
            postgres.close();
        }
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
