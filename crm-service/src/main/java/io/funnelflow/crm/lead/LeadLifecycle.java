package io.funnelflow.crm.lead;

import io.funnelflow.contract.credential.Secrets;
import io.funnelflow.contract.lead.ImportedLead;
import io.funnelflow.contract.lead.Lead;
import io.funnelflow.contract.lead.LeadCommand;
import io.funnelflow.contract.lead.LeadField;
import io.funnelflow.contract.lead.LeadOverride;
import io.funnelflow.contract.lead.LeadSignals;
import io.funnelflow.contract.lead.LeadTransition;
import io.funnelflow.crm.rules.Evaluator;
import io.funnelflow.crm.rules.Rules;
import io.funnelflow.crm.rules.Stage;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One lead's lifecycle as a pure function: a state and an input (a session, a probability, a command,
 * the passing of time, new rules) give the next state, the transitions of every field whose value
 * changed and the override log entries. Every transition happens at the moment of its cause and is
 * named by a digest of it, so the same inputs give the same transitions, ids included.
 */
public final class LeadLifecycle {

    /** How many sessions a lead keeps one by one; older ones are summed. */
    static final int RECENT_SESSIONS = 50;
    public static final String ACTOR_STREAM = "stream";
    public static final String ACTOR_CLOCK = "clock";

    private LeadLifecycle() {
    }

    /**
     * @param after       the state after, or null when the lead was erased
     * @param transitions the changes, in field order
     * @param overrides   override log entries
     */
    public record Result(LeadState after, List<LeadTransition> transitions, List<LeadOverride> overrides, boolean changed) {

        static Result unchanged(LeadState state) {
            return new Result(state, List.of(), List.of(), false);
        }
    }

    /** Why an evaluation runs: its source, who, their words, when, and an id of the cause for transition ids. */
    record Cause(String source, String actor, String why, Instant at, String id) {
    }

    public static Result apply(String leadId, LeadState before, LeadInput input, Rules rules) {
        if (input.command() != null) {
            return command(leadId, before, input.command(), rules);
        }
        if (input.session() != null) {
            SessionTally s = input.session();
            Map<String, SessionTally> sessions = new LinkedHashMap<>(before == null ? Map.of() : before.sessions());
            if (s.equals(sessions.get(s.sessionId()))) {
                return Result.unchanged(before);
            }
            sessions.put(s.sessionId(), s);
            SessionTally older = before == null || before.older() == null ? SessionTally.zero() : before.older();
            if (sessions.size() > RECENT_SESSIONS) {
                List<SessionTally> byEnd = new ArrayList<>(sessions.values());
                byEnd.sort(Comparator.comparing(SessionTally::end, Comparator.nullsFirst(Comparator.naturalOrder()))
                        .thenComparing(SessionTally::sessionId));
                for (SessionTally old : byEnd.subList(0, sessions.size() - RECENT_SESSIONS)) {
                    sessions.remove(old.sessionId());
                    older = older.plus(old);
                }
            }
            LeadState base = base(before).withSessions(sessions, older);
            Instant at = s.end() != null ? s.end() : s.start();
            return evaluate(leadId, before, base, rules,
                    new Cause(LeadTransition.SOURCE_RULE, ACTOR_STREAM, null, at, "session:" + s.sessionId() + ":" + s.end()));
        }
        if (input.goneSession() != null) {
            if (before == null || before.lead() == null || !before.sessions().containsKey(input.goneSession())) {
                return Result.unchanged(before);
            }
            Map<String, SessionTally> sessions = new LinkedHashMap<>(before.sessions());
            sessions.remove(input.goneSession());
            return evaluate(leadId, before, base(before).withSessions(sessions, before.older()), rules,
                    new Cause(LeadTransition.SOURCE_RULE, ACTOR_STREAM, null, before.lead().evaluatedAt(), "gone:" + input.goneSession()));
        }
        if (input.probability() != null) {
            if (before == null || before.lead() == null) {
                // a probability alone makes no lead: it is kept for the lead its session will make
                LeadState pending = before == null ? new LeadState(null, Map.of(), SessionTally.zero(), null, null, null, null, null) : before;
                if (pending.probabilityAt() != null && input.scoredAt() != null && input.scoredAt().isBefore(pending.probabilityAt())) {
                    return Result.unchanged(before);
                }
                return new Result(new LeadState(null, pending.sessions(), pending.older(), input.probability(), input.scoredAt(),
                        pending.imported(), null, null), List.of(), List.of(), true);
            }
            if (before.probabilityAt() != null && input.scoredAt() != null && input.scoredAt().isBefore(before.probabilityAt())) {
                return Result.unchanged(before);
            }
            if (Objects.equals(before.probability(), input.probability())) {
                return Result.unchanged(before);
            }
            LeadState base = new LeadState(before.lead(), before.sessions(), before.older(), input.probability(), input.scoredAt(),
                    before.imported(), before.recycledBy(), before.nextChange());
            return evaluate(leadId, before, base, rules, new Cause(LeadTransition.SOURCE_RULE, ACTOR_STREAM, null,
                    input.scoredAt() == null ? before.lead().evaluatedAt() : input.scoredAt(), "prediction:" + input.scoredAt()));
        }
        return Result.unchanged(before);
    }

