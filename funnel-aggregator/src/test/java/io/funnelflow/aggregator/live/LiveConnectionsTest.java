package io.funnelflow.aggregator.live;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LiveConnectionsTest {

    @Test
    void aTokenHoldsAtMostItsCapAndAClosedStreamFreesItsPlace() {
        LiveConnections connections = new LiveConnections(2, 10);
        LiveConnections.Attempt first = connections.open("tok-a");
        LiveConnections.Attempt second = connections.open("tok-a");
        LiveConnections.Attempt third = connections.open("tok-a");

        assertThat(first.granted()).isTrue();
        assertThat(second.granted()).isTrue();
        assertThat(third.granted()).isFalse();
        assertThat(third.refusal()).contains("2 live streams", "FUNNELFLOW_SSE_MAX_PER_TOKEN");
        // another token is not held back by this one
        assertThat(connections.open("tok-b").granted()).isTrue();

        first.lease().close();
        first.lease().close(); // twice gives back once
        assertThat(connections.open("tok-a").granted()).isTrue();
        assertThat(connections.open("tok-a").granted()).isFalse();
        assertThat(connections.openBy("tok-a")).isEqualTo(2);
    }

    @Test
    void everyoneTogetherHoldsAtMostTheTotal() {
        LiveConnections connections = new LiveConnections(5, 3);
        LiveConnections.Attempt a = connections.open("a");
        connections.open("b");
        connections.open("c");

        LiveConnections.Attempt refused = connections.open("d");
        assertThat(refused.granted()).isFalse();
        assertThat(refused.refusal()).contains("3 streams", "FUNNELFLOW_SSE_MAX_CONNECTIONS");
        assertThat(connections.open()).isEqualTo(3);

        a.lease().close();
        assertThat(connections.open()).isEqualTo(2);
        assertThat(connections.open("d").granted()).isTrue();
    }
}
