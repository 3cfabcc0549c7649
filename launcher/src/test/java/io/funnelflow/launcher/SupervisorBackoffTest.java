package io.funnelflow.launcher;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class SupervisorBackoffTest {

    @Test
    void theWaitDoublesUpToItsCapAndStartsOverAfterAStableRun() {
        Supervisor.Backoff backoff = new Supervisor.Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60));
        assertThat(backoff.next()).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.next()).isEqualTo(Duration.ofSeconds(2));
        assertThat(backoff.next()).isEqualTo(Duration.ofSeconds(4));
        for (int i = 0; i < 10; i++) {
            backoff.next();
        }
        assertThat(backoff.next()).isEqualTo(Duration.ofSeconds(60));
        backoff.reset();
        assertThat(backoff.next()).isEqualTo(Duration.ofSeconds(1));
    }
}
