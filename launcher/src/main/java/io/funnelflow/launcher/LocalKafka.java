package io.funnelflow.launcher;

import io.funnelflow.contract.topic.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node Kafka (KRaft, broker and controller combined) in a child JVM, listening on
 * 127.0.0.1, its log kept under a data directory so that it survives restarts. Stopping and starting
 * it again brings the same broker back on the same port, which is what an outage looks like to clients.
 */
public final class LocalKafka implements AutoCloseable, Supervisor.Child {

    private static final Logger LOG = LoggerFactory.getLogger(LocalKafka.class);

    private final Path dir;
    private final int port;
    private final int controllerPort;
    private final String heap;
    private ChildProcess process;

    public LocalKafka(Path dir, int port, int controllerPort, String heap) {
        this.dir = dir.toAbsolutePath();
        this.port = port;
        this.controllerPort = controllerPort;
        this.heap = heap;
    }

    /** A broker on free ports in {@code dir}, with a heap fit for tests. */
    public static LocalKafka onFreePorts(Path dir) {
        return new LocalKafka(dir, Ports.free(), Ports.free(), "512m");
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** Starts the broker (formatting its storage the first time) and waits until it answers. */
    public synchronized LocalKafka start() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            return this;
        }
        if (Ports.inUse(port)) {
            throw new IllegalStateException("Port " + port + " on 127.0.0.1 is taken; set FUNNELFLOW_KAFKA_PORT to another port");
        }
        Path data = dir.resolve("data");
        Path logs = dir.resolve("logs");
        Files.createDirectories(data);
        Files.createDirectories(logs);
        Path config = writeConfig(data);
        Path logConfig = dir.resolve("log4j2.xml");
        try (InputStream in = LocalKafka.class.getResourceAsStream("/kafka-log4j2.xml")) {
            Files.copy(in, logConfig, StandardCopyOption.REPLACE_EXISTING);
        }
        List<String> jvm = new ArrayList<>(List.of(JvmClasspath.javaExecutable(),
                "-Xms64m", "-Xmx" + heap, "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20", JvmClasspath.EXIT_ON_OUT_OF_MEMORY,
                "-Dlog4j2.configurationFile=" + logConfig,
                "-Dfunnelflow.log.file=" + logs.resolve("kafka.log"),
                "-cp", JvmClasspath.current()));
        if (!Files.exists(data.resolve("meta.properties"))) {
            format(jvm, config, logs);
        }
        List<String> command = new ArrayList<>(jvm);
        command.addAll(List.of("kafka.Kafka", config.toString()));
        process = ChildProcess.start("kafka", command, Map.of(), logs.resolve("kafka.out"));
        awaitReady(Duration.ofSeconds(90));
        return this;
    }

    /** Stops the broker cleanly; {@link #start()} brings it back with its data. */
    public synchronized void stop() {
        if (process != null) {
            process.stop(Duration.ofSeconds(30));
            process = null;
        }
    }

    /** Creates the platform's topics that do not exist yet. */
    public void createTopics(int partitions) throws Exception {
        try (Admin admin = admin()) {
            Topics.ensureCreated(admin, partitions, (short) 1);
        }
    }

    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000));
    }

    public long pid() {
        return process == null ? -1 : process.pid();
    }

    @Override
    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    @Override
    public int awaitExit() throws InterruptedException {
        ChildProcess running;
        synchronized (this) {
            running = process;
        }
        return running == null ? 0 : running.awaitExit();
    }

    @Override
    public synchronized void stop(Duration grace) {
        if (process != null) {
            process.stop(grace);
            process = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    private Path writeConfig(Path data) throws IOException {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
        p.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
        p.setProperty("log.dirs", data.toString());
        p.setProperty("num.partitions", String.valueOf(Topics.DEFAULT_PARTITIONS));
        p.setProperty("auto.create.topics.enable", "false");
        // one node: every internal topic has one replica, or consumers and transactions never get going
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("offsets.topic.num.partitions", "10");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("transaction.state.log.num.partitions", "10");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        p.setProperty("log.retention.hours", "168");
        Path config = dir.resolve("server.properties");
        try (var out = Files.newBufferedWriter(config)) {
            p.store(out, "FunnelFlow local broker; written at every start");
        }
        return config;
    }

    private void format(List<String> jvm, Path config, Path logs) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(jvm);
        command.addAll(List.of("kafka.tools.StorageTool", "format", "--standalone",
                "-t", Uuid.randomUuid().toString(), "-c", config.toString()));
        Path log = logs.resolve("kafka-format.out");
        Process format = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        if (!format.waitFor(120, TimeUnit.SECONDS) || format.exitValue() != 0) {
            format.destroyForcibly();
            throw new IllegalStateException("Formatting the Kafka storage failed; see " + log);
        }
    }

    private void awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = admin()) {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("Kafka exited with code " + process.exitCode().orElse(-1)
                            + "; see " + process.log() + " and " + dir.resolve("logs/kafka.log"));
                }
                try {
                    admin.describeCluster().nodes().get(2, TimeUnit.SECONDS);
                    LOG.debug("Kafka ready on {}", bootstrapServers());
                    return;
                } catch (Exception notYet) {
                    TimeUnit.MILLISECONDS.sleep(200);
                }
            }
        }
        throw new IllegalStateException("Kafka did not answer on " + bootstrapServers() + " within " + timeout.toSeconds() + " s");
    }
}
