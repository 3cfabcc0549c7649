package io.funnelflow.contract;

import io.funnelflow.contract.event.RejectedEvent;
import io.funnelflow.contract.json.Json;
import io.funnelflow.contract.topic.Topics;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class RejectedEventTest {

    @Test
    void aRecordRefusedDownstreamSaysWhereItWasReadFrom() throws Exception {
        RejectedEvent refused = new RejectedEvent(RejectedEvent.STAGE_POSTGRES_SINK, "e-1", null,
                "PostgreSQL refused it (SQLState 22021): ERROR: invalid byte sequence for encoding \"UTF8\": 0x00",
                Instant.parse("2026-11-22T10:00:00Z"), Json.mapper().readTree("{\"event_id\":\"e-1\"}"), null,
                new RejectedEvent.Origin("funnelflow.aggregator.unique-events", 3, 1234));
        byte[] bytes = Topics.EVENTS_REJECTED.valueSerde().serializer().serialize("t", refused);
        assertThat(new String(bytes, StandardCharsets.UTF_8)).contains("\"stage\":\"postgres-sink\"",
                "\"origin\":{\"topic\":\"funnelflow.aggregator.unique-events\",\"partition\":3,\"offset\":1234}");
        assertThat(Topics.EVENTS_REJECTED.valueSerde().deserializer().deserialize("t", bytes)).isEqualTo(refused);
    }

    @Test
    void whatIngestRefusesHasNoOrigin() {
        RejectedEvent refused = new RejectedEvent(RejectedEvent.STAGE_INGEST, null, "revenue", "is required for a purchase",
                Instant.parse("2026-11-22T10:00:00Z"), null, "{}");
        byte[] bytes = Topics.EVENTS_REJECTED.valueSerde().serializer().serialize("t", refused);
        assertThat(new String(bytes, StandardCharsets.UTF_8)).doesNotContain("origin");
        assertThat(Topics.EVENTS_REJECTED.valueSerde().deserializer().deserialize("t", bytes)).isEqualTo(refused);
    }
}
