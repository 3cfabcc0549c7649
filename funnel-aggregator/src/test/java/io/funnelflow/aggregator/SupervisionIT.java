package io.funnelflow.aggregator;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.funnelflow.contract.event.TrackedEvent;
import io.funnelflow.launcher.Ports;
import io.funnelflow.launcher.ServiceProcess;
import io.funnelflow.launcher.Supervisor;
import io.funnelflow.testing.OomAgent;
import io.funnelflow.testing.SharedKafka;
import io.funnelflow.testing.SharedPostgres;
import io.funnelflow.testing.TestAccess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An OutOfMemoryError in the aggregator does not stop its writers for good: the aggregator's own jar runs
 * as a child JVM with {@code -XX:+ExitOnOutOfMemoryError} (as the launcher starts every service) under the
 * launcher's {@link Supervisor}, and a Java agent ({@link OomAgent}) exhausts its heap on a trigger. The
 * JVM exits, the exit is logged with its code, the supervisor starts it again after its backoff, and every
 * event — those sent before, and those sent while it was down — is stored and counted exactly once.
 */
class SupervisionIT {

    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final ListAppender<ILoggingEvent> LOGGED = new ListAppender<>();
    static Supervisor<ServiceProcess> aggregator;
    static String jdbcUrl;
    static Path trigger;

    @BeforeAll
    static void start() throws Exception {
        LOGGED.start();
        ((Logger) LoggerFactory.getLogger(Supervisor.class)).addAppender(LOGGED);
        jdbcUrl = SharedPostgres.newDatabase("supervision_it");
        SharedKafka.freshTopics();   // what this IT checks is everything its services stored
        Path dir = Files.createTempDirectory("supervision-it");
        trigger = dir.resolve("oom-now");
        int port = Ports.free();
        Map<String, String> env = new java.util.HashMap<>(TestAccess.environment());
        env.putAll(Map.of("FUNNELFLOW_KAFKA_BOOTSTRAP", SharedKafka.bootstrapServers(), "FUNNELFLOW_JDBC_URL", jdbcUrl,
                "FUNNELFLOW_JDBC_USER", SharedPostgres.user(), "FUNNELFLOW_JDBC_PASSWORD", SharedPostgres.password(),
                "FUNNELFLOW_AGGREGATOR_PORT", String.valueOf(port), "FUNNELFLOW_DATA_DIR", dir.toString(),
                "FUNNELFLOW_AGGREGATOR_APPLICATION_ID", "supervision-it"));
        Path jar = Path.of("target", "funnel-aggregator.jar").toAbsolutePath();
        List<String> agent = List.of("-javaagent:" + agentJar() + "=" + trigger);
        aggregator = Supervisor.start("funnel-aggregator", () -> ServiceProcess.start("funnel-aggregator", jar,
                "http://127.0.0.1:" + port, env, "256m", agent, Path.of("target", "it-logs", "supervision-it-aggregator.log"),
                Duration.ofSeconds(180)), Duration.ofSeconds(1), Duration.ofSeconds(8), Duration.ofMinutes(5));
    }

    @AfterAll
    static void stop() {
        if (aggregator != null) {
            aggregator.close();
        }
        ((Logger) LoggerFactory.getLogger(Supervisor.class)).detachAppender(LOGGED);
    }

    /** The test-support jar, whose manifest names the agent. */
    static Path agentJar() throws Exception {
        Path location = Path.of(OomAgent.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path jar = location.toString().endsWith(".jar") ? location
                : Path.of("..", "test-support", "target", "funnelflow-test-support.jar").toAbsolutePath().normalize();
        assertThat(jar).as("the agent jar (mvn package builds it)").exists();
        return jar;
    }

    @Test
    void anOutOfMemoryErrorEndsTheJvmWhichIsRestartedAndEveryEventIsStoredOnce() throws Exception {
        String run = "oom-" + UUID.randomUUID().toString().substring(0, 8);
        Instant at = Instant.now().minus(3, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS);
        List<TrackedEvent> before = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            before.add(WritersIT.campaignEvent(run + "-e" + i, run + "-s" + (i % 4), at.plusMillis(i), run));
        }
        WritersIT.publish(before);
        await().atMost(Duration.ofSeconds(90)).until(() -> count("SELECT count(*) FROM events WHERE event_id LIKE '" + run + "-%'") == 40);
        long firstPid = aggregator.current().pid();

        Files.createFile(trigger);
        await().atMost(Duration.ofSeconds(60)).until(() -> !aggregator.restarts().isEmpty());
        Supervisor.Restart restart = aggregator.restarts().get(0);
        assertThat(restart.exitCode()).as("the JVM's exit code for -XX:+ExitOnOutOfMemoryError").isEqualTo(3);
        assertThat(Files.readString(aggregator.current().log())).contains("java.lang.OutOfMemoryError");

        // events keep coming while it is down and coming back
        List<TrackedEvent> during = new ArrayList<>();
        for (int i = 40; i < 80; i++) {
            during.add(WritersIT.campaignEvent(run + "-e" + i, run + "-s" + (i % 4), at.plusMillis(i), run));
        }
        WritersIT.publish(during);

        await().atMost(Duration.ofSeconds(180)).until(() -> aggregator.current().pid() != firstPid && aggregator.current().isAlive()
                && health() == 200);
        assertThat(LOGGED.list).extracting(ILoggingEvent::getFormattedMessage)
                .anyMatch(m -> m.startsWith("funnel-aggregator exited with code 3 (out of memory)") && m.contains("restarting it in 1000 ms"));

        await().atMost(Duration.ofSeconds(90)).until(() -> count("SELECT count(*) FROM events WHERE event_id LIKE '" + run + "-%'") == 80);
        // each event counted once: in its session, and in the stream-maintained funnel figures of its campaign
        await().atMost(Duration.ofSeconds(60)).until(() ->
                count("SELECT coalesce(sum(events), 0) FROM sessions WHERE session_id LIKE '" + run + "-s%'") == 80
                        && WritersIT.campaignEvents(aggregator.current().url(), run) == 80);
        assertThat(aggregator.restarts()).hasSize(1);
    }

    static int health() {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(aggregator.current().url() + "/health")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    static long count(String query) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl, SharedPostgres.user(), SharedPostgres.password());
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
