package io.funnelflow.crm.stream;

import io.funnelflow.contract.json.JsonSerde;
import io.funnelflow.contract.topic.Topic;
import io.funnelflow.contract.topic.Topics;
import io.funnelflow.crm.lead.LeadInput;
import io.funnelflow.crm.lead.LeadState;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

import java.util.Map;

/**
 * The lead lifecycle as a pure function of its settings.
 *
 * <pre>
 * funnelflow.sessions ────┐
 * funnelflow.predictions ─┴─ route to lead ─ repartition by lead id ─┐
 * funnelflow.crm.commands (keyed by lead id) ─────────────────────────┴─ lifecycle ─┬─► funnelflow.lead-transitions
 * funnelflow.crm.rules ─► global store crm-rules (read by the lifecycle)            ├─► funnelflow.crm.leads
 *                                                                                    └─► funnelflow.crm.overrides
 * </pre>
 *
 * An erased lead is a tombstone on the transitions and leads topics. Every store, repartition topic and
 * operator is named.
 */
public final class CrmTopology {

    private CrmTopology() {
    }

    public static Topology build(CrmSettings settings) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SessionRouter.STORE),
                Serdes.String(), JsonSerde.of(SessionRouter.SessionLead.class)).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(LeadProcessor.LEADS),
                Serdes.String(), JsonSerde.of(LeadState.class)).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(LeadProcessor.DEADLINES),
                Serdes.String(), Serdes.String()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(LeadProcessor.SWEEP),
                Serdes.String(), Serdes.String()));
        builder.addGlobalStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(RulesUpdater.STORE),
                        Topics.CRM_RULES.keySerde(), Topics.CRM_RULES.valueSerde()).withLoggingDisabled(),
                Topics.CRM_RULES.name(), consumed(Topics.CRM_RULES, "rules-source"), RulesUpdater::new);

        KStream<String, Object> sessions = builder.stream(Topics.SESSIONS.name(), consumed(Topics.SESSIONS, "sessions-source"))
                .mapValues(s -> (Object) s, Named.as("session-as-signal"));
        KStream<String, Object> predictions = builder.stream(Topics.PREDICTIONS.name(), consumed(Topics.PREDICTIONS, "predictions-source"))
                .filter((key, p) -> p != null, Named.as("predictions-only"))
                .mapValues(p -> (Object) p, Named.as("prediction-as-signal"));
        JsonSerde<LeadInput> inputSerde = JsonSerde.of(LeadInput.class);
        KStream<String, LeadInput> signals = sessions.merge(predictions, Named.as("signals"))
                .process(() -> new SessionRouter(settings.sessionRetention()), Named.as("route-to-lead"), SessionRouter.STORE)
                .repartition(Repartitioned.with(Serdes.String(), inputSerde).withName("inputs-by-lead"));
        KStream<String, LeadInput> commands = builder.stream(Topics.CRM_COMMANDS.name(), consumed(Topics.CRM_COMMANDS, "commands-source"))
                .filter((key, c) -> c != null, Named.as("commands-only"))
                .mapValues(LeadInput::command, Named.as("command-as-input"));

        Map<String, KStream<String, CrmOutput>> out = signals.merge(commands, Named.as("lead-inputs"))
                .process(() -> new LeadProcessor(settings), Named.as("lifecycle"),
                        LeadProcessor.LEADS, LeadProcessor.DEADLINES, LeadProcessor.SWEEP)
                .split(Named.as("out-"))
                .branch((key, o) -> o.transition() != null, Branched.as("transition"))
                .branch((key, o) -> o.lead() != null, Branched.as("lead"))
                .branch((key, o) -> o.override() != null, Branched.as("override"))
                .defaultBranch(Branched.as("erasure"));
        out.get("out-transition").mapValues(CrmOutput::transition, Named.as("transition-value"))
                .to(Topics.LEAD_TRANSITIONS.name(), produced(Topics.LEAD_TRANSITIONS, "transitions-sink"));
        out.get("out-lead").mapValues(CrmOutput::lead, Named.as("lead-value"))
                .to(Topics.CRM_LEADS.name(), produced(Topics.CRM_LEADS, "leads-sink"));
        out.get("out-override").mapValues(CrmOutput::override, Named.as("override-value"))
                .to(Topics.CRM_OVERRIDES.name(), produced(Topics.CRM_OVERRIDES, "overrides-sink"));
        KStream<String, CrmOutput> erasures = out.get("out-erasure");
        erasures.mapValues(o -> (io.funnelflow.contract.lead.LeadTransition) null, Named.as("erased-transitions"))
                .to(Topics.LEAD_TRANSITIONS.name(), produced(Topics.LEAD_TRANSITIONS, "erased-transitions-sink"));
        erasures.mapValues(o -> (io.funnelflow.contract.lead.Lead) null, Named.as("erased-lead"))
                .to(Topics.CRM_LEADS.name(), produced(Topics.CRM_LEADS, "erased-leads-sink"));
        return builder.build();
    }

    private static <K, V> Consumed<K, V> consumed(Topic<K, V> topic, String name) {
        return Consumed.with(topic.keySerde(), topic.valueSerde()).withName(name);
    }

    private static <K, V> Produced<K, V> produced(Topic<K, V> topic, String name) {
        return Produced.with(topic.keySerde(), topic.valueSerde()).withName(name);
    }
}
