package io.funnelflow.crm.rules;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.funnelflow.contract.json.Json;
import io.funnelflow.contract.lead.LeadSignals;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RulesTest {

    static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");

    @Test
    void aBadDocumentIsRefusedNamingThePartAndWhy() throws Exception {
        ObjectNode doc = (ObjectNode) Rules.defaultDocument();
        ((ObjectNode) doc.path("stages").get(1).path("when").get(0)).put("op", "~");
        assertThatThrownBy(() -> Rules.parse(2, doc)).isInstanceOf(RulesException.class)
                .satisfies(e -> assertThat(((RulesException) e).field()).isEqualTo("stages[1].when[0].op"));

        ObjectNode unknown = (ObjectNode) Rules.defaultDocument();
        ((ObjectNode) unknown.path("tracks").get(0).path("when").get(0)).put("signal", "mood");
        assertThatThrownBy(() -> Rules.parse(2, unknown)).hasMessageStartingWith("tracks[0].when[0].signal: must be one of");

        ObjectNode backwards = (ObjectNode) Rules.defaultDocument();
        ((ObjectNode) backwards.path("recycle").get(0)).put("to", "SQL");
        assertThatThrownBy(() -> Rules.parse(2, backwards)).hasMessageContaining("recycle[0].to: must be lower");

        ObjectNode noDefault = (ObjectNode) Rules.defaultDocument();
        noDefault.withArray("tracks").remove(2);
        assertThatThrownBy(() -> Rules.parse(2, noDefault)).hasMessageContaining("the last track is the default");

        ObjectNode owners = (ObjectNode) Rules.defaultDocument();
        ((ObjectNode) owners.path("owners")).remove("SQL");
        assertThatThrownBy(() -> Rules.parse(2, owners)).hasMessageContaining("owners.SQL: is missing");
        assertThat(Json.mapper().writeValueAsString(Rules.defaults().document())).contains("recycle-dormant-mql");
    }

    static Evaluator.Subject subject(int score, Instant lastEngaged, Stage current, String recycledBy) {
        LeadSignals s = new LeadSignals(0, 0, 0, 0, 0, 0, BigDecimal.ZERO, null, score, null, lastEngaged, null, null, null);
        return new Evaluator.Subject(s, lastEngaged, current, recycledBy, Map.of(), null);
    }

    @Test
    void stagesMoveForwardOnlyAndARecycleRuleHoldsTheLeadBackWhileItHolds() {
        Rules rules = Rules.defaults();
        // an SQL whose score fell stays SQL
        Evaluator.Evaluation fell = Evaluator.evaluate(subject(10, NOW, Stage.SQL, null), rules, NOW);
        assertThat(fell.stage().value()).isEqualTo("SQL");
        assertThat(fell.stage().reason()).startsWith("stays SQL (stages move forward only; the rules now give Lead");

        // a dormant MQL is recycled to Lead, and held there on the next evaluation
        Instant long_ago = NOW.minus(Duration.ofDays(90));
        Evaluator.Evaluation recycled = Evaluator.evaluate(subject(50, long_ago, Stage.MQL, null), rules, NOW);
        assertThat(recycled.stage().value()).isEqualTo("Lead");
        assertThat(recycled.recycledBy()).isEqualTo("recycle-dormant-mql");
        Evaluator.Evaluation held = Evaluator.evaluate(subject(50, long_ago, Stage.LEAD, "recycle-dormant-mql"), rules, NOW);
        assertThat(held.stage().value()).isEqualTo("Lead");
        assertThat(held.stage().reason()).startsWith("held at Lead by recycle rule recycle-dormant-mql");
        // engaged again: the rules take it forward
        Evaluator.Evaluation back = Evaluator.evaluate(subject(50, NOW, Stage.LEAD, "recycle-dormant-mql"), rules, NOW);
        assertThat(back.stage().value()).isEqualTo("MQL");
        assertThat(back.recycledBy()).isNull();
    }

    @Test
    void theNextChangeIsTheNextThresholdOfSilence() {
        Rules rules = Rules.defaults();
        Evaluator.Evaluation e = Evaluator.evaluate(subject(50, NOW, Stage.MQL, null), rules, NOW.plus(Duration.ofDays(3)));
        assertThat(e.nextChange()).isEqualTo(NOW.plus(Duration.ofDays(14)));
        Evaluator.Evaluation stale = Evaluator.evaluate(subject(50, NOW, Stage.MQL, null), rules, NOW.plus(Duration.ofDays(14)));
        assertThat(stale.health().value()).isEqualTo("Stale");
        assertThat(stale.nextChange()).isEqualTo(NOW.plus(Duration.ofDays(60)));
        assertThat(Evaluator.evaluate(subject(50, NOW, Stage.MQL, null), rules, NOW.plus(Duration.ofDays(61))).nextChange()).isNull();
    }
}
