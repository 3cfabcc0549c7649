package io.funnelflow.contract;

import io.funnelflow.contract.event.EventValidator;
import io.funnelflow.contract.event.TrackedEvent;
import io.funnelflow.contract.event.Violation;
import io.funnelflow.contract.json.JsonSerde;
import io.funnelflow.contract.topic.Topics;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventContractTest {

    static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

    static TrackedEvent purchase(String revenue) {
        return new TrackedEvent("e-1", "purchase", NOW.minusSeconds(5), null, null, null, "s-1", "u-1", "a-1",
                "https://shop.example/checkout", null, "google", "cpc", "winter", "web", "mobile", "p-9", "Boots",
                new BigDecimal("59.90"), 2, revenue == null ? null : new BigDecimal(revenue), "EUR", Map.of("coupon", "X"))
                .accepted("e-1", NOW, null);
    }

    @Test
    void eventRoundTripsThroughTheTopicSerdeWithSnakeCaseFields() {
        JsonSerde<TrackedEvent> serde = (JsonSerde<TrackedEvent>) Topics.EVENTS.valueSerde();
        TrackedEvent e = purchase("119.80");
        byte[] bytes = serde.serialize("t", e);
        String json = new String(bytes, StandardCharsets.UTF_8);
        assertThat(json).contains("\"event_id\":\"e-1\"", "\"utm_campaign\":\"winter\"", "\"revenue\":119.80",
                "\"received_at\":\"2026-11-22T10:00:00Z\"");
        assertThat(json).doesNotContain("session_key", "referrer");
        assertThat(serde.deserialize("t", bytes)).isEqualTo(e);
    }

    @Test
    void unreadableBytesFailWithTopicTypeAndReason() {
        var serde = Topics.EVENTS.valueSerde().deserializer();
        assertThatThrownBy(() -> serde.deserialize("funnelflow.events", "{\"price\": \"cheap\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("funnelflow.events")
                .hasMessageContaining("TrackedEvent")
                .hasMessageContaining("price: cannot read \"cheap\" as a number");
        assertThatThrownBy(() -> serde.deserialize("funnelflow.events", new byte[]{'{', 0x01, 'x'}))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("not valid JSON");
    }

    @Test
    void timesAreWrittenLikeInstantToStringAndReadWithOffsetsOrAsEpochMillis() throws Exception {
        for (String t : new String[]{"2026-11-22T10:00:00Z", "2026-11-22T10:00:00.120Z", "2026-11-22T10:00:00.000123Z",
                "2026-11-22T10:00:00.000000007Z"}) {
            Instant i = Instant.parse(t);
            assertThat(io.funnelflow.contract.json.Json.mapper().writeValueAsString(i)).isEqualTo("\"" + i + "\"");
            assertThat(io.funnelflow.contract.json.Instants.format(i)).isEqualTo(i.toString());
        }
        var reader = io.funnelflow.contract.json.Json.mapper().readerFor(Instant.class);
        assertThat((Instant) reader.readValue("\"2026-11-22T11:00:00.5+01:00\"")).isEqualTo(Instant.parse("2026-11-22T10:00:00.500Z"));
        assertThat((Instant) reader.readValue("1795348800000")).isEqualTo(Instant.ofEpochMilli(1795348800000L));
        assertThatThrownBy(() -> reader.readValue("\"2026-11-22 10:00\"")).hasMessageContaining("ISO-8601");
    }

    @Test
    void clockSkewIsCorrectedByTheTransitDelayTheClientReports() {
        // the client clock runs 1 h behind: it stamps 08:59:58 and sends at 08:59:59, the server receives at 10:00:00
        Instant ts = Instant.parse("2026-11-22T08:59:58Z");
        Instant sent = Instant.parse("2026-11-22T08:59:59Z");
        assertThat(TrackedEvent.correctedTime(ts, sent, NOW)).isEqualTo(Instant.parse("2026-11-22T09:59:59Z"));
        assertThat(TrackedEvent.correctedTime(ts, null, NOW)).isEqualTo(ts);
        assertThat(TrackedEvent.correctedTime(null, sent, NOW)).isEqualTo(NOW);
    }

    @Test
    void validatorNamesFieldAndReason() {
        EventValidator v = new EventValidator();
        assertThat(v.validate(purchase("119.80"))).isEmpty();
        assertThat(v.validate(purchase(null))).containsExactly(new Violation("revenue", "is required for a purchase"));
        assertThat(v.validate(purchase("-1"))).containsExactly(new Violation("revenue", "must not be negative"));

        TrackedEvent anonymous = new TrackedEvent(null, "", null, null, NOW, NOW, null, null, " ", null, null, null,
                null, null, null, null, null, null, null, -1, null, "euro", null);
        assertThat(v.validate(anonymous)).extracting(Violation::field)
                .containsExactly("event_type", "session_id", "anonymous_id", "quantity", "currency");

        TrackedEvent future = new TrackedEvent("e", "page_view", NOW.plusSeconds(3600), null, NOW, NOW.plusSeconds(3600),
                "s", null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
        assertThat(v.validate(future)).singleElement().satisfies(x -> {
            assertThat(x.field()).isEqualTo("timestamp");
            assertThat(x.reason()).contains("3600 s in the future");
        });
    }

    @Test
    void sessionKeyFallsBackFromSessionToVisitor() {
        TrackedEvent e = purchase("1");
        assertThat(e.sessionKey()).isEqualTo("s-1");
        TrackedEvent noSession = new TrackedEvent("e", "page_view", null, null, null, null, null, "u", "a", null, null,
                null, null, null, null, null, null, null, null, null, null, null, null);
        assertThat(noSession.sessionKey()).isEqualTo("a");
    }
}
