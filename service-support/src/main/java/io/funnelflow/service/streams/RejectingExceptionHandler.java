package io.funnelflow.service.streams;

import com.fasterxml.jackson.databind.JsonNode;
import io.funnelflow.contract.event.RejectedEvent;
import io.funnelflow.contract.json.Json;
import io.funnelflow.contract.topic.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * For a Kafka Streams application of the platform: a record that cannot be read or processed goes to
 * {@code funnelflow.events.rejected} with the reason, inside the same transaction, and the stream goes on.
 * The stage the rejection names is the streams property {@value #STAGE_CONFIG}.
 */
public final class RejectingExceptionHandler implements DeserializationExceptionHandler, ProcessingExceptionHandler {

    /** The streams property naming the stage of the rejections ({@code crm}, …). */
    public static final String STAGE_CONFIG = "funnelflow.rejected.stage";
    private static final Logger LOG = LoggerFactory.getLogger(RejectingExceptionHandler.class);

    private String stage = "streams";

    @Override
    public void configure(Map<String, ?> configs) {
        Object configured = configs.get(STAGE_CONFIG);
        if (configured != null) {
            stage = configured.toString();
        }
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

    ProducerRecord<byte[], byte[]> rejected(ErrorHandlerContext context, byte[] key, byte[] value, Exception exception) {
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
        RejectedEvent rejected = new RejectedEvent(stage,
                payload != null && payload.path("event_id").isTextual() ? payload.path("event_id").asText() : null,
                "record", "from " + context.topic() + ": " + reason, Instant.ofEpochMilli(context.timestamp()), payload, text);
        byte[] bytes = Topics.EVENTS_REJECTED.valueSerde().serializer().serialize(Topics.EVENTS_REJECTED.name(), rejected);
        return new ProducerRecord<>(Topics.EVENTS_REJECTED.name(), null, key, bytes);
    }
}