    /** Silence crossed a threshold at {@code before.nextChange()}: the lead is evaluated as of that moment. */
    public static Result decay(String leadId, LeadState before, Rules rules) {
        Instant at = before.nextChange();
        return evaluateAsPublished(leadId, before, rules, new Cause(LeadTransition.SOURCE_DECAY, ACTOR_CLOCK, null, at, "decay:" + at));
    }

    /** New rules were applied: the lead is evaluated again, with all its history, as of the moment they were. */
    public static Result reevaluate(String leadId, LeadState before, Rules rules, Instant appliedAt, String by, String why) {
        return evaluateAsPublished(leadId, before, rules,
                new Cause(LeadTransition.SOURCE_RULE, by == null ? "rules" : by, why, appliedAt, "rules:" + rules.version()));
    }

    /**
     * What {@link #reevaluate} would do to a lead as published (the preview of a rules version reads leads
     * from PostgreSQL): the same evaluation, from the lead's published signals.
     */
    public static Result preview(Lead lead, Rules rules, Instant asOf) {
        LeadState state = new LeadState(lead, Map.of(), SessionTally.zero(), lead.signals().purchaseProbability(), null, null,
                lead.recycledBy(), null);
        return reevaluate(lead.leadId(), state, rules, asOf, "preview", null);
    }

    private static Result command(String leadId, LeadState before, LeadCommand c, Rules rules) {
        Cause cause = new Cause(LeadTransition.SOURCE_IMPORT, c.actor(), c.why(), c.at(), c.commandId());
        switch (c.type()) {
            case LeadCommand.ERASE -> {
                return new Result(null, List.of(), List.of(), before != null);
            }
            case LeadCommand.IMPORT -> {
                ImportedLead row = c.imported();
                LeadState b = base(before);
                LeadState base = new LeadState(b.lead(), b.sessions(), b.older(), b.probability(), b.probabilityAt(), row,
                        b.recycledBy(), b.nextChange());
                return evaluate(leadId, before, base, rules, cause);
            }
            case LeadCommand.OVERRIDE, LeadCommand.LIFT -> {
                if (before == null || before.lead() == null) {
                    // no such lead (it was erased since): nothing to hold a value for
                    return Result.unchanged(before);
                }
                LeadState b = before;
                Map<String, LeadOverride> overrides = new LinkedHashMap<>(b.lead().overrides() == null ? Map.of() : b.lead().overrides());
                String previous = fieldOf(before.lead(), c.field()) == null ? null : fieldOf(before.lead(), c.field()).value();
                LeadOverride entry;
                if (c.type().equals(LeadCommand.OVERRIDE)) {
                    String value = canonical(c.field(), c.value());
                    entry = new LeadOverride(c.commandId(), leadId, c.field(), LeadOverride.SET, value, previous, c.actor(), c.why(), c.at());
                    overrides.put(c.field(), entry);
                } else {
                    LeadOverride lifted = overrides.remove(c.field());
                    if (lifted == null) {
                        return Result.unchanged(before);
                    }
                    entry = new LeadOverride(c.commandId(), leadId, c.field(), LeadOverride.LIFT, null, previous, c.actor(), c.why(), c.at());
                }
                Lead l = b.lead();
                Lead withOverrides = new Lead(l.leadId(), l.origin(), l.createdAt(), l.stage(), l.intentScore(), l.topSignals(),
                        l.engagementHealth(), l.nurtureTrack(), l.ownerTeam(), l.salesOwner(), Map.copyOf(overrides), l.signals(),
                        l.notes(), l.recycledBy(), l.rulesVersion(), l.evaluatedAt());
                LeadState base = new LeadState(withOverrides, b.sessions(), b.older(), b.probability(), b.probabilityAt(),
                        b.imported(), b.recycledBy(), b.nextChange());
                Result r = evaluate(leadId, before, base,
                        rules, new Cause(LeadTransition.SOURCE_OVERRIDE, c.actor(), c.why(), c.at(), c.commandId()));
                return new Result(r.after(), r.transitions(), List.of(entry), true);
            }
            default -> throw new IllegalArgumentException("unknown command type '" + c.type() + "'");
        }
    }

