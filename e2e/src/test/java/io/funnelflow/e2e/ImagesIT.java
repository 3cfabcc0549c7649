package io.funnelflow.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.funnelflow.contract.json.Json;
import io.funnelflow.launcher.Ports;
import io.funnelflow.testing.SharedKafka;
import io.funnelflow.testing.SharedPostgres;
import io.funnelflow.testing.TestAccess;
import io.funnelflow.testing.metrics.Scrape;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.Reader;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The services' images (built with {@code -Pimages}) run as a container runtime runs them, on a machine
 * without Docker: each image tarball is unpacked layer by layer into a root file system, and its
 * entrypoint, environment and working directory — from the image's own config — are started there, in new
 * user, mount and PID namespaces with their own {@code /proc} ({@code unshare}, {@code chroot}). Nothing of
 * this machine is visible inside but its network (as with {@code --network host}), so each service reaches
 * the shared test broker and PostgreSQL. The health check is the one docker-compose.yml runs, inside the
 * same root; then the API document and the metrics answer. (The process is root of its own user namespace
 * here, not the image's user 10001: that mapping needs privileges a test should not have.)
 */
@EnabledIfSystemProperty(named = "funnelflow.images", matches = "true")
class ImagesIT {

    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final List<String> MODULES = List.of("ingest-service", "funnel-aggregator", "prediction-service", "insights-service");

    @TempDir
    Path dir;

    @BeforeAll
    static void userNamespaces() throws Exception {
        Process probe = new ProcessBuilder("unshare", "-r", "-m", "-p", "-f", "true").redirectErrorStream(true).start();
        assumeTrue(probe.waitFor(10, TimeUnit.SECONDS) && probe.exitValue() == 0,
                "running the images without Docker needs unprivileged user namespaces (unshare -r)");
    }

    @Test
    @SuppressWarnings("unchecked")
    void composesTopicStepRunsInTheAggregatorImage() throws Exception {
        Map<String, Object> topics;
        try (Reader r = Files.newBufferedReader(Path.of("..", "docker-compose.yml"))) {
            topics = ((Map<String, Map<String, Object>>) new Yaml().<Map<String, Object>>load(r).get("services")).get("topics");
        }
        ContainerImage image = ContainerImage.unpack(Path.of("..", "funnel-aggregator", "target", "jib-image.tar"), dir.resolve("topics"));
        assertThat(topics.get("image")).isEqualTo("funnelflow/funnel-aggregator:" + System.getProperty("funnelflow.version"));
        // the file's entrypoint as written, on the test broker (one node: replication 1)
        List<String> entrypoint = new ArrayList<>((List<String>) topics.get("entrypoint"));
        assertThat(entrypoint).hasSize(7);
        entrypoint.subList(4, 7).clear();
        entrypoint.addAll(List.of(SharedKafka.bootstrapServers(), "6", "1"));
        assertThat(image.exec(entrypoint, Map.of())).as(String.join(" ", entrypoint)).isZero();
    }

    @Test
    void eachServiceImageStartsHealthyAndAnswersItsDocumentAndMetrics() throws Exception {
        String jdbcUrl = SharedPostgres.newDatabase("e2e_images");
        Map<String, String> common = new HashMap<>(Map.of(
                "FUNNELFLOW_KAFKA_BOOTSTRAP", SharedKafka.bootstrapServers(),
                "FUNNELFLOW_JDBC_URL", jdbcUrl,
                "FUNNELFLOW_JDBC_USER", SharedPostgres.user(),
                "FUNNELFLOW_JDBC_PASSWORD", SharedPostgres.password(),
                "JAVA_TOOL_OPTIONS", "-Xmx256m",
                "FUNNELFLOW_WRITE_KEYS", "images-it-key",
                "FUNNELFLOW_AGGREGATOR_URL", "http://127.0.0.1:" + Ports.free(),
                // their own consumer groups on the shared broker
                "FUNNELFLOW_AGGREGATOR_APPLICATION_ID", "images-it",
                "FUNNELFLOW_PREDICTION_GROUP_ID", "images-it-prediction"));
        common.putAll(TestAccess.environment());
        Map<String, String> portVariables = Map.of("ingest-service", "FUNNELFLOW_INGEST_PORT",
                "funnel-aggregator", "FUNNELFLOW_AGGREGATOR_PORT", "prediction-service", "FUNNELFLOW_PREDICTION_PORT",
                "insights-service", "FUNNELFLOW_INSIGHTS_PORT");
        // all four at once, as compose starts them; each is checked on its own
        Map<String, ContainerImage.Running> running = new LinkedHashMap<>();
        Map<String, Integer> ports = new HashMap<>();
        Map<String, ContainerImage> images = new HashMap<>();
        try {
            for (String module : MODULES) {
                int port = Ports.free();
                Map<String, String> env = new HashMap<>(common);
                env.put(portVariables.get(module), String.valueOf(port));
                ContainerImage image = ContainerImage.unpack(Path.of("..", module, "target", "jib-image.tar"), dir.resolve(module));
                assertThat(image.config().path("User").asText()).as(module + " runs as").isEqualTo("10001:10001");
                assertThat(image.config().path("ExposedPorts").has(defaultPort(module) + "/tcp")).as(module + " exposes its port").isTrue();
                ports.put(module, port);
                images.put(module, image);
                running.put(module, image.run(env, Path.of("target", "it-logs", module + "-image.log")));
            }
            for (String module : MODULES) {
                String base = "http://127.0.0.1:" + ports.get(module);
                ContainerImage.Running service = running.get(module);
                // docker-compose.yml's health check, run in the image
                List<String> healthCheck = List.of("java", "-Xmx16m", "-XX:TieredStopAtLevel=1", "-cp", "/app/libs/*",
                        "io.funnelflow.service.container.HealthProbe", base + "/health");
                await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1))
                        .until(() -> !service.alive() || images.get(module).exec(healthCheck, Map.of()) == 0);
                assertThat(service.alive()).as(module + " is running; see target/it-logs/" + module + "-image.log").isTrue();

                HttpResponse<String> document = get(base + "/docs/openapi.json");
                assertThat(document.statusCode()).isEqualTo(200);
                assertThat(Json.mapper().readTree(document.body()).path("info").path("title").asText()).endsWith(module);
                assertThat(Scrape.of(base).value("jvm_threads_live_threads", "service", module)).isPositive();
            }
        } finally {
            for (ContainerImage.Running service : running.values()) {
                service.close();
            }
        }
    }

    static int defaultPort(String module) {
        return switch (module) {
            case "ingest-service" -> 8080;
            case "funnel-aggregator" -> 8081;
            case "prediction-service" -> 8082;
            default -> 8083;
        };
    }

    static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return HTTP.send(TestAccess.request(url).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** An image tarball in `docker save` format, unpacked into a root file system. */
    record ContainerImage(Path root, JsonNode config) {

        static ContainerImage unpack(Path tarball, Path into) throws IOException, InterruptedException {
            assertThat(tarball).as("the image tarball (mvn -Pimages package)").exists();
            Path layers = Files.createDirectories(into.resolve("image"));
            Path root = Files.createDirectories(into.resolve("root"));
            run(List.of("tar", "-xf", tarball.toAbsolutePath().toString(), "-C", layers.toString()));
            JsonNode manifest = Json.mapper().readTree(layers.resolve("manifest.json").toFile()).get(0);
            for (JsonNode layer : manifest.path("Layers")) {
                String file = layers.resolve(layer.asText()).toString();
                run(List.of("tar", file.endsWith(".gz") ? "-xzf" : "-xf", file, "-C", root.toString()));
            }
            JsonNode config = Json.mapper().readTree(layers.resolve(manifest.path("Config").asText()).toFile()).path("config");
            // what a runtime provides: a /proc to mount, and the host's name resolution
            Files.createDirectories(root.resolve("proc"));
            Files.copy(Path.of("/etc/hosts"), root.resolve("etc/hosts"));
            return new ContainerImage(root, config);
        }

        /** The image's entrypoint with the image's environment and {@code env}. */
        Running run(Map<String, String> env, Path log) throws IOException {
            List<String> entrypoint = new ArrayList<>();
            config.path("Entrypoint").forEach(a -> entrypoint.add(a.asText()));
            config.path("Cmd").forEach(a -> entrypoint.add(a.asText()));
            Files.createDirectories(log.getParent());
            Process p = process(entrypoint, env).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            return new Running(p);
        }

        /** Runs a command in the image and waits for it: its exit code. */
        int exec(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
            Process p = process(command, env).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        }

        private ProcessBuilder process(List<String> command, Map<String, String> env) {
            // the host's tools by their full path: the environment below is the image's, not this machine's
            List<String> argv = new ArrayList<>(List.of(onHostPath("unshare"), "-r", "-m", "-p", "-f", "--kill-child",
                    "--mount-proc=" + root.resolve("proc"), onHostPath("chroot"), root.toString()));
            argv.add(resolve(command.get(0)));
            argv.addAll(command.subList(1, command.size()));
            ProcessBuilder pb = new ProcessBuilder(argv).directory(root.toFile());
            pb.environment().clear();
            config.path("Env").forEach(e -> {
                String[] kv = e.asText().split("=", 2);
                pb.environment().put(kv[0], kv[1]);
            });
            pb.environment().putAll(env);
            return pb;
        }

        /** What a runtime does with a bare command name: look it up on the image's PATH, in the image. */
        private String resolve(String executable) {
            if (executable.contains("/")) {
                return executable;
            }
            String path = "/usr/bin";
            for (JsonNode e : config.path("Env")) {
                if (e.asText().startsWith("PATH=")) {
                    path = e.asText().substring("PATH=".length());
                }
            }
            for (String d : path.split(":")) {
                if (Files.isExecutable(root.resolve(d.substring(1)).resolve(executable))) {
                    return d + "/" + executable;
                }
            }
            throw new AssertionError(executable + " is not on the image's PATH " + path);
        }

        private static String onHostPath(String tool) {
            for (String d : (System.getenv("PATH") + ":/usr/sbin:/sbin").split(":")) {
                if (!d.isEmpty() && Files.isExecutable(Path.of(d, tool))) {
                    return Path.of(d, tool).toString();
                }
            }
            throw new AssertionError(tool + " is not installed");
        }

        private static void run(List<String> command) throws IOException, InterruptedException {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes());
            assertThat(p.waitFor()).as(String.join(" ", command) + ": " + output).isZero();
        }

        /** A started entrypoint; closing it stops it as a runtime would (SIGTERM, then SIGKILL). */
        record Running(Process process) implements AutoCloseable {

            boolean alive() {
                return process.isAlive();
            }

            /** SIGTERM to the entrypoint (unshare itself ignores it while its child runs), SIGKILL after 30 s. */
            @Override
            public void close() throws InterruptedException {
                process.descendants().forEach(ProcessHandle::destroy);
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly().waitFor();
                }
            }
        }
    }
}
