package io.funnelflow.crm.stream;

import io.funnelflow.contract.lead.LeadOverride;
import io.funnelflow.contract.lead.LeadTransition;
import io.funnelflow.contract.lead.RulesVersion;
import io.funnelflow.crm.lead.LeadInput;
import io.funnelflow.crm.lead.LeadLifecycle;
import io.funnelflow.crm.lead.LeadState;
import io.funnelflow.crm.rules.Rules;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The lead lifecycle on the stream: applies each input to its lead ({@link LeadLifecycle}) and publishes
 * what changed. On a wall-clock schedule it also
 * <ol>
 *   <li>evaluates every lead whose silence crossed a threshold, as of the moment it crossed it (an index of
 *       those moments, {@value #DEADLINES}, gives them in time order without scanning every lead), and</li>
 *   <li>sweeps the leads not yet evaluated with the rules in force, a batch per punctuation, from a cursor
 *       kept in {@value #SWEEP} so a restart goes on where it stopped.</li>
 * </ol>
 */
final class LeadProcessor implements Processor<String, LeadInput, String, CrmOutput> {

    static final String LEADS = "crm-leads";
    static final String DEADLINES = "crm-deadlines";
    static final String SWEEP = "crm-sweep";

    private final CrmSettings settings;
    private ProcessorContext<String, CrmOutput> context;
    private KeyValueStore<String, LeadState> leads;
    private KeyValueStore<String, String> deadlines;
    private KeyValueStore<String, String> sweep;
    private KeyValueStore<String, RulesVersion> rulesStore;
    private Rules rules;

    LeadProcessor(CrmSettings settings) {
        this.settings = settings;
    }

    @Override
    public void init(ProcessorContext<String, CrmOutput> context) {
        this.context = context;
        this.leads = context.getStateStore(LEADS);
        this.deadlines = context.getStateStore(DEADLINES);
        this.sweep = context.getStateStore(SWEEP);
        this.rulesStore = context.getStateStore(RulesUpdater.STORE);
        context.schedule(settings.punctuateEvery(), PunctuationType.WALL_CLOCK_TIME, this::punctuate);
    }

    /** The rules in force: the latest published version, else the defaults (version 1). */
    Rules rules() {
        RulesVersion v = rulesStore.get(RulesVersion.ACTIVE);
        if (v == null) {
            if (rules == null || rules.version() != 1) {
                rules = Rules.defaults();
            }
            return rules;
        }
        if (rules == null || rules.version() != v.version()) {
            rules = Rules.parse(v.version(), v.document());
        }
        return rules;
    }

    private RulesVersion activeVersion() {
        return rulesStore.get(RulesVersion.ACTIVE);
    }

    @Override
    public void process(Record<String, LeadInput> record) {
        String leadId = record.key();
        if (leadId == null || record.value() == null) {
            return;
        }
        LeadState before = leads.get(leadId);
        handle(leadId, before, LeadLifecycle.apply(leadId, before, record.value(), rules()), record.timestamp());
    }

    private void handle(String leadId, LeadState before, LeadLifecycle.Result result, long timestamp) {
        LeadState after = result.after();
        if (after == null) {
            if (before != null) {
                leads.delete(leadId);
                unindex(leadId, before.nextChange());
                context.forward(new Record<>(leadId, CrmOutput.erasure(), timestamp));
            }
            return;
        }
        if (!result.changed()) {
            return;
        }
        leads.put(leadId, after);
        if (after.lead() == null) {
            // what waits for the lead's first session (a probability that came first): nothing to publish yet
            return;
        }
        Instant previous = before == null ? null : before.nextChange();
        if (!Objects.equals(previous, after.nextChange())) {
            unindex(leadId, previous);
            if (after.nextChange() != null) {
                deadlines.put(deadlineKey(after.nextChange(), leadId), leadId);
            }
        }
        for (LeadTransition t : result.transitions()) {
            context.forward(new Record<>(leadId, CrmOutput.of(t), timestamp));
        }
        for (LeadOverride o : result.overrides()) {
            context.forward(new Record<>(leadId, CrmOutput.of(o), timestamp));
        }
        if (before == null || before.lead() == null || !after.lead().equals(before.lead())) {
            context.forward(new Record<>(leadId, CrmOutput.of(after.lead()), timestamp));
        }
    }

    private void unindex(String leadId, Instant at) {
        if (at != null) {
            deadlines.delete(deadlineKey(at, leadId));
        }
    }

    /** Sorts by time: epoch milliseconds, zero-padded, then the lead id. */
    static String deadlineKey(Instant at, String leadId) {
        return String.format("%016d", Math.max(0, at.toEpochMilli())) + "|" + leadId;
    }

    void punctuate(long wallClock) {
        Clock clock = settings.clock();
        long now = clock == null ? wallClock : clock.millis();
        int budget = settings.sweepBatch();
        budget -= decay(now, budget, wallClock);
        if (budget > 0) {
            sweep(budget, wallClock);
        }
    }

    /** Evaluates leads whose next change is due, in time order; a lead may cross several thresholds in turn. */
    private int decay(long now, int budget, long timestamp) {
        int done = 0;
        String upTo = String.format("%016d", now) + "|\uffff";
        while (done < budget) {
            List<KeyValue<String, String>> due = new ArrayList<>();
            try (KeyValueIterator<String, String> it = deadlines.range("", upTo)) {
                while (it.hasNext() && due.size() < budget - done) {
                    due.add(it.next());
                }
            }
            if (due.isEmpty()) {
                break;
            }
            for (KeyValue<String, String> d : due) {
                deadlines.delete(d.key);
                LeadState state = leads.get(d.value);
                done++;
                if (state == null || state.nextChange() == null || state.nextChange().toEpochMilli() > now
                        || !d.key.equals(deadlineKey(state.nextChange(), d.value))) {
                    continue;
                }
                LeadState indexless = new LeadState(state.lead(), state.sessions(), state.older(), state.probability(),
                        state.probabilityAt(), state.imported(), state.recycledBy(), null);
                LeadLifecycle.Result result = LeadLifecycle.decay(d.value, state, rules());
                // the index entry is gone already: handle as if there had been none
                handle(d.value, indexless, result, timestamp);
            }
        }
        return done;
    }

    /** Re-evaluates, a batch at a time, every lead evaluated with an older version than the one in force. */
    private void sweep(int budget, long timestamp) {
        RulesVersion active = activeVersion();
        if (active == null) {
            return;
        }
        Rules current = rules();
        String version = String.valueOf(current.version());
        String cursor = sweep.get("version");
        String after = version.equals(cursor) ? sweep.get("after") : "";
        if (version.equals(cursor) && "done".equals(sweep.get("state"))) {
            return;
        }
        if (!version.equals(cursor)) {
            sweep.put("version", version);
            sweep.put("state", "running");
            sweep.put("after", "");
            after = "";
        }
        int done = 0;
        String last = after;
        List<KeyValue<String, LeadState>> batch = new ArrayList<>();
        boolean exhausted = true;
        try (KeyValueIterator<String, LeadState> it = after.isEmpty() ? leads.all() : leads.range(after, null)) {
            while (it.hasNext()) {
                KeyValue<String, LeadState> e = it.next();
                if (e.key.equals(after)) {
                    continue;
                }
                if (done >= budget) {
                    exhausted = false;
                    break;
                }
                batch.add(e);
                done++;
            }
        }
        for (KeyValue<String, LeadState> e : batch) {
            last = e.key;
            if (e.value.lead() != null && e.value.lead().rulesVersion() < current.version()) {
                handle(e.key, e.value, LeadLifecycle.reevaluate(e.key, e.value, current, active.appliedAt(), active.appliedBy(),
                        active.why()), timestamp);
            }
        }
        sweep.put("after", last);
        if (exhausted) {
            sweep.put("state", "done");
        }
    }
}
