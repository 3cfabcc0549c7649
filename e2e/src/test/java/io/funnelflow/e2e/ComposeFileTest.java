package io.funnelflow.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.funnelflow.contract.json.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * docker-compose.yml is a file Compose accepts ({@code docker-compose config}), and it describes what this
 * build makes: the Kafka image of the version the services are built against, as a three-node KRaft quorum
 * with replication 3; each service's image under the name and version Jib gives it, with the port that
 * image exposes, a health check and a start order; and only environment variables a service reads.
 */
class ComposeFileTest {

    static final Path ROOT = Path.of("..");
    static final List<String> SERVICES = List.of("ingest-service", "funnel-aggregator", "prediction-service", "insights-service");
    static final Pattern PORT = Pattern.compile("\"?(\\d+):(\\d+)\"?");

    static Map<String, Map<String, Object>> services;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void read() throws IOException {
        try (Reader r = Files.newBufferedReader(ROOT.resolve("docker-compose.yml"))) {
            Map<String, Object> compose = new Yaml().load(r);
            services = (Map<String, Map<String, Object>>) compose.get("services");
        }
    }

    @Test
    void composeAcceptsTheFile() throws Exception {
        assumeTrue(onPath("docker-compose"), "docker-compose is not installed (.ci/run installs Debian's package)");
        ProcessBuilder pb = new ProcessBuilder("docker-compose", "config", "-q").directory(ROOT.toFile()).redirectErrorStream(true);
        // the values the file requires; placeholders are enough to check the rest
        pb.environment().put("FUNNELFLOW_WRITE_KEYS", "compose-config-check");
        pb.environment().put("FUNNELFLOW_API_TOKENS", "compose-config-check");
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("docker-compose config: " + output).isZero();
    }

    @Test
    void kafkaIsAThreeNodeQuorumOfTheBuildsVersionWithReplicationThree() {
        Map<String, Map<String, Object>> brokers = services.entrySet().stream()
                .filter(e -> String.valueOf(e.getValue().get("image")).startsWith("apache/kafka:"))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
        assertThat(brokers).hasSize(3);
        List<String> voters = new ArrayList<>();
        List<String> bootstrap = new ArrayList<>();
        for (Map.Entry<String, Map<String, Object>> broker : brokers.entrySet()) {
            String name = broker.getKey();
            Map<String, Object> service = broker.getValue();
            Map<String, Object> env = env(service);
            assertThat(service.get("image")).isEqualTo("apache/kafka:" + System.getProperty("funnelflow.kafka.version"));
            assertThat(service.get("hostname")).isEqualTo(name);
            assertThat(env.get("KAFKA_PROCESS_ROLES")).isEqualTo("broker,controller");
            assertThat(env.get("KAFKA_ADVERTISED_LISTENERS")).isEqualTo("PLAINTEXT://" + name + ":9092");
            assertThat(env.get("KAFKA_DEFAULT_REPLICATION_FACTOR")).isEqualTo(3);
            assertThat(env.get("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR")).isEqualTo(3);
            assertThat(env.get("KAFKA_MIN_INSYNC_REPLICAS")).isEqualTo(2);
            assertThat(healthCheck(service)).as(name + " has a health check").isNotEmpty();
            assertThat(volumeTargets(service)).as(name + " keeps its log in a volume").contains(String.valueOf(env.get("KAFKA_LOG_DIRS")));
            voters.add(env.get("KAFKA_NODE_ID") + "@" + name + ":9093");
            bootstrap.add(name + ":9092");
        }
        assertThat(brokers.values().stream().map(s -> env(s).get("KAFKA_NODE_ID")).distinct()).as("node ids").hasSize(3);
        assertThat(brokers.values().stream().map(s -> env(s).get("KAFKA_CONTROLLER_QUORUM_VOTERS")).distinct())
                .as("every node knows the whole quorum").containsExactly(String.join(",", voters));

        // the topics are created once, with the replication the brokers expect, after all of them are healthy
        Map<String, Object> topics = services.get("topics");
        assertThat(list(topics.get("entrypoint"))).containsSequence(
                "io.funnelflow.service.container.CreateTopics", String.join(",", bootstrap), "6", "3");
        assertThat(dependsOn(topics)).containsOnlyKeys(brokers.keySet())
                .allSatisfy((name, condition) -> assertThat(condition).isEqualTo("service_healthy"));
        for (String module : SERVICES) {
            // (every service reads at least the stored tokens from Kafka)
            assertThat(env(services.get(module)).get("FUNNELFLOW_KAFKA_BOOTSTRAP")).as(module + " knows every broker")
                    .isEqualTo(String.join(",", bootstrap));
        }
    }

