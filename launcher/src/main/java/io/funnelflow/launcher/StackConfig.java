package io.funnelflow.launcher;

import java.io.IOException;
import java.net.URISyntaxException;
import io.funnelflow.contract.credential.Credential;
import io.funnelflow.contract.credential.Secrets;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

/**
 * Where and on which ports the local stack runs, from {@code FUNNELFLOW_*} environment variables with
 * defaults that work on a fresh clone.
 */
public record StackConfig(
        Path home,
        Path dataDir,
        int kafkaPort,
        int kafkaControllerPort,
        int postgresPort,
        Map<Service, Integer> servicePorts,
        String serviceHeap,
        String kafkaHeap) {

    /** The services of the platform, each a runnable module with a {@code /health} endpoint. */
    public enum Service {
        INGEST("ingest-service", "FUNNELFLOW_INGEST_PORT", 8080),
        AGGREGATOR("funnel-aggregator", "FUNNELFLOW_AGGREGATOR_PORT", 8081),
        PREDICTION("prediction-service", "FUNNELFLOW_PREDICTION_PORT", 8082),
        INSIGHTS("insights-service", "FUNNELFLOW_INSIGHTS_PORT", 8083),
        CRM("crm-service", "FUNNELFLOW_CRM_PORT", 8084);

        private final String module;
        private final String portVariable;
        private final int defaultPort;

        Service(String module, String portVariable, int defaultPort) {
            this.module = module;
            this.portVariable = portVariable;
            this.defaultPort = defaultPort;
        }

        public String module() {
            return module;
        }

        public String portVariable() {
            return portVariable;
        }

        /** {@code FUNNELFLOW_INGEST_URL} and so on: how the other services find this one. */
        public String urlVariable() {
            return portVariable.replace("_PORT", "_URL");
        }
    }

    public static StackConfig fromEnvironment(Map<String, String> env) {
        Path home = Path.of(env.getOrDefault("FUNNELFLOW_HOME", defaultHome().toString())).toAbsolutePath().normalize();
        Path data = Path.of(env.getOrDefault("FUNNELFLOW_DATA_DIR", home.resolve(".funnelflow").toString())).toAbsolutePath();
        Map<Service, Integer> ports = new java.util.EnumMap<>(Service.class);
        for (Service s : Service.values()) {
            ports.put(s, port(env, s.portVariable, s.defaultPort));
        }
        return new StackConfig(home, data,
                port(env, "FUNNELFLOW_KAFKA_PORT", 9092),
                port(env, "FUNNELFLOW_KAFKA_CONTROLLER_PORT", 9093),
                port(env, "FUNNELFLOW_PG_PORT", 5433),
                Map.copyOf(ports),
                env.getOrDefault("FUNNELFLOW_SERVICE_HEAP", "256m"),
                env.getOrDefault("FUNNELFLOW_KAFKA_HEAP", "768m"));
    }

    public String serviceUrl(Service s) {
        return "http://127.0.0.1:" + servicePorts.get(s);
    }

    public Path serviceJar(Service s) {
        return home.resolve(s.module()).resolve("target").resolve(s.module() + ".jar");
    }

    /**
     * The development write key: {@code FUNNELFLOW_WRITE_KEYS} when set, else a random key made once
     * for this data directory and kept in it.
     */
    public String writeKeys(Map<String, String> env) throws IOException {
        String configured = env.get("FUNNELFLOW_WRITE_KEYS");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        Path file = dataDir.resolve("dev-write-key");
        if (Files.exists(file)) {
            return Files.readString(file).trim();
        }
        byte[] random = new byte[12];
        new SecureRandom().nextBytes(random);
        String key = "ff_dev_" + HexFormat.of().formatHex(random);
        Files.createDirectories(dataDir);
        Files.writeString(file, key + "\n");
        return key;
    }

    /** Where the admin token made for this data directory is kept (owner-only). */
    public Path adminTokenFile() {
        return dataDir.resolve("admin-token");
    }

    /** The Kafka bootstrap the local stack's broker answers on. */
    public String kafkaBootstrap() {
        return "127.0.0.1:" + kafkaPort;
    }

    /**
     * The admin tokens: {@code FUNNELFLOW_API_TOKENS} when set, else one made once for this data
     * directory and kept in {@link #adminTokenFile()}, readable by its owner only.
     */
    public String apiTokens(Map<String, String> env) throws IOException {
        String configured = env.get("FUNNELFLOW_API_TOKENS");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        return ownerOnlySecret(adminTokenFile(), () -> Secrets.newSecret(Credential.Kind.API_TOKEN));
    }

    /**
     * The secret that signs dashboard sessions: {@code FUNNELFLOW_SESSION_SECRET} when set, else one made
     * once for this data directory ({@code session-secret}, owner-only), so that every aggregator of the
     * stack accepts the same sessions and a restart keeps them.
     */
    public String sessionSecret(Map<String, String> env) throws IOException {
        String configured = env.get("FUNNELFLOW_SESSION_SECRET");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        return ownerOnlySecret(dataDir.resolve("session-secret"), () -> {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        });
    }

    /** The secret in {@code file}, made (0600, atomically: a second launcher reads the first one's) when missing. */
    private String ownerOnlySecret(Path file, java.util.function.Supplier<String> make) throws IOException {
        if (!Files.exists(file)) {
            Files.createDirectories(dataDir);
            Path tmp = Files.createTempFile(dataDir, ".secret", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try {
                Files.writeString(tmp, make.get() + "\n");
                Files.createLink(file, tmp);
            } catch (FileAlreadyExistsException someoneElse) {
                // made at the same moment by another launcher: use theirs
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        return Files.readString(file).trim();
    }

    private static int port(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int port = Integer.parseInt(value.trim());
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a port number (1-65535), not '" + value + "'");
        }
    }

    /** The checkout: the launcher jar lives in {@code <home>/launcher/target/}. */
    private static Path defaultHome() {
        try {
            Path location = Path.of(StackConfig.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path target = location.getParent();
            if (target != null && target.getFileName() != null && target.getFileName().toString().equals("target")
                    && target.getParent() != null && target.getParent().getParent() != null) {
                return target.getParent().getParent();
            }
        } catch (URISyntaxException | SecurityException e) {
            // fall through to the working directory
        }
        return Path.of("").toAbsolutePath();
    }
}
