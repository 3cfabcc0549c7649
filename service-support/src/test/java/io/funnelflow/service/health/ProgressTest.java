package io.funnelflow.service.health;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressTest {

    static final TopicPartition P0 = new TopicPartition("in", 0);
    static final TopicPartition P1 = new TopicPartition("in", 1);
    static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

    final Progress progress = new Progress(Duration.ofSeconds(30));

    Progress.Status at(int seconds, long committed0, long end0, long committed1, long end1) {
        return progress.observe(Map.of(P0, committed0, P1, committed1), Map.of(P0, end0, P1, end1), T0.plusSeconds(seconds));
    }

    @Test
    void aConsumerStuckWithInputWaitingIsStalledOnceTheBoundHasPassed() {
        assertThat(at(0, 100, 100, 7, 7).isStalled()).isFalse();
        // a record arrives in partition 0 and is never committed past
        assertThat(at(10, 100, 101, 7, 7).isStalled()).isFalse();
        assertThat(at(39, 100, 101, 7, 7).isStalled()).isFalse();
        Progress.Status stalled = at(40, 100, 101, 7, 7);
        assertThat(stalled.isStalled()).as("one record waiting for the bound").isTrue();
        assertThat(stalled.stalled()).isEqualTo(1);
        assertThat(stalled.lag()).isEqualTo(1);
        assertThat(stalled.waitingSince()).isEqualTo(T0.plusSeconds(10));
        assertThat(at(50, 100, 200, 7, 7).lag()).isEqualTo(100);
    }

    @Test
    void aConsumerThatIsBehindButMovingIsNotStalled() {
        for (int t = 0; t <= 300; t += 10) {
            assertThat(at(t, 1000L * t, 1000L * t + 50_000, 0, 0).isStalled()).as("at %d s", t).isFalse();
        }
    }

    @Test
    void catchingUpEndsTheStall() {
        at(0, 0, 10, 0, 0);
        assertThat(at(31, 0, 10, 0, 0).isStalled()).isTrue();
        assertThat(at(32, 10, 10, 0, 0).isStalled()).isFalse();
        assertThat(at(33, 10, 11, 0, 0).isStalled()).isFalse();
        assertThat(at(63, 10, 11, 0, 0).isStalled()).isTrue();
    }

    @Test
    void anIdleConsumerIsNeverStalled() {
        for (int t = 0; t <= 600; t += 60) {
            assertThat(at(t, 6, 6, 9, 9).isStalled()).isFalse();
        }
    }

    @Test
    void movingOnAgainRestartsTheClock() {
        at(0, 0, 100, 0, 0);
        at(25, 50, 100, 0, 0);
        assertThat(at(50, 50, 100, 0, 0).isStalled()).isFalse();
        assertThat(at(55, 50, 100, 0, 0).isStalled()).isTrue();
    }
}
