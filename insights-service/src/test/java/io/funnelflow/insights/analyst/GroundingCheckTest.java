package io.funnelflow.insights.analyst;

import io.funnelflow.insights.facts.Fact;
import io.funnelflow.insights.facts.FactKind;
import io.funnelflow.insights.facts.Figure;
import io.funnelflow.insights.facts.Unit;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class GroundingCheckTest {

    static final List<Fact> FACTS = List.of(fact("a", Map.of(
            "rate", Figure.of(62.5, Unit.PERCENT),
            "gap", Figure.of(3.2, Unit.PERCENTAGE_POINTS),
            "revenue", Figure.of(new BigDecimal("1234.5"), Unit.CURRENCY),
            "sessions", Figure.count(12345),
            "hour", Figure.of(BigDecimal.valueOf(14), Unit.HOUR))));

    static Fact fact(String id, Map<String, Figure> figures) {
        return new Fact(id, FactKind.OVERVIEW, null, id, new LinkedHashMap<>(figures));
    }

    static List<String> check(String text) {
        Narrative n = new Narrative(
                List.of(new Observation("o1", text, List.of("a")), new Observation("o2", "Fine.", List.of("a")),
                        new Observation("o3", "Fine.", List.of("a"))),
                List.of(new Recommendation("Do it.", "o1", List.of("a")), new Recommendation("Do it.", "o2", List.of("a")),
                        new Recommendation("Do it.", "o3", List.of("a"))));
        return new GroundingCheck().violations(n, FACTS);
    }

    @Test
    void numbersWrittenAsGivenOrRoundedPass() {
        assertThat(check("62.5% leave; about 63% or 62%; a gap of 3.2 pp (3 percentage points); revenue $1,234.50 "
                + "or 1,234.5 or €1,235; 12,345 sessions, 12345 in all; busiest at 14:00; two or 3 channels.")).isEmpty();
    }

    @Test
    void aNumberNotAmongTheFiguresIsNamed() {
        assertThat(check("Conversion could reach 70% next month.")).containsExactly("observation o1 states 70%, which is not one of the given figures");
        assertThat(check("62.4% leave.")).hasSize(1);
        assertThat(check("Revenue was $1,300.")).hasSize(1);
        assertThat(check("12,400 sessions.")).hasSize(1);
    }

    @Test
    void unitsMustAgree() {
        assertThat(check("a gap of 62.5 pp")).as("a percent written as points").hasSize(1);
        assertThat(check("$62.50 per order")).as("a percent written as money").hasSize(1);
        assertThat(check("3.2% more")).as("points may be written as a percent").isEmpty();
    }

    @Test
    void unknownIdsAndShapeAreNamed() {
        Narrative n = new Narrative(List.of(new Observation("o1", "Fine.", List.of("nope"))),
                List.of(new Recommendation("Do it.", "o9", List.of("a"))));
        assertThat(new GroundingCheck().violations(n, FACTS)).containsExactlyInAnyOrder(
                "there must be 3 to 5 observations, not 1",
                "there must be 3 to 5 recommendations, not 1",
                "observation o1 cites fact id 'nope', which was not given",
                "recommendation 1 is tied to observation 'o9', which does not exist");
    }
}
