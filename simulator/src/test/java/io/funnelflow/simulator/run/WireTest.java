package io.funnelflow.simulator.run;

import io.funnelflow.contract.event.TrackedEvent;
import io.funnelflow.simulator.JourneyGeneratorTest;
import io.funnelflow.simulator.SimulationConfig;
import io.funnelflow.simulator.journey.SimEvent;
import io.funnelflow.simulator.journey.SimSession;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class WireTest {

    static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");

    @Test
    void aWrongClockIsWrongAlikeInTimestampAndSentAtSoTheServerRecoversTheTrueTime() {
        SimSession s = JourneyGeneratorTest.sessions(SimulationConfig.defaults(), 4, 1).get(0);
        Wire wire = new Wire(new SimulationConfig.Realism(1, 0, 0, 0), 4);
        Wire.Prepared p = wire.prepare(s, new SplittableRandom(1));
        Duration skew = wire.skew(s.anonymousId());
        assertThat(skew.abs()).isBetween(Duration.ofMinutes(1), Duration.ofHours(2));
        Map<String, Instant> truth = s.events().stream().collect(Collectors.toMap(SimEvent::eventId, SimEvent::time));
        for (Wire.Outgoing o : p.events()) {
            TrackedEvent sent = o.at(NOW);
            assertThat(sent.timestamp()).isEqualTo(truth.get(sent.eventId()).plus(skew));
            // the server receives it at NOW (its own clock): the corrected time is the true time
            assertThat(TrackedEvent.correctedTime(sent.timestamp(), sent.sentAt(), NOW)).isEqualTo(truth.get(sent.eventId()));
        }
    }

    @Test
    void brokenEventsAreExtraAndShuffledVisitsKeepEveryEvent() {
        Wire wire = new Wire(new SimulationConfig.Realism(0, 0, 1, 1), 4);
        for (SimSession s : JourneyGeneratorTest.sessions(SimulationConfig.defaults(), 8, 200)) {
            Wire.Prepared p = wire.prepare(s, new SplittableRandom(s.sessionId().hashCode()));
            assertThat(p.events()).extracting(o -> o.event().eventId())
                    .containsExactlyInAnyOrderElementsOf(s.events().stream().map(SimEvent::eventId).toList());
            assertThat(p.malformed()).isNotNull();
            assertThat(s.events().stream().map(SimEvent::eventId).toList()).doesNotContain(p.malformed().event().eventId());
        }
        List<SimSession> many = JourneyGeneratorTest.sessions(SimulationConfig.defaults(), 8, 200);
        long shuffledVisits = many.stream().filter(s -> s.events().size() > 2).filter(s -> {
            List<String> sent = wire.prepare(s, new SplittableRandom(9)).events().stream().map(o -> o.event().eventId()).toList();
            return !sent.equals(s.events().stream().map(SimEvent::eventId).toList());
        }).count();
        assertThat(shuffledVisits).isPositive();
    }
}