    @Test
    void eachServiceRunsItsImageWithAHealthCheckAfterWhatItNeeds() {
        String version = System.getProperty("funnelflow.version");
        for (String module : SERVICES) {
            Map<String, Object> service = services.get(module);
            assertThat(service).as(module + " is in the file").isNotNull();
            assertThat(service.get("image")).isEqualTo("funnelflow/" + module + ":" + version);
            int port = publishedPort(service);
            List<String> check = healthCheck(service);
            assertThat(check).as(module + "'s health check").contains("io.funnelflow.service.container.HealthProbe",
                    "http://127.0.0.1:" + port + "/health");

            Map<String, String> dependsOn = dependsOn(service);
            assertThat(dependsOn).as(module + " starts after the topics exist")
                    .containsEntry("topics", "service_completed_successfully");
            assertThat(env(service)).as(module + " is given the admin tokens its routes ask for")
                    .containsKey("FUNNELFLOW_API_TOKENS");
            if (env(service).containsKey("FUNNELFLOW_JDBC_URL")) {
                assertThat(dependsOn).as(module + " starts after PostgreSQL is healthy").containsEntry("postgres", "service_healthy");
            }
            dependsOn.forEach((other, condition) -> {
                assertThat(services).as(module + " depends on a service of the file").containsKey(other);
                if (condition.equals("service_healthy")) {
                    assertThat(healthCheck(services.get(other))).as(other + " has the health check " + module + " waits for").isNotEmpty();
                }
            });
        }
        assertThat(healthCheck(services.get("postgres"))).isNotEmpty();
        assertThat(services.get("postgres").get("image")).isEqualTo("postgres:17");
        // the classes the file runs in the images are there
        for (String main : List.of("HealthProbe", "CreateTopics")) {
            assertThat(ROOT.resolve("service-support/src/main/java/io/funnelflow/service/container/" + main + ".java")).exists();
        }
    }

    @Test
    void everyVariableGivenToAServiceIsOneItReads() throws IOException {
        for (String module : SERVICES) {
            String sources = sources(ROOT.resolve(module).resolve("src/main")) + sources(ROOT.resolve("service-support/src/main"));
            for (String variable : env(services.get(module)).keySet()) {
                if (variable.equals("JAVA_TOOL_OPTIONS")) {
                    continue; // read by the JVM
                }
                assertThat(sources.contains(variable)).as(module + " is given " + variable + ", which it never reads").isTrue();
            }
        }
    }

    @Test
    void theImagesTheBuildMakesAreTheOnesComposeRuns() throws Exception {
        assumeTrue(Boolean.getBoolean("funnelflow.images"), "the images are built with the images profile");
        for (String module : SERVICES) {
            Path tarball = ROOT.resolve(module).resolve("target/jib-image.tar");
            assertThat(tarball).as("the image tarball of " + module).exists();
            JsonNode manifest = Json.mapper().readTree(entry(tarball, "manifest.json")).get(0);
            JsonNode config = Json.mapper().readTree(entry(tarball, manifest.path("Config").asText())).path("config");
            Map<String, Object> service = services.get(module);
            assertThat(manifest.path("RepoTags").get(0).asText()).isEqualTo(service.get("image"));
            assertThat(config.path("ExposedPorts").has(publishedPort(service) + "/tcp")).as(module + " exposes its port").isTrue();
            assertThat(config.path("User").asText()).as(module + " runs as").isEqualTo("10001:10001");
            List<String> env = new ArrayList<>();
            config.path("Env").forEach(e -> env.add(e.asText()));
            assertThat(env).contains("FUNNELFLOW_DATA_DIR=/data");
            List<String> volumes = volumeTargets(service);
            if (!volumes.isEmpty()) {
                assertThat(volumes).as(module + "'s state is where the image keeps it").containsExactly("/data");
            }
        }
    }

    static int publishedPort(Map<String, Object> service) {
        List<String> ports = list(service.get("ports"));
        assertThat(ports).hasSize(1);
        Matcher m = PORT.matcher(ports.get(0));
        assertThat(m.matches()).as(ports.get(0)).isTrue();
        assertThat(m.group(1)).as("published on the port it listens on").isEqualTo(m.group(2));
        return Integer.parseInt(m.group(2));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> env(Map<String, Object> service) {
        Object env = service.get("environment");
        return env == null ? Map.of() : (Map<String, Object>) env;
    }

    @SuppressWarnings("unchecked")
    static List<String> healthCheck(Map<String, Object> service) {
        Object check = service.get("healthcheck");
        return check == null ? List.of() : list(((Map<String, Object>) check).get("test"));
    }

    /** depends_on as service → condition; the short list form (no condition) fails here. */
    @SuppressWarnings("unchecked")
    static Map<String, String> dependsOn(Map<String, Object> service) {
        Object dependsOn = service.get("depends_on");
        assertThat(dependsOn).as("depends_on with conditions").isInstanceOf(Map.class);
        Map<String, String> conditions = new HashMap<>();
        ((Map<String, Map<String, Object>>) dependsOn).forEach((k, v) -> conditions.put(k, String.valueOf(v.get("condition"))));
        return conditions;
    }

    static List<String> volumeTargets(Map<String, Object> service) {
        return list(service.get("volumes")).stream().map(v -> v.split(":")[1]).toList();
    }

    static List<String> list(Object value) {
        if (value == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        ((List<?>) value).forEach(v -> out.add(String.valueOf(v)));
        return out;
    }

    static String sources(Path dir) throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).filter(f -> f.toString().matches(".*\\.(java|yml|properties)$"))
                    .collect(Collectors.toCollection(TreeSet::new))) {
                all.append(Files.readString(f)).append('\n');
            }
        }
        return all.toString();
    }

    /** One file of a tarball (the image's manifest or config). */
    static byte[] entry(Path tarball, String name) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("tar", "-xOf", tarball.toString(), name).start();
        byte[] content = p.getInputStream().readAllBytes();
        assertThat(p.waitFor()).as("tar -xOf " + tarball + " " + name).isZero();
        return content;
    }

    static boolean onPath(String tool) {
        return Stream.of(System.getenv("PATH").split(":")).anyMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, tool)));
    }
}
