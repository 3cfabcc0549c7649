package io.funnelflow.contract.lead;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.time.Instant;

/**
 * One change of one field of a lead, as published on {@code funnelflow.lead-transitions} (keyed by lead id)
 * only when the field's value changed. A tombstone (null value) for a lead id means the lead was erased.
 *
 * @param transitionId a digest of what caused the change and what it was: a replay of the same input gives the same id
 * @param field        {@code stage}, {@code intent_score}, {@code engagement_health}, {@code nurture_track},
 *                     {@code owner_team} or {@code sales_owner}
 * @param from         the value before ({@code null} when the lead is new)
 * @param to           the value after
 * @param reason       why it has this value: the rule and the figures that met it, or the override
 * @param ruleId       the rule that set it ({@code override}, {@code import} when those did)
 * @param ruleVersion  the version of the rules document it was evaluated with
 * @param source       what caused it: {@code rule}, {@code override}, {@code decay} or {@code import}
 * @param actor        who: the person behind an override, import or rule change; {@code stream} or {@code clock} otherwise
 * @param why          the words the actor gave, if any
 * @param at           when it happened: the time of its cause (a session's last event, a command, the moment
 *                     a silence crossed its threshold), never the moment it was noticed
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LeadTransition(
        String transitionId,
        String leadId,
        String field,
        String from,
        String to,
        String reason,
        String ruleId,
        Integer ruleVersion,
        String source,
        String actor,
        String why,
        Instant at) {

    public static final String SOURCE_RULE = "rule";
    public static final String SOURCE_OVERRIDE = "override";
    public static final String SOURCE_DECAY = "decay";
    public static final String SOURCE_IMPORT = "import";
}
