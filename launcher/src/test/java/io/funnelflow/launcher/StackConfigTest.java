package io.funnelflow.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class StackConfigTest {

    @TempDir
    Path dir;

    @Test
    void theAdminTokenIsMadeOncePerDataDirectoryReadableByItsOwnerOnly() throws Exception {
        Map<String, String> env = Map.of("FUNNELFLOW_DATA_DIR", dir.toString());
        StackConfig config = StackConfig.fromEnvironment(env);
        String token = config.apiTokens(env);
        assertThat(token).startsWith("ff_at_").hasSize(49);
        assertThat(config.apiTokens(env)).isEqualTo(token);
        assertThat(Files.readString(config.adminTokenFile()).trim()).isEqualTo(token);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config.adminTokenFile()))).isEqualTo("rw-------");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("admin-token");
        }
    }

    @Test
    void configuredTokensAndSecretsWinAndNothingIsWritten() throws Exception {
        Map<String, String> env = Map.of("FUNNELFLOW_DATA_DIR", dir.toString(), "FUNNELFLOW_API_TOKENS", "t1,t2",
                "FUNNELFLOW_SESSION_SECRET", "s".repeat(40));
        StackConfig config = StackConfig.fromEnvironment(env);
        assertThat(config.apiTokens(env)).isEqualTo("t1,t2");
        assertThat(config.sessionSecret(env)).isEqualTo("s".repeat(40));
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void theSessionSecretIsKeptLikeTheToken() throws Exception {
        Map<String, String> env = Map.of("FUNNELFLOW_DATA_DIR", dir.toString());
        StackConfig config = StackConfig.fromEnvironment(env);
        String secret = config.sessionSecret(env);
        assertThat(secret).hasSizeGreaterThanOrEqualTo(32).isEqualTo(config.sessionSecret(env));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("session-secret")))).isEqualTo("rw-------");
    }
}
