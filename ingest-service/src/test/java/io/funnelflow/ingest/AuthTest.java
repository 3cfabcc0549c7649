package io.funnelflow.ingest;

import io.funnelflow.ingest.auth.RateLimiter;
import io.funnelflow.ingest.auth.WriteKeys;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuthTest {

    @Test
    void writeKeysComeFromBasicUserOrBearer() {
        assertThat(WriteKeys.fromAuthorization(IngestServer.basic("k1"))).hasValue("k1");
        assertThat(WriteKeys.fromAuthorization("Bearer k2")).hasValue("k2");
        assertThat(WriteKeys.fromAuthorization("Basic !!!")).isEmpty();
        assertThat(WriteKeys.fromAuthorization(null)).isEmpty();
        WriteKeys keys = new WriteKeys(" k1 , k2,");
        assertThat(keys.first()).isEqualTo("k1");
        assertThat(keys.isValid("k1")).isTrue();
        assertThat(keys.isValid("k2")).isTrue();
        assertThat(keys.isValid("k3")).isFalse();
        assertThat(keys.isValid("")).isFalse();
    }

    @Test
    void noConfiguredKeyIsAStartupError() {
        assertThatThrownBy(() -> new WriteKeys(" ")).hasMessageContaining("FUNNELFLOW_WRITE_KEYS");
    }

    @Test
    void eachKeyHasItsOwnBucketCountedInEvents() {
        RateLimiter limiter = new RateLimiter(10, 100);
        assertThat(limiter.tryAcquire("a", 100)).isEmpty();
        assertThat(limiter.tryAcquire("a", 5)).hasValueSatisfying(wait -> assertThat(wait.toMillis()).isPositive());
        assertThat(limiter.tryAcquire("b", 100)).isEmpty();
    }
}
