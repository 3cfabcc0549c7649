package io.funnelflow.aggregator.funnel;

import io.funnelflow.contract.funnel.FunnelDefinition;
import org.junit.jupiter.api.Test;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

/**
 * The incremental matcher against the reference: for generated sessions (repeated steps, steps out of
 * order, events outside the funnel, many events in the same millisecond), every mode's depth, step
 * times, step-event counts and step durations equal what {@link FunnelEvaluator} computes from the
 * whole list — also when the progress is written to bytes and read back midway.
 */
class FunnelProgressTest {

    static final List<String> STEPS = List.of("a", "b", "c", "d");
    static final FunnelDefinition FUNNEL = new FunnelDefinition("f", STEPS);

    record Event(String type, long time) {
    }

    /** Sessions of up to 40 events: many in the same millisecond, steps repeated, skipped and out of order. */
    static Gen<List<Event>> sessions() {
        Gen<String> type = arbitrary().pick("a", "b", "c", "d", "x", "y");
        Gen<Long> gap = Generate.frequency(Pair.of(3, Generate.constant(0L)), Pair.of(5, longs().between(1, 5)),
                Pair.of(1, longs().between(100, 100_000)));
        return lists().of(type.zip(gap, Event::new)).ofSizeBetween(0, 40).map(FunnelProgressTest::accumulate);
    }

    /** The seed is fixed so the suite is deterministic; -Dproperty.seed=n explores others. */
    static final long SEED = Long.getLong("property.seed", 20261201L);

    private static List<Event> accumulate(List<Event> gaps) {
        List<Event> out = new ArrayList<>();
        long t = 1_000_000;
        for (Event e : gaps) {
            t += e.time();
            out.add(new Event(e.type(), t));
        }
        return out;
    }

    @Test
    void everyModeMatchesTheEvaluator() {
        qt().withFixedSeed(SEED).withExamples(3000).forAll(sessions()).checkAssert(FunnelProgressTest::matches);
    }

    static void matches(List<Event> session) {
        FunnelSession reference = new FunnelSession(null, session.stream().map(Event::type).toList(),
                session.stream().mapToLong(Event::time).toArray());
        for (FunnelMode mode : FunnelMode.values()) {
            FunnelProgress progress = new FunnelProgress(STEPS, mode);
            for (int i = 0; i < session.size(); i++) {
                if (i == session.size() / 2) {
                    progress = roundTrip(progress, mode);
                }
                progress.add(session.get(i).type(), session.get(i).time());
            }
            SessionFunnel expected = FunnelEvaluator.match(FUNNEL, mode, reference);
            assertThat(progress.reached()).as(mode + " match of " + session).isEqualTo(expected);
            assertThat(progress.stepEvents()).as(mode + " step events of " + session)
                    .containsExactly(referenceStepEvents(mode, reference));
            assertThat(progress.stepDurations()).as(mode + " durations of " + session)
                    .containsExactly(IntStream.range(1, expected.depth())
                            .mapToLong(k -> Math.max(0, expected.stepTimeMillis(k + 1) - expected.stepTimeMillis(k)))
                            .toArray());
        }
    }

    /** The evaluator's step-event counts, read off a one-session report counting events. */
    private static long[] referenceStepEvents(FunnelMode mode, FunnelSession session) {
        FunnelReport report = new FunnelEvaluator().evaluate(FUNNEL, mode, FunnelCount.EVENTS, List.of(session), false);
        return report.steps().stream().sorted(Comparator.comparingInt(FunnelReport.Step::index))
                .mapToLong(FunnelReport.Step::count).toArray();
    }

    private static FunnelProgress roundTrip(FunnelProgress progress, FunnelMode mode) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            progress.writeTo(new DataOutputStream(bytes));
            return FunnelProgress.readFrom(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), STEPS, mode);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
