package io.funnelflow.aggregator.stream;

import io.funnelflow.aggregator.session.Timeline;
import io.funnelflow.contract.event.TrackedEvent;
import io.funnelflow.contract.json.JsonSerde;
import io.funnelflow.contract.session.MinuteCount;
import io.funnelflow.contract.topic.Topic;
import io.funnelflow.contract.topic.Topics;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

import java.time.Duration;
import java.util.Map;

/**
 * The aggregation as a pure function of its settings: no start-up code here, Micronaut owns the lifecycle.
 *
 * <pre>
 * funnelflow.events ─ check ─┬─ rejected ──────────────────────────────────────────► funnelflow.events.rejected
 *                            └─ dedupe ─┬─────────────────────────────────────────► funnelflow.aggregator.unique-events
 *                                       ├─ sessionize ────────────────────────────► funnelflow.sessions
 *                                       └─ stamp event time ─ repartition by dimensions ─ detect late
 *                                              ├─ late ───────────────────────────► funnelflow.aggregator.late-events
 *                                              └─ 1-minute windows ───────────────► funnelflow.aggregator.minute-counts
 * </pre>
 *
 * Every store, repartition topic and stateful operator is named: renaming one breaks a running application.
 */
public final class AggregatorTopology {

    static final Duration MINUTE = Duration.ofMinutes(1);
    static final String MINUTE_COUNTS_STORE = "minute-counts-store";

    private AggregatorTopology() {
    }

    public static Topology build(StreamSettings settings) {
        StreamsBuilder builder = new StreamsBuilder();
        JsonSerde<TrackedEvent> eventSerde = JsonSerde.of(TrackedEvent.class);
        builder.addStateStore(Stores.windowStoreBuilder(
                Stores.persistentWindowStore(DedupeProcessor.STORE, settings.dedupeHorizon(), settings.dedupeHorizon(), false),
                Serdes.String(), Serdes.Long()));
        // cached: a busy session's timeline is written to RocksDB and its changelog once per commit, not per event
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(Sessionizer.TIMELINES),
                Serdes.String(), JsonSerde.of(Timeline.class)).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(Sessionizer.OPEN),
                Serdes.String(), Serdes.Long()).withCachingEnabled());

        Map<String, KStream<String, Checked>> checked = builder
                .stream(Topics.EVENTS.name(), consumed(Topics.EVENTS, "events-source"))
                .mapValues(Checked::of, Named.as("check"))
                .split(Named.as("checked-"))
                .branch((key, c) -> c.rejected() != null, Branched.as("rejected"))
                .defaultBranch(Branched.as("valid"));
        checked.get("checked-rejected")
                .mapValues(Checked::rejected, Named.as("rejection"))
                .to(Topics.EVENTS_REJECTED.name(), produced(Topics.EVENTS_REJECTED, "rejected-sink"));

        KStream<String, TrackedEvent> unique = checked.get("checked-valid")
                .mapValues(Checked::event, Named.as("checked-event"))
                .processValues(() -> new DedupeProcessor(settings.dedupeHorizon()), Named.as("dedupe"), DedupeProcessor.STORE);
        unique.to(Topics.UNIQUE_EVENTS.name(), produced(Topics.UNIQUE_EVENTS, "unique-events-sink"));

        unique.process(() -> new Sessionizer(settings), Named.as("sessionize"), Sessionizer.TIMELINES, Sessionizer.OPEN)
                .to(Topics.SESSIONS.name(), produced(Topics.SESSIONS, "sessions-sink"));

        Map<String, KStream<String, Routed>> timeliness = unique
                .processValues(EventTimeStamper::new, Named.as("stamp-event-time"))
                .selectKey((key, e) -> Buckets.dimensions(e), Named.as("key-by-dimensions"))
                .repartition(Repartitioned.with(Serdes.String(), eventSerde).withName("events-by-dimensions"))
                .processValues(() -> new LateDetector(MINUTE, settings.windowGrace()), Named.as("detect-late"))
                .split(Named.as("timeliness-"))
                .branch((key, r) -> r.late(), Branched.as("late"))
                .defaultBranch(Branched.as("on-time"));
        timeliness.get("timeliness-late")
                .map((key, r) -> KeyValue.pair(r.event().eventId(), r.event()), Named.as("late-by-event-id"))
                .to(Topics.LATE_EVENTS.name(), produced(Topics.LATE_EVENTS, "late-events-sink"));
        timeliness.get("timeliness-on-time")
                .mapValues(Routed::event, Named.as("on-time-event"))
                .groupByKey(Grouped.with("by-dimensions", Serdes.String(), eventSerde))
                .windowedBy(TimeWindows.ofSizeAndGrace(MINUTE, settings.windowGrace()))
                .aggregate(Tally::zero, (key, e, tally) -> tally.add(e), Named.as("count-per-minute"),
                        Materialized.<String, Tally, WindowStore<Bytes, byte[]>>as(MINUTE_COUNTS_STORE)
                                .withKeySerde(Serdes.String()).withValueSerde(JsonSerde.of(Tally.class)))
                .toStream(Named.as("minute-count-changes"))
                .map((window, tally) -> {
                    MinuteCount count = Buckets.minuteCount(window.key(), window.window().startTime(), tally);
                    return KeyValue.pair(count.bucketKey(), count);
                }, Named.as("to-minute-count"))
                .to(Topics.MINUTE_COUNTS.name(), produced(Topics.MINUTE_COUNTS, "minute-counts-sink"));
        return builder.build();
    }

    private static <K, V> Consumed<K, V> consumed(Topic<K, V> topic, String name) {
        return Consumed.with(topic.keySerde(), topic.valueSerde()).withName(name);
    }

    private static <K, V> Produced<K, V> produced(Topic<K, V> topic, String name) {
        return Produced.with(topic.keySerde(), topic.valueSerde()).withName(name);
    }
}
