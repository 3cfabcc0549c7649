package io.funnelflow.service.limit;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ClientAddressTest {

    @Test
    void withoutTrustedProxiesTheHeaderIsIgnored() {
        ClientAddress address = new ClientAddress("");
        assertThat(address.resolve("203.0.113.7", List.of("198.51.100.1"))).isEqualTo("203.0.113.7");
    }

    @Test
    void behindTrustedProxiesTheClientIsTheRightMostUntrustedHop() {
        ClientAddress address = new ClientAddress("10.0.0.1, 10.0.0.2");
        // client wrote 192.0.2.99 itself; the outer proxy saw 203.0.113.7 and the inner one 10.0.0.1
        assertThat(address.resolve("10.0.0.2", List.of("192.0.2.99, 203.0.113.7", "10.0.0.1"))).isEqualTo("203.0.113.7");
        // only trusted proxies in the header: the peer
        assertThat(address.resolve("10.0.0.2", List.of("10.0.0.1"))).isEqualTo("10.0.0.2");
        // a peer that is not a proxy cannot name another client
        assertThat(address.resolve("203.0.113.9", List.of("198.51.100.1"))).isEqualTo("203.0.113.9");
    }

    @Test
    void aKeyedLimitCountsEachKeyOnItsOwn() {
        KeyedRateLimit limit = new KeyedRateLimit(1, 2, Duration.ofMinutes(1), 10);
        assertThat(limit.tryAcquire("a", 1)).isEmpty();
        assertThat(limit.tryAcquire("a", 1)).isEmpty();
        assertThat(limit.tryAcquire("a", 1)).hasValueSatisfying(wait -> assertThat(wait).isPositive());
        assertThat(limit.tryAcquire("b", 2)).isEmpty();
        assertThat(KeyedRateLimit.seconds(Duration.ofMillis(1))).isEqualTo(1);
        assertThat(KeyedRateLimit.seconds(Duration.ofMillis(2001))).isEqualTo(3);
    }
}
