package io.funnelflow.contract.lead;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.time.Instant;

/**
 * An instruction to the lead lifecycle, on {@code funnelflow.crm.commands} keyed by lead id: an imported
 * row, an override set or lifted, or an erasure.
 *
 * @param commandId unique; transitions and log entries it causes are named after it, so that a replay changes nothing
 * @param type      {@code import}, {@code override}, {@code lift} or {@code erase}
 * @param at        when it was given: every change it causes happens at this moment
 * @param imported  the row, for {@code import}
 * @param field     the field, for {@code override} and {@code lift}
 * @param value     the value, for {@code override}
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LeadCommand(
        String commandId,
        String type,
        String leadId,
        Instant at,
        String actor,
        String why,
        ImportedLead imported,
        String field,
        String value) {

    public static final String IMPORT = "import";
    public static final String OVERRIDE = "override";
    public static final String LIFT = "lift";
    public static final String ERASE = "erase";
}
