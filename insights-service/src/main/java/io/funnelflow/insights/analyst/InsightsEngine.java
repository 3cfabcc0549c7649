package io.funnelflow.insights.analyst;

import io.funnelflow.insights.facts.Fact;
import io.funnelflow.insights.facts.FactsEngine;
import io.funnelflow.insights.llm.LlmAnalyst;
import io.funnelflow.insights.metrics.Metrics;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * From measured metrics to an answer: the facts are computed here, the LLM (when there is one) only
 * narrates them and is checked, and the rule-based analyst answers otherwise, saying why.
 */
public final class InsightsEngine {

    /** Why the rules answer when no model is configured. */
    public static final String NO_LLM = "no LLM is configured (set FUNNELFLOW_LLM_MODEL and FUNNELFLOW_LLM_BASE_URL)";

    private final FactsEngine factsEngine = new FactsEngine();
    private final RuleAnalyst rules = new RuleAnalyst();
    private final Optional<LlmAnalyst> llm;
    private final Clock clock;

    public InsightsEngine(Optional<LlmAnalyst> llm, Clock clock) {
        this.llm = llm;
        this.clock = clock;
    }

    /**
     * @throws NotEnoughDataException when the range holds too little to say three things about
     */
    public Insights explain(Metrics metrics, Insights.Range range) {
        List<Fact> facts = factsEngine.compute(metrics);
        Narrative fallback = rules.explain(facts).orElseThrow(() -> new NotEnoughDataException(
                "the range holds " + metrics.current().sessions() + " sessions: too little to observe three things"));
        String id = UUID.randomUUID().toString();
        Narrative narrative = fallback;
        Insights.Analyst analyst;
        if (llm.isEmpty()) {
            analyst = Insights.Analyst.rules(NO_LLM, null);
        } else {
            LlmAnalyst model = llm.get();
            String rangeText = range.from() == null ? "as posted" : range.from() + " to " + range.to();
            LlmAnalyst.Outcome outcome = model.explain(id, facts, rangeText, range.breakdown());
            if (outcome.accepted()) {
                narrative = outcome.narrative();
                analyst = Insights.Analyst.llm(outcome.model(), model.promptVersion());
            } else {
                analyst = Insights.Analyst.rules(outcome.failure(), model.promptVersion());
            }
        }
        return new Insights(id, clock.instant(), range, analyst, narrative.observations(), withFigures(narrative, facts), facts);
    }

    private static List<Insights.RecommendationWithFigures> withFigures(Narrative n, List<Fact> facts) {
        Map<String, Fact> byId = facts.stream().collect(Collectors.toMap(Fact::id, Function.identity()));
        List<Insights.RecommendationWithFigures> out = new ArrayList<>();
        for (Recommendation r : n.recommendations()) {
            List<String> figures = new ArrayList<>();
            for (String factId : r.factIds()) {
                byId.get(factId).figures().forEach((name, figure) -> figures.add(factId + "." + name + " = " + figure.text()));
            }
            out.add(new Insights.RecommendationWithFigures(r.text(), r.observationId(), r.factIds(), figures));
        }
        return out;
    }
}
