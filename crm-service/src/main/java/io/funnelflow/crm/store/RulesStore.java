package io.funnelflow.crm.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.funnelflow.contract.lead.Lead;
import io.funnelflow.contract.lead.RulesVersion;
import io.funnelflow.contract.topic.Topics;
import io.funnelflow.crm.rules.Rules;
import io.funnelflow.crm.rules.RulesPreview;
import io.funnelflow.service.problem.Problems;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Every version of the lead rules: kept in PostgreSQL ({@code crm_rules}), the one in force published on
 * the compacted {@code funnelflow.crm.rules}, which the lifecycle reads as a global table. Version 1 is
 * the default document, recorded at the first start.
 */
public final class RulesStore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RulesStore.class);
    /** At most this many leads are read for one preview. */
    public static final int PREVIEW_LIMIT = 200_000;

    private final DataSource dataSource;
    private final KafkaProducer<String, RulesVersion> producer;
    private final Clock clock;

    public RulesStore(DataSource dataSource, String bootstrap, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.CLIENT_ID_CONFIG, "crm-rules",
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000L),
                Topics.CRM_RULES.keySerde().serializer(), Topics.CRM_RULES.valueSerde().serializer());
    }

    /** Records the default document as version 1 when no version exists yet. */
    public void ensureDefault() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO crm_rules (version, document, applied_by, why, applied_at) "
                     + "VALUES (1, ?::jsonb, 'funnelflow', 'the default rules', ?) ON CONFLICT (version) DO NOTHING")) {
            ps.setString(1, CrmWriter.json(Rules.defaultDocument()));
            ps.setTimestamp(2, Timestamp.from(Instant.EPOCH));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw Database.unavailable(e);
        }
    }

    /** The version in force (the highest), with its document. */
    public RulesVersion active() {
        List<RulesVersion> v = versions(1, true);
        return v.isEmpty() ? new RulesVersion(1, Instant.EPOCH, "funnelflow", "the default rules", Rules.defaultDocument()) : v.get(0);
    }

    /** The latest versions, newest first (with their documents when asked). */
    public List<RulesVersion> versions(int limit, boolean documents) {
        List<RulesVersion> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT version, applied_at, applied_by, why, "
                     + (documents ? "document" : "NULL") + " FROM crm_rules ORDER BY version DESC LIMIT ?")) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String doc = rs.getString(5);
                    out.add(new RulesVersion(rs.getInt(1), rs.getTimestamp(2).toInstant(), rs.getString(3), rs.getString(4),
                            doc == null ? null : LeadQuery.read(doc, JsonNode.class)));
                }
            }
        } catch (SQLException e) {
            throw Database.unavailable(e);
        }
        return out;
    }

    /**
     * Applies a document as the next version: checked, kept, then published. A version that Kafka does not
     * take is removed again and answered 503; the previous one stays in force.
     */
    public synchronized RulesVersion apply(JsonNode document, String by, String why) {
        int version = active().version() + 1;
        Rules.parse(version, document);
        Instant at = clock.instant();
        RulesVersion v = new RulesVersion(version, at, by, why, document);
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "INSERT INTO crm_rules (version, document, applied_by, why, applied_at) VALUES (?, ?::jsonb, ?, ?, ?)")) {
            ps.setInt(1, version);
            ps.setString(2, CrmWriter.json(document));
            ps.setString(3, by);
            ps.setString(4, why);
            ps.setTimestamp(5, Timestamp.from(at));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw Database.unavailable(e);
        }
        try {
            producer.send(new ProducerRecord<>(Topics.CRM_RULES.name(), RulesVersion.ACTIVE, v)).get(15, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("Publishing rules version {} failed ({}); withdrawing it", version, e.toString());
            try (Connection c = dataSource.getConnection();
                 PreparedStatement ps = c.prepareStatement("DELETE FROM crm_rules WHERE version = ?")) {
                ps.setInt(1, version);
                ps.executeUpdate();
            } catch (SQLException gone) {
                LOG.error("Withdrawing rules version {} failed: {}", version, gone.toString());
            }
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw Problems.unavailable("event stream unavailable", 5)
                    .reason("Kafka did not take the new rules within 15 s; the rules in force are unchanged").exception();
        }
        return v;
    }

    /** What a document would change if applied now, over every lead (at most {@link #PREVIEW_LIMIT}). */
    public Map<String, Object> preview(JsonNode document) {
        Rules rules = Rules.parse(active().version() + 1, document);
        RulesPreview preview = new RulesPreview(rules, clock.instant());
        long read = 0;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("SELECT lead FROM leads ORDER BY lead_id LIMIT ?")) {
                ps.setFetchSize(500);
                ps.setInt(1, PREVIEW_LIMIT + 1);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next() && read < PREVIEW_LIMIT) {
                        preview.add(LeadQuery.read(rs.getString(1), Lead.class));
                        read++;
                    }
                    Map<String, Object> out = new LinkedHashMap<>(preview.result(!rs.next()));
                    c.commit();
                    return out;
                }
            }
        } catch (SQLException e) {
            throw Database.unavailable(e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
