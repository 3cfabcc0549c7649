package io.funnelflow.crm.genai;

import com.fasterxml.jackson.databind.JsonNode;
import io.funnelflow.contract.json.Json;
import io.funnelflow.service.problem.Problems;

import javax.sql.DataSource;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Call notes with their pain point, and e-mail drafts with their status, in PostgreSQL. */
public final class NotesStore {

    private final DataSource dataSource;

    public NotesStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void addNote(String id, String leadId, String notes, String summary, JsonNode analyst, String by, Instant at) {
        update("INSERT INTO lead_notes (note_id, lead_id, notes, summary, analyst, created_by, created_at) VALUES (?, ?, ?, ?, ?::jsonb, ?, ?)",
                id, leadId, notes, summary, analyst.toString(), by, Timestamp.from(at));
    }

    public void addDraft(String id, String leadId, String subject, String body, JsonNode analyst, String by, Instant at) {
        update("INSERT INTO lead_email_drafts (draft_id, lead_id, subject, body, analyst, status, created_by, created_at) "
                + "VALUES (?, ?, ?, ?, ?::jsonb, 'draft', ?, ?)", id, leadId, subject, body, analyst.toString(), by, Timestamp.from(at));
    }

    /** Approves a draft; false when it is not a draft (any more). */
    public boolean approve(String leadId, String draftId, String by, Instant at) {
        return update("UPDATE lead_email_drafts SET status = 'approved', approved_by = ?, approved_at = ? "
                + "WHERE lead_id = ? AND draft_id = ? AND status = 'draft'", by, Timestamp.from(at), leadId, draftId) == 1;
    }

    /** The latest pain point of a lead. */
    public Optional<String> latestSummary(String leadId) {
        List<Map<String, Object>> rows = rows("SELECT summary FROM lead_notes WHERE lead_id = ? ORDER BY created_at DESC LIMIT 1", leadId);
        return rows.stream().findFirst().map(r -> (String) r.get("summary"));
    }

    public List<Map<String, Object>> notes(String leadId, int limit) {
        return rows("SELECT note_id, notes, summary, analyst, created_by, created_at FROM lead_notes WHERE lead_id = ? "
                + "ORDER BY created_at DESC LIMIT " + limit, leadId);
    }

    public List<Map<String, Object>> drafts(String leadId, int limit) {
        return rows("SELECT draft_id, subject, body, analyst, status, created_by, created_at, approved_by, approved_at "
                + "FROM lead_email_drafts WHERE lead_id = ? ORDER BY created_at DESC LIMIT " + limit, leadId);
    }

    public Optional<Map<String, Object>> draft(String leadId, String draftId) {
        return rows("SELECT draft_id, subject, body, analyst, status, created_by, created_at, approved_by, approved_at "
                + "FROM lead_email_drafts WHERE lead_id = ? AND draft_id = ?", leadId, draftId).stream().findFirst();
    }

    private int update(String sql, Object... args) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw Problems.unavailable("database unavailable", 5).reason("PostgreSQL did not take the write; retry later").exception();
        }
    }

    private List<Map<String, Object>> rows(String sql, Object... args) {
        List<Map<String, Object>> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= n; i++) {
                        Object v = rs.getObject(i);
                        if (v instanceof Timestamp t) {
                            v = t.toInstant();
                        } else if (v != null && rs.getMetaData().getColumnTypeName(i).equals("jsonb")) {
                            v = Json.mapper().readTree(v.toString());
                        }
                        row.put(rs.getMetaData().getColumnLabel(i), v);
                    }
                    out.add(row);
                }
            }
        } catch (SQLException | IOException e) {
            throw Problems.unavailable("database unavailable", 5).reason("PostgreSQL did not answer the query; retry later").exception();
        }
        return out;
    }
}
