package io.funnelflow.crm.stream;

import io.funnelflow.contract.lead.RulesVersion;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/** Keeps the global rules store: the latest version published on {@code funnelflow.crm.rules}. */
final class RulesUpdater implements Processor<String, RulesVersion, Void, Void> {

    static final String STORE = "crm-rules";

    private KeyValueStore<String, RulesVersion> store;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(STORE);
    }

    @Override
    public void process(Record<String, RulesVersion> record) {
        if (record.key() == null) {
            return;
        }
        if (record.value() == null) {
            store.delete(record.key());
            return;
        }
        RulesVersion current = store.get(record.key());
        // versions only go up: a replay of the topic from the start ends where it was
        if (current == null || record.value().version() >= current.version()) {
            store.put(record.key(), record.value());
        }
    }
}
