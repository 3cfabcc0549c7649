package io.funnelflow.contract.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.time.Instant;

/**
 * An input the platform refused, kept on {@code funnelflow.events.rejected} with the reason so that
 * nothing sent to us disappears without a trace.
 *
 * @param stage    where it was refused ({@code ingest}, {@code aggregator})
 * @param eventId  the event's id if it had one
 * @param field    the offending field
 * @param reason   why
 * @param payload  the event as it was sent (when it was JSON)
 * @param rawText  the bytes as text when they were not JSON
 * @param origin   where a record refused after it was on a topic was read from (null for what ingest refused)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RejectedEvent(
        String stage,
        String eventId,
        String field,
        String reason,
        Instant receivedAt,
        JsonNode payload,
        String rawText,
        Origin origin) {

    public static final String STAGE_INGEST = "ingest";
    public static final String STAGE_AGGREGATOR = "aggregator";
    public static final String STAGE_CRM = "crm";
    /** Refused by PostgreSQL when the aggregator's sink wrote it. */
    public static final String STAGE_POSTGRES_SINK = "postgres-sink";
    /** Refused by PostgreSQL when the prediction service wrote what it derived from it. */
    public static final String STAGE_PREDICTION = "prediction";

    /** A record's place in Kafka. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Origin(String topic, int partition, long offset) {
    }

    public RejectedEvent(String stage, String eventId, String field, String reason, Instant receivedAt, JsonNode payload,
                         String rawText) {
        this(stage, eventId, field, reason, receivedAt, payload, rawText, null);
    }
}
