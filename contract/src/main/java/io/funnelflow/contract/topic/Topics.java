package io.funnelflow.contract.topic;

import io.funnelflow.contract.credential.Credential;
import io.funnelflow.contract.event.RejectedEvent;
import io.funnelflow.contract.event.TrackedEvent;
import io.funnelflow.contract.json.JsonSerde;
import io.funnelflow.contract.funnel.SavedFunnel;
import io.funnelflow.contract.lead.Lead;
import io.funnelflow.contract.lead.LeadCommand;
import io.funnelflow.contract.lead.LeadOverride;
import io.funnelflow.contract.lead.LeadTransition;
import io.funnelflow.contract.lead.RulesVersion;
import io.funnelflow.contract.prediction.Prediction;
import io.funnelflow.contract.privacy.Suppression;
import io.funnelflow.contract.session.Erasure;
import io.funnelflow.contract.session.LateEvent;
import io.funnelflow.contract.session.SessionSummary;
import io.funnelflow.contract.session.SessionTimeline;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.Serdes;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/** The typed registry of every topic of the platform. Keys are session ids unless said otherwise. */
public final class Topics {

    /** Accepted events, keyed by session key. */
    public static final Topic<String, TrackedEvent> EVENTS =
            new Topic<>("funnelflow.events", Serdes.String(), JsonSerde.of(TrackedEvent.class));

    /** Refused inputs with the reason, keyed by session key when known, else by event id. */
    public static final Topic<String, RejectedEvent> EVENTS_REJECTED =
            new Topic<>("funnelflow.events.rejected", Serdes.String(), JsonSerde.of(RejectedEvent.class));

    /**
     * Session summaries as they change, keyed by session id; compacted and deleted after {@link #SUMMARY_RETENTION_MS},
     * so that a tombstone (a merged or erased session) removes the session's summaries for good.
     */
    public static final Topic<String, SessionSummary> SESSIONS =
            new Topic<>("funnelflow.sessions", Serdes.String(), JsonSerde.of(SessionSummary.class), 0, Topics.compactedWithRetention());

    /** Predictions of live sessions, keyed by session id; compacted and deleted like {@link #SESSIONS}. */
    public static final Topic<String, Prediction> PREDICTIONS =
            new Topic<>("funnelflow.predictions", Serdes.String(), JsonSerde.of(Prediction.class), 0, Topics.compactedWithRetention());

    /** The aggregator's deduplicated events, keyed by session key: the raw events table is written from it. */
    public static final Topic<String, TrackedEvent> UNIQUE_EVENTS =
            new Topic<>("funnelflow.aggregator.unique-events", Serdes.String(), JsonSerde.of(TrackedEvent.class));

    /**
     * The aggregator's figures per bucket (funnels, sessions, events by hour and day, each stream
     * partition's share), keyed by bucket and partition; absolute values in a compact binary form,
     * written to PostgreSQL by the aggregator's sink. Internal to the aggregator.
     */
    public static final Topic<String, byte[]> AGGREGATES =
            new Topic<>("funnelflow.aggregator.aggregates", Serdes.String(), Serdes.ByteArray());

    /** Quiet sessions' ordered events, keyed by session id; compacted. */
    public static final Topic<String, SessionTimeline> SESSION_TIMELINES =
            new Topic<>("funnelflow.aggregator.session-timelines", Serdes.String(), JsonSerde.of(SessionTimeline.class),
                    Topic.COMPACTED);

    /** Events that arrived more than the grace period after their time, keyed by event id. Counted like any other. */
    public static final Topic<String, LateEvent> LATE_EVENTS =
            new Topic<>("funnelflow.aggregator.late-events", Serdes.String(), JsonSerde.of(LateEvent.class));

    /** Saved funnels, keyed by name; compacted, read by the stream as a table. */
    public static final Topic<String, SavedFunnel> FUNNELS =
            new Topic<>("funnelflow.funnels", Serdes.String(), JsonSerde.of(SavedFunnel.class), Topic.COMPACTED);

    /** Requests to forget a session key's state, keyed by session key (like the events). */
    public static final Topic<String, Erasure> ERASURES =
            new Topic<>("funnelflow.erasures", Serdes.String(), JsonSerde.of(Erasure.class));

