package io.funnelflow.service.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.funnelflow.contract.json.Json;
import io.funnelflow.contract.privacy.Personal;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PersonalFieldsTest {

    record Visit(String sessionId, @Personal String userId, @Personal Map<String, Object> metadata, int events) {
    }

    record Feed(List<Visit> visits, @Personal String ownerEmail) {
    }

    final ObjectMapper mapper = Json.configure(new ObjectMapper())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .registerModule(PersonalFields.module());

    final Feed feed = new Feed(List.of(new Visit("s-1", "u-1", Map.of("email", "ann@example.com"), 3),
            new Visit("s-2", null, null, 1)), "owner@example.com");

    @Test
    void personalPropertiesAreWrittenUnlessTheSerializationWithholds() throws Exception {
        JsonNode full = mapper.readTree(mapper.writeValueAsString(feed));
        assertThat(full.at("/visits/0/user_id").asText()).isEqualTo("u-1");
        assertThat(full.at("/visits/0/metadata/email").asText()).isEqualTo("ann@example.com");
        assertThat(full.path("owner_email").asText()).isEqualTo("owner@example.com");
        assertThat(full.has(PersonalFields.MEMBER)).isFalse();
    }

    @Test
    void withheldPropertiesAreLeftOutAtEveryDepthAndNamed() {
        PersonalFields.Withheld withheld = PersonalFields.withhold(mapper, feed);

        JsonNode answer = withheld.answer();
        assertThat(withheld.tree().toString()).doesNotContain("u-1", "ann@example.com", "owner@example.com", "user_id", "metadata");
        assertThat(answer.at("/visits/0/session_id").asText()).isEqualTo("s-1");
        assertThat(answer.at("/visits/0/events").asInt()).isEqualTo(3);
        assertThat(answer.at("/visits/1/session_id").asText()).isEqualTo("s-2");
        // a personal field is named whether or not it had a value: the list never tells who has one
        assertThat(withheld.names()).containsExactly("metadata", "owner_email", "user_id");
        assertThat(answer.path(PersonalFields.MEMBER)).extracting(JsonNode::asText)
                .containsExactly("metadata", "owner_email", "user_id");
    }

    @Test
    void anArrayAnswerIsWithheldTooButCannotNameThemInItself() {
        PersonalFields.Withheld withheld = PersonalFields.withhold(mapper, feed.visits());

        assertThat(withheld.answer().isArray()).isTrue();
        assertThat(withheld.answer().toString()).doesNotContain("u-1", "ann@example.com");
        assertThat(withheld.names()).containsExactly("metadata", "user_id");
    }

    @Test
    void aValueWithoutPersonalPropertiesIsUnchanged() throws Exception {
        record Kpis(long sessions, double conversion) {
        }
        PersonalFields.Withheld withheld = PersonalFields.withhold(mapper, new Kpis(10, 0.5));

        assertThat(withheld.names()).isEmpty();
        assertThat(withheld.answer().toString()).isEqualTo(mapper.writeValueAsString(new Kpis(10, 0.5)));
    }
}
