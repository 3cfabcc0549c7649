package io.funnelflow.prediction.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.funnelflow.contract.json.Json;
import io.funnelflow.prediction.features.Features;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PredictRequestTest {

    static final Instant NOW = Instant.parse("2026-11-22T10:15:00Z");
    static final String BASE = "\"time_on_site\": 300, \"pages_visited\": 3, \"cart_value\": 40, \"previous_purchases\": 0, \"device_type\": \"Mobile\"";

    static JsonNode body(String extra) throws Exception {
        return Json.mapper().readTree("{" + BASE + (extra.isEmpty() ? "" : ", " + extra) + "}");
    }

    @Test
    void theSeedsFieldsAloneAreEnoughAndTheRestDefaults() throws Exception {
        Features f = PredictRequest.parse(body(""), NOW).features();
        assertThat(f.device()).isEqualTo("mobile");
        assertThat(f.events()).isEqualTo(3);
        assertThat(f.channel()).isEqualTo("direct");
        assertThat(f.hour()).isEqualTo(10);
        assertThat(f.weekday()).isEqualTo(7);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "\"hour\": 3.5|hour",
            "\"hour\": 24|hour",
            "\"weekday\": 2.5|weekday",
            "\"weekday\": 0|weekday",
            "\"events\": 2|events",
            "\"cart_adds\": 1.5|cart_adds",
            "\"product_views\": -1|product_views",
            "\"previous_sessions\": \"two\"|previous_sessions",
            "\"utm_source\": 7|utm_source",
            "\"colour\": \"red\"|colour"})
    void aWrongFieldIsNamed(String extra, String field) {
        assertThatThrownBy(() -> PredictRequest.parse(body(extra), NOW))
                .isInstanceOfSatisfying(BadFieldException.class, e -> assertThat(e.field()).isEqualTo(field));
    }

    @Test
    void aMissingOrUnknownDeviceIsNamed() throws Exception {
        assertThatThrownBy(() -> PredictRequest.parse(Json.mapper().readTree(
                "{\"time_on_site\": 1, \"pages_visited\": 1, \"cart_value\": 0, \"previous_purchases\": 0}"), NOW))
                .isInstanceOfSatisfying(BadFieldException.class, e -> assertThat(e.field()).isEqualTo("device_type"));
        assertThatThrownBy(() -> PredictRequest.parse(Json.mapper().readTree("{" + BASE.replace("Mobile", "fridge") + "}"), NOW))
                .isInstanceOfSatisfying(BadFieldException.class, e -> assertThat(e.getMessage()).contains("mobile"));
    }
}
