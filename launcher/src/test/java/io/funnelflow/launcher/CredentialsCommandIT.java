package io.funnelflow.launcher;

import io.funnelflow.contract.credential.Credential;
import io.funnelflow.contract.credential.Scope;
import io.funnelflow.contract.credential.Secrets;
import io.funnelflow.contract.topic.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code funnelflow tokens|keys}: against a real broker, what is created is listed without its secret and can be revoked. */
class CredentialsCommandIT {

    static LocalKafka kafka;

    record Run(int exit, String out, String err) {
    }

    @BeforeAll
    static void start() throws Exception {
        kafka = LocalKafka.onFreePorts(Files.createTempDirectory("credentials-command-it"));
        kafka.start();
        kafka.createTopics(Topics.DEFAULT_PARTITIONS);
    }

    @AfterAll
    static void stop() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
    }

    static Run run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(args),
                    java.util.stream.Stream.of("--bootstrap", kafka.bootstrapServers())).toArray(String[]::new);
            int exit = new CommandLine(new FunnelFlowCommand()).execute(all);
            return new Run(exit, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void theCredentialsTopicIsCompactedWithOnePartition() throws Exception {
        try (Admin admin = kafka.admin()) {
            assertThat(admin.describeTopics(List.of(Topics.CREDENTIALS.name())).allTopicNames().get(10, TimeUnit.SECONDS)
                    .get(Topics.CREDENTIALS.name()).partitions()).hasSize(1);
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, Topics.CREDENTIALS.name());
            assertThat(admin.describeConfigs(List.of(topic)).all().get(10, TimeUnit.SECONDS).get(topic)
                    .get("cleanup.policy").value()).isEqualTo("compact");
        }
    }

    @Test
    void aTokenIsPrintedOnceListedWithoutItsSecretAndRevoked() {
        Run created = run("tokens", "create", "--scope", "read", "--label", "wall screen");
        assertThat(created.exit()).as(created.err()).isZero();
        String token = created.out().trim();
        assertThat(token).startsWith(Secrets.TOKEN_PREFIX).doesNotContain("\n");
        String id = Credential.issue(Credential.Kind.API_TOKEN, Scope.READ, null, token, java.time.Instant.EPOCH).id();
        assertThat(created.err()).contains(id, "scope read", "wall screen");

        Run listed = run("tokens", "list");
        assertThat(listed.exit()).isZero();
        assertThat(listed.out()).contains(id, "read", "wall screen").doesNotContain(token).doesNotContain(Secrets.sha256(token));
        assertThat(listed.out().lines().filter(l -> l.startsWith(id)).findFirst().orElseThrow()).contains(" - ");

        Run revoked = run("tokens", "revoke", id);
        assertThat(revoked.exit()).as(revoked.err()).isZero();
        assertThat(run("tokens", "list").out().lines().filter(l -> l.startsWith(id)).findFirst().orElseThrow())
                .doesNotContain(" - ");
        assertThat(run("tokens", "revoke", id).err()).contains("already revoked");
        // a write key is not a token
        assertThat(run("keys", "revoke", id).exit()).isEqualTo(2);
    }

    @Test
    void writeKeysHaveNoScopeAndBadInputIsRefusedWithTheReason() {
        Run created = run("keys", "create", "--label", "shop.example");
        assertThat(created.exit()).as(created.err()).isZero();
        assertThat(created.out().trim()).startsWith(Secrets.WRITE_KEY_PREFIX);
        assertThat(run("keys", "list").out()).contains("shop.example").doesNotContain(created.out().trim());

        Run badScope = run("tokens", "create", "--scope", "write");
        assertThat(badScope.exit()).isEqualTo(2);
        assertThat(badScope.err()).contains("scope must be read or admin");
        assertThat(run("tokens", "create", "--scope", "read", "--label", "x".repeat(101)).err()).contains("at most 100");
        assertThat(run("tokens", "revoke", "tok_000000000000").err()).contains("no stored token tok_000000000000");
    }
}
