package io.funnelflow.aggregator.stream;

import io.funnelflow.aggregator.aggregate.AggregateKey;
import io.funnelflow.aggregator.aggregate.Dimension;
import io.funnelflow.aggregator.aggregate.EventAggregate;
import io.funnelflow.aggregator.aggregate.FunnelAggregate;
import io.funnelflow.aggregator.aggregate.Granularity;
import io.funnelflow.aggregator.aggregate.SessionAggregate;
import io.funnelflow.aggregator.funnel.FunnelMode;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestOutputTopic;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the aggregates topic says, summed the way the query side sums it (every partition and
 * generation of a bucket), from the latest record of each key: for tests.
 */
final class Figures {

    private final Map<AggregateKey, byte[]> latest = new LinkedHashMap<>();

    /** Reads what the topic holds now, on top of what was read before. */
    Figures read(TestOutputTopic<String, byte[]> topic) {
        for (KeyValue<String, byte[]> kv : topic.readKeyValuesToList()) {
            latest.put(AggregateKey.parse(kv.key), kv.value);
        }
        return this;
    }

    /** Per dimension value, a funnel's figures over every hour bucket (or day bucket). */
    Map<String, FunnelAggregate> funnel(int funnelId, FunnelMode mode, Dimension dimension, Granularity granularity, int steps) {
        Map<String, FunnelAggregate> out = new TreeMap<>();
        latest.forEach((k, v) -> {
            if (k instanceof AggregateKey.Funnel f && f.funnelId() == funnelId && f.mode() == mode
                    && f.dimension() == dimension && f.granularity() == granularity) {
                out.computeIfAbsent(f.value(), x -> new FunnelAggregate(steps)).merge(FunnelAggregate.decode(v));
            }
        });
        return out;
    }

    Map<String, SessionAggregate> sessions(Dimension dimension, Granularity granularity) {
        Map<String, SessionAggregate> out = new TreeMap<>();
        latest.forEach((k, v) -> {
            if (k instanceof AggregateKey.Sessions s && s.dimension() == dimension && s.granularity() == granularity) {
                out.computeIfAbsent(s.value(), x -> new SessionAggregate()).merge(SessionAggregate.decode(v));
            }
        });
        return out;
    }

    Map<String, Long> eventsByType(Granularity granularity) {
        Map<String, Long> out = new TreeMap<>();
        latest.forEach((k, v) -> {
            if (k instanceof AggregateKey.Events e && e.granularity() == granularity) {
                out.merge(e.eventType(), EventAggregate.decode(v).events, Long::sum);
            }
        });
        out.values().removeIf(n -> n == 0);
        return out;
    }

    long lateEvents() {
        long late = 0;
        for (Map.Entry<AggregateKey, byte[]> e : latest.entrySet()) {
            if (e.getKey() instanceof AggregateKey.Events k && k.granularity() == Granularity.HOUR) {
                late += EventAggregate.decode(e.getValue()).late;
            }
        }
        return late;
    }

    /** Per partition, whether the sweep of {@code generation} is done. */
    Map<Integer, Boolean> progress(long generation) {
        Map<Integer, Boolean> out = new HashMap<>();
        latest.forEach((k, v) -> {
            if (k instanceof AggregateKey.Progress p && p.generation() == generation) {
                out.put(p.part(), v[16] == 1);
            }
        });
        return out;
    }

    List<String> finals() {
        return latest.keySet().stream().filter(k -> k instanceof AggregateKey.Final).map(k -> ((AggregateKey.Final) k).sessionId()).toList();
    }

    /** Session counts per step with no empty values, for comparing with the reference. */
    static Map<String, List<Long>> counts(Map<String, FunnelAggregate> byValue, boolean events) {
        Map<String, List<Long>> out = new TreeMap<>();
        byValue.forEach((value, a) -> {
            long[] c = events ? a.events : a.sessions;
            boolean any = false;
            for (long n : c) {
                any |= n != 0;
            }
            if (any) {
                out.put(value, java.util.Arrays.stream(c).boxed().toList());
            }
        });
        return out;
    }
}