    /**
     * API tokens and write keys (hashed), keyed by credential id; compacted, one partition, so that every
     * service reads the whole set into memory at start and follows creations and revocations.
     */
    public static final Topic<String, Credential> CREDENTIALS =
            new Topic<>("funnelflow.credentials", Serdes.String(), JsonSerde.of(Credential.class), 1,
                    Map.of("cleanup.policy", "compact", "min.compaction.lag.ms", "0"));

    /** Every change of a lead's stage, score, health, track or owner, keyed by lead id; a tombstone: the lead was erased. */
    public static final Topic<String, LeadTransition> LEAD_TRANSITIONS =
            new Topic<>("funnelflow.lead-transitions", Serdes.String(), JsonSerde.of(LeadTransition.class));

    /** Instructions to the lead lifecycle (imports, overrides, erasures), keyed by lead id. */
    public static final Topic<String, LeadCommand> CRM_COMMANDS =
            new Topic<>("funnelflow.crm.commands", Serdes.String(), JsonSerde.of(LeadCommand.class));

    /** The lead rules in force, one key; compacted, one partition, read by the lifecycle as a global table. */
    public static final Topic<String, RulesVersion> CRM_RULES =
            new Topic<>("funnelflow.crm.rules", Serdes.String(), JsonSerde.of(RulesVersion.class), 1,
                    Map.of("cleanup.policy", "compact", "min.compaction.lag.ms", "0"));

    /** Each lead as it stands, keyed by lead id; compacted; absolute values (a tombstone: erased). */
    public static final Topic<String, Lead> CRM_LEADS =
            new Topic<>("funnelflow.crm.leads", Serdes.String(), JsonSerde.of(Lead.class), 0,
                    Map.of("cleanup.policy", "compact"));

    /** The append-only log of overrides set and lifted, keyed by lead id. */
    public static final Topic<String, LeadOverride> CRM_OVERRIDES =
            new Topic<>("funnelflow.crm.overrides", Serdes.String(), JsonSerde.of(LeadOverride.class));

    /**
     * Erased people whose later events ingest does not publish, keyed by user id; compacted, one partition,
     * read whole into memory by every ingest instance (like the credentials).
     */
    public static final Topic<String, Suppression> SUPPRESSIONS =
            new Topic<>("funnelflow.suppressions", Serdes.String(), JsonSerde.of(Suppression.class), 1,
                    Map.of("cleanup.policy", "compact", "min.compaction.lag.ms", "0"));

    public static final List<Topic<?, ?>> ALL = List.of(EVENTS, EVENTS_REJECTED, SESSIONS, PREDICTIONS,
            UNIQUE_EVENTS, AGGREGATES, SESSION_TIMELINES, LATE_EVENTS, FUNNELS, ERASURES, CREDENTIALS, SUPPRESSIONS,
            LEAD_TRANSITIONS, CRM_COMMANDS, CRM_RULES, CRM_LEADS, CRM_OVERRIDES);

    public static final int DEFAULT_PARTITIONS = 6;

    /** How long the session summaries and predictions topics keep what compaction leaves: 30 days. */
    public static final long SUMMARY_RETENTION_MS = 30L * 24 * 60 * 60 * 1000;

    private static Map<String, String> compactedWithRetention() {
        return Map.of("cleanup.policy", "compact,delete", "retention.ms", String.valueOf(SUMMARY_RETENTION_MS));
    }

    private Topics() {
    }

    /**
     * Creates every topic of the registry that does not exist yet. Existing topics are left as they are.
     *
     * @return the names created
     */
    public static Set<String> ensureCreated(Admin admin, int partitions, short replicationFactor)
            throws InterruptedException, ExecutionException, TimeoutException {
        Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
        List<NewTopic> missing = ALL.stream()
                .filter(topic -> !existing.contains(topic.name()))
                .map(topic -> {
                    Map<String, String> configs = new java.util.HashMap<>(topic.configs());
                    configs.putIfAbsent("compression.type", "producer");
                    return new NewTopic(topic.name(), topic.partitions() > 0 ? topic.partitions() : partitions, replicationFactor)
                            .configs(configs);
                })
                .toList();
        try {
            admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
        return missing.stream().map(NewTopic::name).collect(Collectors.toSet());
    }

}
