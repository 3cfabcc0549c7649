package io.funnelflow.insights.analyst;

import io.funnelflow.insights.Funnels;
import io.funnelflow.insights.facts.Fact;
import io.funnelflow.insights.facts.FactsEngine;
import io.funnelflow.insights.facts.Figure;
import io.funnelflow.insights.metrics.Metrics;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class RuleAnalystTest {

    final FactsEngine facts = new FactsEngine();
    final RuleAnalyst rules = new RuleAnalyst();
    final GroundingCheck check = new GroundingCheck();

    @Test
    void twoFunnelsGiveTwoDifferentSetsOfObservationsBuiltFromTheirOwnFacts() {
        List<Fact> a = facts.compute(Funnels.shopA());
        List<Fact> b = facts.compute(Funnels.shopB());
        Narrative na = rules.explain(a).orElseThrow();
        Narrative nb = rules.explain(b).orElseThrow();

        assertThat(na.observations()).hasSizeBetween(3, 5);
        assertThat(nb.observations()).hasSizeBetween(3, 5);
        assertThat(na.recommendations()).hasSameSizeAs(na.observations());
        assertThat(texts(na)).doesNotContainAnyElementsOf(texts(nb));

        // shop A loses most between product view and cart, shop B at checkout
        assertThat(na.observations().get(0).text()).contains("from product_view to add_to_cart", "70.0%", "560");
        assertThat(nb.observations().get(0).text()).contains("from checkout_start to purchase", "91.0%", "455");
        assertThat(na.observations().get(1).text()).contains("google", "facebook", "3.0 pp");
        assertThat(nb.observations().get(1).text()).contains("email", "tiktok", "8.0 pp");

        assertFiguresAreTheFacts(na, a);
        assertFiguresAreTheFacts(nb, b);
    }

    @Test
    void theSameShapeWithOtherNumbersChangesTheSentences() {
        Metrics m = Funnels.shopA();
        Metrics more = new Metrics(m.from(), m.to(), List.of(new Metrics.Step("landing", 1000), new Metrics.Step("product_view", 800),
                new Metrics.Step("add_to_cart", 300), new Metrics.Step("checkout_start", 90), new Metrics.Step("purchase", 40)),
                m.current(), m.previous(), m.breakdown(), m.segments(), m.devices(), m.revenueBySource(), m.eventsByHour());
        String before = rules.explain(facts.compute(m)).orElseThrow().observations().get(0).text();
        String after = rules.explain(facts.compute(more)).orElseThrow().observations().get(0).text();
        assertThat(before).contains("from product_view to add_to_cart", "70.0%");
        assertThat(after).contains("from add_to_cart to checkout_start", "70.0%", "of the 300 sessions");
        assertThat(after).isNotEqualTo(before);
    }

    @Test
    void anEmptyRangeHasNothingToSay() {
        Metrics empty = new Metrics(null, null, List.of(new Metrics.Step("landing", 0), new Metrics.Step("purchase", 0)),
                new Metrics.Period(0, 0, BigDecimal.ZERO, 0, 0, 0), null, "utm_source", Map.of(), Map.of(), Map.of(), Map.of());
        assertThat(rules.explain(facts.compute(empty))).isEmpty();
    }

    /** Every number the analyst wrote is a figure of a fact it cites, and the answer passes the grounding check. */
    private void assertFiguresAreTheFacts(Narrative n, List<Fact> facts) {
        assertThat(check.violations(n, facts)).isEmpty();
        Map<String, Fact> byId = facts.stream().collect(Collectors.toMap(Fact::id, Function.identity()));
        for (Observation o : n.observations()) {
            List<Figure> cited = o.factIds().stream().flatMap(id -> byId.get(id).figures().values().stream()).toList();
            for (GroundingCheck.Stated s : GroundingCheck.extract(o.text())) {
                assertThat(GroundingCheck.grounded(s, cited)).as(s.written() + " in " + o.text()).isTrue();
            }
        }
        for (Recommendation r : n.recommendations()) {
            assertThat(n.observations()).extracting(Observation::id).contains(r.observationId());
            List<Figure> cited = r.factIds().stream().flatMap(id -> byId.get(id).figures().values().stream()).toList();
            for (GroundingCheck.Stated s : GroundingCheck.extract(r.text())) {
                assertThat(GroundingCheck.grounded(s, cited)).as(s.written() + " in " + r.text()).isTrue();
            }
        }
    }

    private static List<String> texts(Narrative n) {
        return n.observations().stream().map(Observation::text).toList();
    }
}