    /** A value as the field holds it: a stage by its label, a score as a whole number. */
    public static String canonical(String field, String value) {
        if (value == null) {
            throw new IllegalArgumentException(field + ": a value is required");
        }
        return switch (field) {
            case Lead.STAGE -> Stage.of(value).map(Stage::label)
                    .orElseThrow(() -> new IllegalArgumentException("stage must be one of " + String.join(", ", Stage.NAMES)));
            case Lead.INTENT_SCORE -> {
                int score;
                try {
                    score = Integer.parseInt(value.trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("intent_score must be a whole number from 0 to 100");
                }
                if (score < 0 || score > 100) {
                    throw new IllegalArgumentException("intent_score must be a whole number from 0 to 100");
                }
                yield String.valueOf(score);
            }
            case Lead.ENGAGEMENT_HEALTH -> List.of(Evaluator.ACTIVE, Evaluator.STALE, Evaluator.DORMANT).stream()
                    .filter(h -> h.equalsIgnoreCase(value.trim())).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("engagement_health must be Active, Stale or Dormant"));
            case Lead.NURTURE_TRACK, Lead.OWNER_TEAM, Lead.SALES_OWNER -> {
                String v = value.trim();
                if (v.isEmpty() || v.length() > 64) {
                    throw new IllegalArgumentException(field + " must be 1-64 characters");
                }
                yield v;
            }
            default -> throw new IllegalArgumentException("field must be one of " + String.join(", ", Lead.FIELDS));
        };
    }

    private static LeadState base(LeadState before) {
        if (before != null) {
            return before;
        }
        return new LeadState(null, Map.of(), SessionTally.zero(), null, null, null, null, null);
    }

    static LeadField fieldOf(Lead lead, String field) {
        if (lead == null) {
            return null;
        }
        return switch (field) {
            case Lead.STAGE -> lead.stage();
            case Lead.INTENT_SCORE -> lead.intentScore();
            case Lead.ENGAGEMENT_HEALTH -> lead.engagementHealth();
            case Lead.NURTURE_TRACK -> lead.nurtureTrack();
            case Lead.OWNER_TEAM -> lead.ownerTeam();
            case Lead.SALES_OWNER -> lead.salesOwner();
            default -> throw new IllegalArgumentException(field);
        };
    }

    /** The lead's signals: its sessions summed, the latest probability and what the import said. */
    static LeadSignals signals(LeadState s) {
        SessionTally total = s.older() == null ? SessionTally.zero() : s.older();
        for (SessionTally t : s.sessions().values()) {
            total = total.plus(t);
        }
        ImportedLead imp = s.imported();
        Instant lastEngaged = SessionTally.max(total.end(), imp == null ? null : imp.lastEngaged());
        return new LeadSignals(total.sessions(), total.pageViews(), total.productViews(), total.cartAdds(), total.checkouts(),
                total.purchases(), total.revenue() == null ? BigDecimal.ZERO : total.revenue(), s.probability(),
                imp == null ? null : imp.intentScore(), imp == null ? null : imp.funnelStage(), lastEngaged,
                imp == null ? null : imp.companySize(), imp != null && imp.source() != null ? imp.source() : total.utmSource(),
                imp == null ? null : imp.engagementChannel());
    }

    private static Result evaluate(String leadId, LeadState before, LeadState base, Rules rules, Cause cause) {
        return evaluate(leadId, before, base, rules, cause, signals(base), base.imported() == null ? null : base.imported().salesOwner());
    }

    /** Evaluates the lead as it was last published (its signals and sales owner as they stand). */
    private static Result evaluateAsPublished(String leadId, LeadState before, Rules rules, Cause cause) {
        Lead l = before.lead();
        return evaluate(leadId, before, before, rules, cause, l.signals(), l.salesOwner() == null ? null : l.salesOwner().computed());
    }

