package io.funnelflow.contract;

import io.funnelflow.contract.credential.Credential;
import io.funnelflow.contract.credential.Scope;
import io.funnelflow.contract.credential.Secrets;
import io.funnelflow.contract.topic.Topics;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CredentialTest {

    @Test
    void aSecretIsKeptOnlyAsItsHash() {
        String secret = Secrets.newSecret(Credential.Kind.API_TOKEN);
        Credential c = Credential.issue(Credential.Kind.API_TOKEN, Scope.READ, "ci", secret, Instant.parse("2026-11-22T10:00:00Z"));
        byte[] written = Topics.CREDENTIALS.valueSerde().serializer().serialize(Topics.CREDENTIALS.name(), c);
        String json = new String(written, StandardCharsets.UTF_8);
        assertThat(json).doesNotContain(secret).contains("\"secret_sha256\":\"" + Secrets.sha256(secret) + "\"", "\"scope\":\"READ\"");
        assertThat(Topics.CREDENTIALS.valueSerde().deserializer().deserialize(Topics.CREDENTIALS.name(), written)).isEqualTo(c);
    }

    @Test
    void secretsAre256RandomBitsWithARecognisablePrefix() {
        String token = Secrets.newSecret(Credential.Kind.API_TOKEN);
        assertThat(token).startsWith("ff_at_").hasSize(6 + 43);
        assertThat(Secrets.newSecret(Credential.Kind.WRITE_KEY)).startsWith("ff_wk_");
        assertThat(Secrets.newSecret(Credential.Kind.API_TOKEN)).isNotEqualTo(token);
    }

    @Test
    void theIdIsStableAndRevealsOnlyAPrefixOfTheHash() {
        // SHA-256("abc"), FIPS 180-2 test vector
        assertThat(Secrets.sha256("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        Credential a = Credential.issue(Credential.Kind.API_TOKEN, Scope.ADMIN, null, "abc", Instant.EPOCH);
        assertThat(a.id()).isEqualTo("tok_ba7816bf8f01");
        assertThat(Credential.issue(Credential.Kind.WRITE_KEY, null, null, "abc", Instant.EPOCH).id()).isEqualTo("key_ba7816bf8f01");
    }

    @Test
    void adminImpliesReadAndScopesParse() {
        assertThat(Scope.ADMIN.roles()).containsExactly("read", "admin");
        assertThat(Scope.READ.roles()).containsExactly("read");
        assertThat(Scope.parse(" Admin ")).isEqualTo(Scope.ADMIN);
        assertThatThrownBy(() -> Scope.parse("write")).hasMessageContaining("read or admin");
    }

    @Test
    void aRevocationKeepsTheRecordAndTheTimeOfTheFirstRevocation() {
        Credential c = Credential.issue(Credential.Kind.WRITE_KEY, null, "shop", "k", Instant.EPOCH);
        Credential revoked = c.revoke(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(revoked.revoked()).isTrue();
        assertThat(revoked.id()).isEqualTo(c.id());
        assertThat(revoked.revoke(Instant.parse("2027-01-01T00:00:00Z")).revokedAt()).isEqualTo(revoked.revokedAt());
        assertThatThrownBy(() -> new Credential("x", Credential.Kind.API_TOKEN, null, null, "h", Instant.EPOCH, null))
                .hasMessageContaining("scope");
    }
}
