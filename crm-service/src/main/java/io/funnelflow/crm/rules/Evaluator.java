package io.funnelflow.crm.rules;

import io.funnelflow.contract.lead.Lead;
import io.funnelflow.contract.lead.LeadSignals;
import io.funnelflow.contract.lead.ScoreContribution;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The one evaluator of lead rules: the stream's lifecycle and the preview of a new version both use it,
 * so a preview says exactly what applying would do.
 *
 * <p>Order: intent score, engagement health, stage, nurture track, owner team, sales owner; each later
 * step sees the earlier ones' values in force (an override of the stage decides the owner team).
 * Stages only move forward from {@code currentStage}; a named recycle rule whose conditions hold sends
 * the stage reached back to its lower stage and holds it there while they hold.
 */
public final class Evaluator {

    static final Duration DAY = Duration.ofDays(1);
    public static final String ACTIVE = "Active";
    public static final String STALE = "Stale";
    public static final String DORMANT = "Dormant";

    private Evaluator() {
    }

    /**
     * What is evaluated.
     *
     * @param currentStage the stage the rules had reached before (null for a new lead)
     * @param recycledBy   the recycle rule that holds the lead back, if one did
     * @param overrides    the values in force by hand, by field
     * @param salesOwner   the sales owner an import named
     */
    public record Subject(LeadSignals signals, Instant createdAt, Stage currentStage, String recycledBy,
                          Map<String, String> overrides, String salesOwner) {
    }

    /** One field's computed value, why, and the rule that set it. */
    public record Outcome(String value, String reason, String ruleId) {
    }

    /**
     * @param nextChange the next moment a field may change by silence alone (a threshold of days since
     *                   the last engagement is crossed), or null when none can
     */
    public record Evaluation(Outcome score, List<ScoreContribution> topSignals, Outcome health, Outcome stage, String recycledBy,
                             Outcome track, Outcome owner, Outcome salesOwner, Instant nextChange) {

        public Outcome outcome(String field) {
            return switch (field) {
                case Lead.STAGE -> stage;
                case Lead.INTENT_SCORE -> score;
                case Lead.ENGAGEMENT_HEALTH -> health;
                case Lead.NURTURE_TRACK -> track;
                case Lead.OWNER_TEAM -> owner;
                case Lead.SALES_OWNER -> salesOwner;
                default -> throw new IllegalArgumentException(field);
            };
        }
    }

