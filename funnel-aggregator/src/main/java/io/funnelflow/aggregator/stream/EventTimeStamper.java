package io.funnelflow.aggregator.stream;

import io.funnelflow.contract.event.TrackedEvent;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/** Gives a record its event time (skew-corrected) as timestamp, so that windows are by when things happened. */
final class EventTimeStamper implements FixedKeyProcessor<String, TrackedEvent, TrackedEvent> {

    private FixedKeyProcessorContext<String, TrackedEvent> context;

    @Override
    public void init(FixedKeyProcessorContext<String, TrackedEvent> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, TrackedEvent> record) {
        context.forward(record.withTimestamp(record.value().eventTime().toEpochMilli()));
    }
}
