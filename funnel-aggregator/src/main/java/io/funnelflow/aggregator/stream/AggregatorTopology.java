package io.funnelflow.aggregator.stream;

import io.funnelflow.contract.event.EventValidator;
import io.funnelflow.contract.funnel.SavedFunnel;
import io.funnelflow.contract.topic.Topic;
import io.funnelflow.contract.topic.Topics;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

import java.util.Map;

/**
 * The aggregation as a pure function of its settings: no start-up code here, Micronaut owns the lifecycle.
 *
 * <pre>
 * funnelflow.events ─ check ─┬─ rejected ────────────────────────────────────────► funnelflow.events.rejected
 *                            └─ dedupe ─┬───────────────────────────────────────► funnelflow.aggregator.unique-events
 *                                       └─ sessionize ◄─ funnelflow.erasures      (funnelflow.funnels, as a global table)
 *                                            ├─ session summaries ──────────────► funnelflow.sessions
 *                                            ├─ figures per bucket and partition ► funnelflow.aggregator.aggregates
 *                                            ├─ quiet sessions' ordered events ─► funnelflow.aggregator.session-timelines
 *                                            ├─ late arrivals ──────────────────► funnelflow.aggregator.late-events
 *                                            └─ what it could not do ───────────► funnelflow.events.rejected
 * </pre>
 *
 * No repartition: events are keyed by session key from ingest on, and every figure is kept per stream
 * partition beside the sessions it comes from. Every store, topic and stateful operator is named:
 * renaming one breaks a running application.
 */
public final class AggregatorTopology {

    private AggregatorTopology() {
    }

    public static Topology build(StreamSettings settings) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.windowStoreBuilder(
                Stores.persistentWindowStore(DedupeProcessor.STORE, settings.dedupeHorizon(), settings.dedupeHorizon(), false),
                Serdes.String(), Serdes.Long()).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(Sessionizer.EVENTS),
                Serdes.Bytes(), Serdes.ByteArray()).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(Sessionizer.STATES),
                Serdes.String(), Serdes.ByteArray()).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(Sessionizer.OPEN),
                Serdes.String(), Serdes.Long()).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(Sessionizer.PARTIALS),
                Serdes.String(), Serdes.ByteArray()).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(Sessionizer.VISITORS),
                Serdes.String(), Serdes.Integer()).withCachingEnabled());
        // small and short-lived: in memory, restored from their changelogs; cached, so that a key's many
        // changes between two commits reach the changelog once
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(Sessionizer.PENDING),
                Serdes.String(), Serdes.ByteArray()).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(Sessionizer.TIMELINES_DUE),
                Serdes.String(), Serdes.Long()).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(Sessionizer.SWEEP),
                Serdes.String(), Serdes.ByteArray()).withCachingEnabled());
        builder.globalTable(Topics.FUNNELS.name(), Consumed.with(Topics.FUNNELS.keySerde(), Topics.FUNNELS.valueSerde())
                        .withName("funnels-source"),
                Materialized.<String, SavedFunnel, KeyValueStore<Bytes, byte[]>>as(Sessionizer.REGISTRY)
                        .withKeySerde(Topics.FUNNELS.keySerde()).withValueSerde(Topics.FUNNELS.valueSerde()));

        Received.ReceivedSerde received = new Received.ReceivedSerde();
        EventValidator validator = new EventValidator(EventValidator.DEFAULT_FUTURE_TOLERANCE, settings.metadata());
        Map<String, KStream<String, Checked>> checked = builder
                .stream(Topics.EVENTS.name(), Consumed.with(Topics.EVENTS.keySerde(), received).withName("events-source"))
                .mapValues(r -> Checked.of(r, validator), Named.as("check"))
                .split(Named.as("checked-"))
                .branch((key, c) -> c.rejected() != null, Branched.as("rejected"))
                .defaultBranch(Branched.as("valid"));
        checked.get("checked-rejected")
                .mapValues(Checked::rejected, Named.as("rejection"))
                .to(Topics.EVENTS_REJECTED.name(), produced(Topics.EVENTS_REJECTED, "rejected-sink"));

        KStream<String, Received> unique = checked.get("checked-valid")
                .mapValues(Checked::received, Named.as("checked-event"))
                .processValues(() -> new DedupeProcessor(settings.dedupeHorizon()), Named.as("dedupe"), DedupeProcessor.STORE);
        // the raw events go on as they came: the same JSON as funnelflow.events, not written a second time
        unique.to(Topics.UNIQUE_EVENTS.name(), Produced.with(Topics.UNIQUE_EVENTS.keySerde(), received).withName("unique-events-sink"));

        KStream<String, Input> erasures = builder
                .stream(Topics.ERASURES.name(), consumed(Topics.ERASURES, "erasures-source"))
                .filter((key, erasure) -> key != null && erasure != null, Named.as("erasures-with-key"))
                .<Input>mapValues(Input.Erase::new, Named.as("erasure-input"));
        Map<String, KStream<String, Out>> out = unique
                .<Input>mapValues(r -> new Input.Event(r.event()), Named.as("event-input"))
                .merge(erasures, Named.as("sessionizer-input"))
                .process(() -> new Sessionizer(settings), Named.as("sessionize"), Sessionizer.EVENTS, Sessionizer.STATES,
                        Sessionizer.OPEN, Sessionizer.PARTIALS, Sessionizer.VISITORS, Sessionizer.PENDING, Sessionizer.TIMELINES_DUE, Sessionizer.SWEEP)
                .split(Named.as("sessionized-"))
                .branch((key, o) -> o instanceof Out.Summary, Branched.as("summary"))
                .branch((key, o) -> o instanceof Out.Aggregate, Branched.as("aggregate"))
                .branch((key, o) -> o instanceof Out.Timeline, Branched.as("timeline"))
                .branch((key, o) -> o instanceof Out.Late, Branched.as("late"))
                .defaultBranch(Branched.as("rejected"));
        out.get("sessionized-summary")
                .mapValues(o -> ((Out.Summary) o).summary(), Named.as("summary-value"))
                .to(Topics.SESSIONS.name(), produced(Topics.SESSIONS, "sessions-sink"));
        out.get("sessionized-aggregate")
                .mapValues(o -> ((Out.Aggregate) o).value(), Named.as("aggregate-value"))
                .to(Topics.AGGREGATES.name(), produced(Topics.AGGREGATES, "aggregates-sink"));
        out.get("sessionized-timeline")
                .mapValues(o -> ((Out.Timeline) o).timeline(), Named.as("timeline-value"))
                .to(Topics.SESSION_TIMELINES.name(), produced(Topics.SESSION_TIMELINES, "timelines-sink"));
        out.get("sessionized-late")
                .mapValues(o -> ((Out.Late) o).late(), Named.as("late-value"))
                .to(Topics.LATE_EVENTS.name(), produced(Topics.LATE_EVENTS, "late-events-sink"));
        out.get("sessionized-rejected")
                .mapValues(o -> ((Out.Rejected) o).rejected(), Named.as("sessionizer-rejection"))
                .to(Topics.EVENTS_REJECTED.name(), produced(Topics.EVENTS_REJECTED, "sessionizer-rejected-sink"));
        return builder.build();
    }

    private static <K, V> Consumed<K, V> consumed(Topic<K, V> topic, String name) {
        return Consumed.with(topic.keySerde(), topic.valueSerde()).withName(name);
    }

    private static <K, V> Produced<K, V> produced(Topic<K, V> topic, String name) {
        return Produced.with(topic.keySerde(), topic.valueSerde()).withName(name);
    }
}