    public static Evaluation evaluate(Subject subject, Rules rules, Instant asOf) {
        Facts facts = new Facts(subject.signals(), asOf, subject.createdAt());
        Map<String, String> overrides = subject.overrides() == null ? Map.of() : subject.overrides();

        // intent score
        List<ScoreContribution> contributions = new ArrayList<>();
        double total = 0;
        for (Rules.ScoreSignal s : rules.score().signals()) {
            Double v = facts.number(s.signal());
            if (v == null) {
                continue;
            }
            double points = Math.min(s.max(), v * s.points());
            total += points;
            if (points != 0) {
                contributions.add(new ScoreContribution(s.signal(), Facts.format(v), Math.round(points * 10) / 10.0));
            }
        }
        int score = (int) Math.max(0, Math.min(100, Math.round(total)));
        contributions.sort(Comparator.comparingDouble((ScoreContribution c) -> -Math.abs(c.points())).thenComparing(ScoreContribution::signal));
        List<ScoreContribution> top = List.copyOf(contributions.subList(0, Math.min(3, contributions.size())));
        String scoreReason = top.isEmpty() ? "no signal gave points"
                : top.stream().map(c -> c.signal() + " " + c.value() + " → " + Facts.format(c.points()) + " pts")
                .collect(Collectors.joining(", ")) + (contributions.size() > top.size() ? ", …" : "");
        Outcome scoreOutcome = new Outcome(String.valueOf(score), "score " + score + ": " + scoreReason, rules.score().id());
        facts.put("intent_score", numberOr(overrides.get(Lead.INTENT_SCORE), score));

        // engagement health
        Rules.HealthRule h = rules.health();
        Long days = Facts.daysSinceEngaged(subject.signals(), asOf, subject.createdAt());
        Outcome health;
        if (days == null) {
            health = new Outcome(ACTIVE, "no engagement recorded yet", h.id());
        } else {
            String since = (subject.signals().lastEngaged() != null ? "last engaged " : "created ") + days + " days before " + asOf;
            if (days >= h.dormantAfterDays()) {
                health = new Outcome(DORMANT, since + " (" + h.dormantAfterDays() + " days or more)", h.id());
            } else if (days >= h.staleAfterDays()) {
                health = new Outcome(STALE, since + " (" + h.staleAfterDays() + " days or more)", h.id());
            } else {
                health = new Outcome(ACTIVE, since + " (under " + h.staleAfterDays() + ")", h.id());
            }
        }
        facts.put("engagement_health", overrides.getOrDefault(Lead.ENGAGEMENT_HEALTH, health.value()));

        // stage: forward only, unless a recycle rule holds
        Stage current = subject.currentStage();
        Outcome stage = null;
        String recycledBy = null;
        if (subject.recycledBy() != null && current != null) {
            Rules.RecycleRule holding = rules.recycle().stream().filter(r -> r.id().equals(subject.recycledBy())).findFirst().orElse(null);
            if (holding != null && holding.when().stream().allMatch(c -> c.holds(facts))) {
                recycledBy = holding.id();
                stage = new Outcome(current.label(), "held at " + current.label() + " by recycle rule " + holding.id() + ": "
                        + explain(holding.when(), facts), holding.id());
            }
        }
        if (stage == null) {
            Outcome candidate = null;
            Stage candidateStage = null;
            for (Rules.StageRule r : rules.stages()) {
                if ((candidateStage == null || r.stage().compareTo(candidateStage) > 0) && r.when().stream().allMatch(c -> c.holds(facts))) {
                    candidateStage = r.stage();
                    candidate = new Outcome(r.stage().label(), r.when().isEmpty() ? "rule " + r.id() + " (no conditions)"
                            : "rule " + r.id() + ": " + explain(r.when(), facts), r.id());
                }
            }
            Stage imported = Stage.of(subject.signals().importedStage()).orElse(null);
            if (imported != null && (candidateStage == null || imported.compareTo(candidateStage) > 0)) {
                candidateStage = imported;
                candidate = new Outcome(imported.label(), "imported as " + imported.label(), "import");
            }
            if (candidateStage == null) {
                candidateStage = Stage.LEAD;
                candidate = new Outcome(Stage.LEAD.label(), "no stage rule holds: Lead by default", rules.stages().get(0).id());
            }
            stage = current != null && current.compareTo(candidateStage) > 0 ? null : candidate;
            if (stage == null) {
                stage = new Outcome(current.label(), "stays " + current.label() + " (stages move forward only; the rules now give "
                        + candidateStage.label() + ": " + candidate.reason() + ")", candidate.ruleId());
            }
            // a named recycle rule may send the lead back; it then holds it there while its conditions hold
            Stage reached = Stage.of(stage.value()).orElse(Stage.LEAD);
            for (Rules.RecycleRule r : rules.recycle()) {
                if (r.from().contains(reached) && r.when().stream().allMatch(c -> c.holds(facts))) {
                    recycledBy = r.id();
                    stage = new Outcome(r.to().label(), "recycled from " + reached.label() + " to " + r.to().label() + " by "
                            + r.id() + ": " + explain(r.when(), facts), r.id());
                    break;
                }
            }
        }
        String effectiveStage = overrides.getOrDefault(Lead.STAGE, stage.value());
        facts.put("stage", effectiveStage);

        // nurture track: the first that holds
        Outcome track = null;
        for (Rules.TrackRule t : rules.tracks()) {
            if (t.when().stream().allMatch(c -> c.holds(facts))) {
                track = new Outcome(t.track(), t.when().isEmpty() ? "rule " + t.id() + " (the default track)"
                        : "rule " + t.id() + ": " + explain(t.when(), facts), t.id());
                break;
            }
        }

        Stage owned = Stage.of(effectiveStage).orElse(Stage.LEAD);
        Outcome owner = new Outcome(rules.owners().get(owned), "stage " + owned.label() + " is owned by " + rules.owners().get(owned),
                Rules.OWNERS_RULE);
        Outcome salesOwner = subject.salesOwner() == null || subject.salesOwner().isBlank()
                ? new Outcome(null, "no sales owner assigned", "import")
                : new Outcome(subject.salesOwner(), "assigned by import", "import");
        return new Evaluation(scoreOutcome, top, health, stage, recycledBy, track, owner, salesOwner,
                nextChange(subject, rules, asOf));
    }

    private static double numberOr(String text, double fallback) {
        if (text == null) {
            return fallback;
        }
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static String explain(List<Condition> when, Facts facts) {
        return when.stream().map(c -> c.explain(facts)).collect(Collectors.joining(" and "));
    }

    /**
     * The next moment the days since the last engagement reach a figure some rule looks at: the health
     * thresholds and every condition on {@code days_since_engaged}.
     */
    static Instant nextChange(Subject subject, Rules rules, Instant asOf) {
        Instant since = subject.signals().lastEngaged() != null ? subject.signals().lastEngaged() : subject.createdAt();
        if (since == null || asOf == null) {
            return null;
        }
        TreeSet<Long> days = new TreeSet<>();
        days.add((long) rules.health().staleAfterDays());
        days.add((long) rules.health().dormantAfterDays());
        List<List<Condition>> all = new ArrayList<>();
        rules.stages().forEach(r -> all.add(r.when()));
        rules.recycle().forEach(r -> all.add(r.when()));
        rules.tracks().forEach(r -> all.add(r.when()));
        for (List<Condition> when : all) {
            for (Condition c : when) {
                if (c.signal().equals("days_since_engaged")) {
                    days.add((long) Math.ceil(c.number()));
                    days.add((long) Math.floor(c.number()) + 1);
                }
            }
        }
        for (long d : days) {
            Instant at = since.plus(DAY.multipliedBy(d));
            if (d > 0 && at.isAfter(asOf)) {
                return at;
            }
        }
        return null;
    }
}
