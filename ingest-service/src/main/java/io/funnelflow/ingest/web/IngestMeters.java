package io.funnelflow.ingest.web;

import io.funnelflow.ingest.track.IntakeResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;

import java.util.regex.Pattern;

/**
 * What ingest did with what it was sent, at {@code /metrics}:
 * <ul>
 *   <li>{@code funnelflow_ingest_events_accepted_total}: events Kafka acknowledged;</li>
 *   <li>{@code funnelflow_ingest_events_rejected_total{field}}: events refused, by the field the reason is
 *       about (the reason's text carries values, so it is not a label);</li>
 *   <li>{@code funnelflow_ingest_requests_refused_total{reason}}: whole requests refused before any event was
 *       judged: {@code unauthorized}, {@code rate_limited}, {@code invalid_body}, {@code too_large}, or
 *       {@code unavailable} (Kafka did not acknowledge).</li>
 * </ul>
 */
@Singleton
public class IngestMeters {

    static final String ACCEPTED = "funnelflow.ingest.events.accepted";
    static final String REJECTED = "funnelflow.ingest.events.rejected";
    static final String REFUSED = "funnelflow.ingest.requests.refused";
    /** A field name as the validator writes it; anything else (a client's own key) is counted as "other". */
    private static final Pattern FIELD = Pattern.compile("[a-z][a-z_]{0,39}");

    private final MeterRegistry registry;
    private final Counter accepted;

    public IngestMeters(MeterRegistry registry) {
        this.registry = registry;
        this.accepted = Counter.builder(ACCEPTED).description("events Kafka acknowledged").register(registry);
    }

    void judged(IntakeResult result) {
        accepted.increment(result.accepted().size());
        for (IntakeResult.Rejected r : result.rejected()) {
            Counter.builder(REJECTED).description("events refused, by the field the reason is about")
                    .tag("field", field(r.field())).register(registry).increment();
        }
    }

    void refused(String reason) {
        Counter.builder(REFUSED).description("requests refused before any event was judged").tag("reason", reason)
                .register(registry).increment();
    }

    static String field(String field) {
        if (field == null) {
            return "none";
        }
        int dot = field.indexOf('.');
        String head = dot < 0 ? field : field.substring(0, dot);
        return FIELD.matcher(head).matches() ? head : "other";
    }
}
