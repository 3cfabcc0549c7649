package io.funnelflow.aggregator.stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.funnelflow.contract.event.RejectedEvent;
import io.funnelflow.contract.json.Json;
import io.funnelflow.contract.topic.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A record that cannot be read, processed or produced goes to {@code funnelflow.events.rejected} with the
 * reason, inside the same transaction, and the stream goes on: one poison record never stops the counts,
 * never replays for ever, and never disappears without a trace. (A record the stream produces that is
 * too large for the broker, or cannot be serialised, is rejected with its first bytes.) Other
 * production errors keep Kafka Streams' default: the task fails and is retried.
 */
public final class RejectingExceptionHandler implements DeserializationExceptionHandler, ProcessingExceptionHandler,
        ProductionExceptionHandler {

    /** How much of a record that could not be produced is kept in its rejection. */
    static final int KEPT_BYTES = 2048;

    private static final Logger LOG = LoggerFactory.getLogger(RejectingExceptionHandler.class);

    @Override
    public void configure(Map<String, ?> configs) {
        // nothing to configure
    }

    @Override
    public DeserializationExceptionHandler.Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
                                                                Exception exception) {
        return DeserializationExceptionHandler.Response.resume(List.of(rejected(context, record.key(), record.value(), exception)));
    }

    @Override
    public ProcessingExceptionHandler.Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        return ProcessingExceptionHandler.Response.resume(
                List.of(rejected(context, context.sourceRawKey(), context.sourceRawValue(), exception)));
    }

    @Override
    public ProductionExceptionHandler.Response handleError(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record,
                                                           Exception exception) {
        if (exception instanceof RecordTooLargeException) {
            return ProductionExceptionHandler.Response.resume(List.of(unproducible(context, record.topic(), record.key(),
                    record.value(), exception)));
        }
        return ProductionExceptionHandler.Response.fail();
    }

    @Override
    @SuppressWarnings("rawtypes")
    public ProductionExceptionHandler.Response handleSerializationError(ErrorHandlerContext context, ProducerRecord record,
                                                                        Exception exception, SerializationExceptionOrigin origin) {
        LOG.warn("A record for {} could not be serialised ({}): rejecting it: {}", record.topic(), origin, exception.toString());
        return ProductionExceptionHandler.Response.resume(List.of(unproducible(context, record.topic(), null, null,
                exception instanceof SerializationException ? exception : new SerializationException(exception))));
    }

    private static ProducerRecord<byte[], byte[]> unproducible(ErrorHandlerContext context, String topic, byte[] key,
                                                               byte[] value, Exception exception) {
        String head = value == null ? null
                : new String(value, 0, Math.min(value.length, KEPT_BYTES), StandardCharsets.UTF_8);
        RejectedEvent rejected = new RejectedEvent(RejectedEvent.STAGE_AGGREGATOR, null, "record",
                "could not be written to " + topic + " (" + (value == null ? "?" : value.length) + " bytes): " + exception.getMessage(),
                Instant.ofEpochMilli(context.timestamp()), null, head);
        LOG.warn("Rejecting a record for {} at {}-{}@{}: {}", topic, context.topic(), context.partition(), context.offset(),
                exception.toString());
        byte[] bytes = Topics.EVENTS_REJECTED.valueSerde().serializer().serialize(Topics.EVENTS_REJECTED.name(), rejected);
        return new ProducerRecord<>(Topics.EVENTS_REJECTED.name(), null, key != null && key.length <= KEPT_BYTES ? key : null, bytes);
    }

    static ProducerRecord<byte[], byte[]> rejected(ErrorHandlerContext context, byte[] key, byte[] value, Exception exception) {
        LOG.warn("Rejecting the record at {}-{}@{} (processor {}): {}", context.topic(), context.partition(), context.offset(),
                context.processorNodeId(), exception.toString());
        JsonNode payload = null;
        String text = null;
        if (value != null) {
            try {
                payload = Json.mapper().readTree(value);
            } catch (java.io.IOException notJson) {
                text = new String(value, StandardCharsets.UTF_8);
            }
        }
        String reason = exception.getMessage() != null ? exception.getMessage() : exception.getClass().getSimpleName();
        RejectedEvent rejected = new RejectedEvent(RejectedEvent.STAGE_AGGREGATOR,
                payload != null && payload.path("event_id").isTextual() ? payload.path("event_id").asText() : null,
                "record", reason, Instant.ofEpochMilli(context.timestamp()), payload, text);
        byte[] bytes = Topics.EVENTS_REJECTED.valueSerde().serializer().serialize(Topics.EVENTS_REJECTED.name(), rejected);
        return new ProducerRecord<>(Topics.EVENTS_REJECTED.name(), null, key, bytes);
    }
}