    private static Result evaluate(String leadId, LeadState before, LeadState base, Rules rules, Cause cause, LeadSignals signals,
                                   String salesOwner) {
        Lead old = before == null ? null : before.lead();
        Instant asOf = old == null || old.evaluatedAt() == null || cause.at().isAfter(old.evaluatedAt()) ? cause.at() : old.evaluatedAt();
        Map<String, LeadOverride> overrides = base.lead() == null || base.lead().overrides() == null ? Map.of() : base.lead().overrides();
        Map<String, String> overrideValues = new HashMap<>();
        overrides.forEach((f, o) -> overrideValues.put(f, o.value()));
        Instant createdAt = old != null && old.createdAt() != null ? old.createdAt() : createdAt(base, cause);
        Stage current = old == null || old.stage() == null ? null : Stage.of(old.stage().computed()).orElse(null);
        ImportedLead imp = base.imported();
        Evaluator.Evaluation e = Evaluator.evaluate(new Evaluator.Subject(signals, createdAt, current, base.recycledBy(),
                overrideValues, salesOwner), rules, asOf);

        List<LeadTransition> transitions = new ArrayList<>();
        Map<String, LeadField> fields = new HashMap<>();
        for (String field : Lead.FIELDS) {
            Evaluator.Outcome o = e.outcome(field);
            LeadField previous = fieldOf(old, field);
            LeadOverride override = overrides.get(field);
            String value = override != null ? override.value() : o.value();
            boolean changed = previous == null ? value != null : !Objects.equals(previous.value(), value);
            String source = changed ? cause.source() : previous == null ? cause.source() : previous.source();
            Instant since = changed || previous == null ? cause.at() : previous.since();
            LeadField f;
            if (override != null) {
                String reason = "override by " + override.by() + (override.why() == null ? "" : ": " + override.why())
                        + " (the rules give " + o.value() + ": " + o.reason() + ")";
                f = new LeadField(value, o.value(), reason, "override", rules.version(), changed ? cause.source() : source, since);
            } else {
                f = new LeadField(value, o.value(), o.reason(), o.ruleId(), rules.version(), source, since);
            }
            fields.put(field, f);
            if (changed) {
                transitions.add(transition(leadId, field, previous == null ? null : previous.value(), f, cause));
            }
        }
        String origin = origin(old, base);
        Lead lead = new Lead(leadId, origin, createdAt, fields.get(Lead.STAGE), fields.get(Lead.INTENT_SCORE), e.topSignals(),
                fields.get(Lead.ENGAGEMENT_HEALTH), fields.get(Lead.NURTURE_TRACK), fields.get(Lead.OWNER_TEAM),
                fields.get(Lead.SALES_OWNER), Map.copyOf(overrides), signals, imp != null ? imp.notes() : old == null ? null : old.notes(),
                e.recycledBy(), rules.version(), asOf);
        LeadState after = new LeadState(lead, Map.copyOf(base.sessions()), base.older(), base.probability(), base.probabilityAt(),
                base.imported(), e.recycledBy(), e.nextChange());
        boolean changed = before == null || !lead.equals(before.lead()) || !after.equals(before);
        return new Result(after, List.copyOf(transitions), List.of(), changed);
    }

    private static Instant createdAt(LeadState base, Cause cause) {
        if (base.imported() != null && base.imported().createdAt() != null) {
            return base.imported().createdAt();
        }
        Instant first = base.older() == null ? null : base.older().start();
        for (SessionTally t : base.sessions().values()) {
            first = SessionTally.min(first, t.start());
        }
        return first != null ? first : cause.at();
    }

    private static String origin(Lead old, LeadState base) {
        boolean stream = !base.sessions().isEmpty() || (base.older() != null && base.older().sessions() > 0)
                || (old != null && ("stream".equals(old.origin()) || "both".equals(old.origin())));
        boolean imported = base.imported() != null;
        return stream && imported ? "both" : imported ? "import" : "stream";
    }

    private static LeadTransition transition(String leadId, String field, String from, LeadField to, Cause cause) {
        String id = Secrets.sha256(String.join("\u001f", leadId, field, String.valueOf(from), String.valueOf(to.value()),
                cause.source(), cause.id(), String.valueOf(cause.at()))).substring(0, 32);
        return new LeadTransition(id, leadId, field, from, to.value(), to.reason(), to.ruleId(), to.ruleVersion(),
                cause.source(), cause.actor(), cause.why(), cause.at());
    }
}
