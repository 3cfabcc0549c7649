package io.funnelflow.contract.lead;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A lead as it stands, published on {@code funnelflow.crm.leads} (compacted, keyed by lead id) each time
 * it changes; a tombstone when it was erased. Absolute: the latest record of a lead replaces every earlier one.
 *
 * @param origin        {@code stream} (a shop customer), {@code import}, or {@code both}
 * @param overrides     the overrides in force, by field
 * @param rulesVersion  the rules version the lead was last evaluated with
 * @param evaluatedAt   the moment (of its causes, not of processing) it was last evaluated as of
 * @param notes         what an import said of it (call notes)
 * @param recycledBy    the recycle rule holding the lead at a lower stage, while it holds
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Lead(
        String leadId,
        String origin,
        Instant createdAt,
        LeadField stage,
        LeadField intentScore,
        List<ScoreContribution> topSignals,
        LeadField engagementHealth,
        LeadField nurtureTrack,
        LeadField ownerTeam,
        LeadField salesOwner,
        Map<String, LeadOverride> overrides,
        LeadSignals signals,
        String notes,
        String recycledBy,
        int rulesVersion,
        Instant evaluatedAt) {

    public static final String STAGE = "stage";
    public static final String INTENT_SCORE = "intent_score";
    public static final String ENGAGEMENT_HEALTH = "engagement_health";
    public static final String NURTURE_TRACK = "nurture_track";
    public static final String OWNER_TEAM = "owner_team";
    public static final String SALES_OWNER = "sales_owner";

    /** The fields that transitions and overrides name, in the order they are evaluated. */
    public static final List<String> FIELDS = List.of(STAGE, INTENT_SCORE, ENGAGEMENT_HEALTH, NURTURE_TRACK, OWNER_TEAM, SALES_OWNER);
}
