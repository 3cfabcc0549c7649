package io.funnelflow.crm.stream;

import io.funnelflow.contract.prediction.Prediction;
import io.funnelflow.contract.session.SessionSummary;
import io.funnelflow.crm.lead.LeadInput;
import io.funnelflow.crm.lead.SessionTally;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns sessions and predictions (keyed by session id) into inputs of their lead (keyed by lead id): a
 * session's lead is its {@code user_id}, the latest user id seen in it. It remembers each identified
 * session's lead, so that a session that vanished (a tombstone: merged into another) or changed hands
 * is taken back from the lead that had it, and a prediction reaches the lead of its session. Sessions
 * quiet for the retention period are forgotten (wall clock, hourly).
 */
final class SessionRouter implements Processor<String, Object, String, LeadInput> {

    static final String STORE = "crm-session-leads";

    private final long retentionMillis;
    private ProcessorContext<String, LeadInput> context;
    private KeyValueStore<String, SessionLead> leads;

    SessionRouter(Duration retention) {
        this.retentionMillis = retention.toMillis();
    }

    @Override
    public void init(ProcessorContext<String, LeadInput> context) {
        this.context = context;
        this.leads = context.getStateStore(STORE);
        context.schedule(Duration.ofHours(1), PunctuationType.WALL_CLOCK_TIME, this::forget);
    }

    @Override
    public void process(Record<String, Object> record) {
        String sessionId = record.key();
        if (sessionId == null) {
            return;
        }
        Object value = record.value();
        SessionLead known = leads.get(sessionId);
        if (value instanceof Prediction p) {
            String lead = known != null ? known.leadId() : blankToNull(p.userId());
            if (lead != null) {
                context.forward(record.withKey(lead).withValue(LeadInput.prediction(p.purchaseProbability(), p.scoredAt())));
            }
            return;
        }
        SessionSummary s = (SessionSummary) value;
        String lead = s == null ? null : blankToNull(s.userId());
        if (known != null && !known.leadId().equals(lead)) {
            context.forward(record.withKey(known.leadId()).withValue(LeadInput.gone(sessionId)));
        }
        if (lead == null) {
            if (known != null) {
                leads.delete(sessionId);
            }
            return;
        }
        leads.put(sessionId, new SessionLead(lead, s.end() == null ? record.timestamp() : s.end().toEpochMilli(),
                context.currentSystemTimeMs()));
        context.forward(record.withKey(lead).withValue(LeadInput.session(SessionTally.of(s))));
    }

    private void forget(long now) {
        List<String> old = new ArrayList<>();
        try (KeyValueIterator<String, SessionLead> it = leads.all()) {
            while (it.hasNext()) {
                KeyValue<String, SessionLead> e = it.next();
                if (now - e.value.seenAt() > retentionMillis) {
                    old.add(e.key);
                }
            }
        }
        old.forEach(leads::delete);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** The lead of an identified session, with its last event time and when it was last seen (wall clock). */
    record SessionLead(String leadId, long end, long seenAt) {
    }
}
