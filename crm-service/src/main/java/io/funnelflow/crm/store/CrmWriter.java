package io.funnelflow.crm.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.funnelflow.contract.json.Json;
import io.funnelflow.contract.lead.Lead;
import io.funnelflow.contract.lead.LeadField;
import io.funnelflow.contract.lead.LeadOverride;
import io.funnelflow.contract.lead.LeadTransition;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.List;

/**
 * Writes a batch in one transaction: erasures first, then leads (keyed upserts of absolute values),
 * transitions and override entries (inserted once by id). Writing the same batch twice leaves the
 * database as writing it once.
 */
public final class CrmWriter {

    /** Every table that holds something of a lead: what an erasure clears. */
    static final List<String> LEAD_TABLES = List.of("lead_transitions", "lead_overrides", "lead_notes", "lead_email_drafts", "leads");

    private static final String UPSERT_LEAD = """
            INSERT INTO leads (lead_id, origin, created_at, stage, computed_stage, stage_reason, stage_since, intent_score,
                engagement_health, nurture_track, owner_team, sales_owner, last_engaged, company_size, source, engagement_channel,
                rules_version, evaluated_at, lead, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, now())
            ON CONFLICT (lead_id) DO UPDATE SET origin = EXCLUDED.origin, created_at = EXCLUDED.created_at, stage = EXCLUDED.stage,
                computed_stage = EXCLUDED.computed_stage, stage_reason = EXCLUDED.stage_reason, stage_since = EXCLUDED.stage_since,
                intent_score = EXCLUDED.intent_score, engagement_health = EXCLUDED.engagement_health,
                nurture_track = EXCLUDED.nurture_track, owner_team = EXCLUDED.owner_team, sales_owner = EXCLUDED.sales_owner,
                last_engaged = EXCLUDED.last_engaged, company_size = EXCLUDED.company_size, source = EXCLUDED.source,
                engagement_channel = EXCLUDED.engagement_channel, rules_version = EXCLUDED.rules_version,
                evaluated_at = EXCLUDED.evaluated_at, lead = EXCLUDED.lead, updated_at = now()""";

    private static final String INSERT_TRANSITION = """
            INSERT INTO lead_transitions (transition_id, lead_id, field, from_value, to_value, reason, rule_id, rule_version,
                source, actor, why, at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (transition_id) DO NOTHING""";

    private static final String INSERT_OVERRIDE = """
            INSERT INTO lead_overrides (override_id, lead_id, field, action, value, previous, by_whom, why, at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (override_id) DO NOTHING""";

    private final DataSource dataSource;

    public CrmWriter(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void write(CrmBatch batch) throws SQLException {
        if (batch.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                erase(c, batch.erasedIds());
                upsertLeads(c, batch);
                insertTransitions(c, batch);
                insertOverrides(c, batch);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** Deletes everything kept of these leads; returns the rows deleted per table. */
    static java.util.Map<String, Integer> erase(Connection c, List<String> leadIds) throws SQLException {
        java.util.Map<String, Integer> deleted = new java.util.LinkedHashMap<>();
        if (leadIds.isEmpty()) {
            return deleted;
        }
        for (String table : LEAD_TABLES) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE lead_id = ANY (?)")) {
                ps.setArray(1, c.createArrayOf("text", leadIds.toArray()));
                deleted.put(table, ps.executeUpdate());
            }
        }
        return deleted;
    }

    private static void upsertLeads(Connection c, CrmBatch batch) throws SQLException {
        if (batch.leads.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(UPSERT_LEAD)) {
            for (Lead l : batch.leads.values()) {
                int i = 1;
                ps.setString(i++, l.leadId());
                ps.setString(i++, l.origin());
                ps.setTimestamp(i++, ts(l.createdAt()));
                ps.setString(i++, value(l.stage()));
                ps.setString(i++, l.stage().computed());
                ps.setString(i++, l.stage().reason());
                ps.setTimestamp(i++, ts(l.stage().since()));
                ps.setInt(i++, Integer.parseInt(value(l.intentScore())));
                ps.setString(i++, value(l.engagementHealth()));
                ps.setString(i++, value(l.nurtureTrack()));
                ps.setString(i++, value(l.ownerTeam()));
                ps.setString(i++, value(l.salesOwner()));
                ps.setTimestamp(i++, ts(l.signals().lastEngaged()));
                ps.setString(i++, l.signals().companySize());
                ps.setString(i++, l.signals().source());
                ps.setString(i++, l.signals().engagementChannel());
                ps.setInt(i++, l.rulesVersion());
                ps.setTimestamp(i++, ts(l.evaluatedAt()));
                ps.setString(i, json(l));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void insertTransitions(Connection c, CrmBatch batch) throws SQLException {
        if (batch.transitions.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(INSERT_TRANSITION)) {
            for (LeadTransition t : batch.transitions.values()) {
                int i = 1;
                ps.setString(i++, t.transitionId());
                ps.setString(i++, t.leadId());
                ps.setString(i++, t.field());
                ps.setString(i++, t.from());
                ps.setString(i++, t.to());
                ps.setString(i++, t.reason());
                ps.setString(i++, t.ruleId());
                if (t.ruleVersion() == null) {
                    ps.setNull(i++, Types.INTEGER);
                } else {
                    ps.setInt(i++, t.ruleVersion());
                }
                ps.setString(i++, t.source());
                ps.setString(i++, t.actor());
                ps.setString(i++, t.why());
                ps.setTimestamp(i, ts(t.at()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void insertOverrides(Connection c, CrmBatch batch) throws SQLException {
        if (batch.overrides.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(INSERT_OVERRIDE)) {
            for (LeadOverride o : batch.overrides.values()) {
                int i = 1;
                ps.setString(i++, o.overrideId());
                ps.setString(i++, o.leadId());
                ps.setString(i++, o.field());
                ps.setString(i++, o.action());
                ps.setString(i++, o.value());
                ps.setString(i++, o.previous());
                ps.setString(i++, o.by());
                ps.setString(i++, o.why());
                ps.setTimestamp(i, ts(o.at()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static String value(LeadField f) {
        return f == null ? null : f.value();
    }

    static String json(Object value) {
        try {
            return Json.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot be written as JSON", e);
        }
    }

    static Timestamp ts(Instant i) {
        return i == null ? null : Timestamp.from(i);
    }
}
