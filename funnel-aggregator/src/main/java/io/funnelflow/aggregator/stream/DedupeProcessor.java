package io.funnelflow.aggregator.stream;

import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

import java.time.Duration;

/**
 * Passes an event on only the first time its id is seen within the horizon: a client that retries
 * after a timeout or a 503 is counted once. Ids are kept in a window store keyed by event id and
 * stamped with the record time (when ingest received it), so old ids expire by whole segments.
 */
final class DedupeProcessor implements FixedKeyProcessor<String, Received, Received> {

    static final String STORE = "seen-event-ids";

    private final long horizonMillis;
    private FixedKeyProcessorContext<String, Received> context;
    private WindowStore<String, Long> seen;

    DedupeProcessor(Duration horizon) {
        this.horizonMillis = horizon.toMillis();
    }

    @Override
    public void init(FixedKeyProcessorContext<String, Received> context) {
        this.context = context;
        this.seen = context.getStateStore(STORE);
    }

    @Override
    public void process(FixedKeyRecord<String, Received> record) {
        String id = record.value().event().eventId();
        long ts = record.timestamp();
        try (WindowStoreIterator<Long> hits = seen.fetch(id, ts - horizonMillis, ts + horizonMillis)) {
            if (hits.hasNext()) {
                return;
            }
        }
        seen.put(id, ts, ts);
        context.forward(record);
    }
}
