package io.funnelflow.contract.topic;

import io.funnelflow.contract.credential.Credential;
import io.funnelflow.contract.event.RejectedEvent;
import io.funnelflow.contract.event.TrackedEvent;
import io.funnelflow.contract.json.JsonSerde;
import io.funnelflow.contract.prediction.Prediction;
import io.funnelflow.contract.session.MinuteCount;
import io.funnelflow.contract.session.SessionSummary;
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

    /** Session summaries as they change, keyed by session id. */
    public static final Topic<String, SessionSummary> SESSIONS =
            new Topic<>("funnelflow.sessions", Serdes.String(), JsonSerde.of(SessionSummary.class));

    /** Predictions of live sessions, keyed by session id. */
    public static final Topic<String, Prediction> PREDICTIONS =
            new Topic<>("funnelflow.predictions", Serdes.String(), JsonSerde.of(Prediction.class));

    /** The aggregator's deduplicated events, keyed by session key: the raw events table is written from it. */
    public static final Topic<String, TrackedEvent> UNIQUE_EVENTS =
            new Topic<>("funnelflow.aggregator.unique-events", Serdes.String(), JsonSerde.of(TrackedEvent.class));

    /** One-minute counts per event type and dimensions, keyed by bucket; absolute values. */
    public static final Topic<String, MinuteCount> MINUTE_COUNTS =
            new Topic<>("funnelflow.aggregator.minute-counts", Serdes.String(), JsonSerde.of(MinuteCount.class));

    /** Events that came after their minute's window had closed, keyed by event id; counted beside the windows. */
    public static final Topic<String, TrackedEvent> LATE_EVENTS =
            new Topic<>("funnelflow.aggregator.late-events", Serdes.String(), JsonSerde.of(TrackedEvent.class));

    /**
     * API tokens and write keys (hashed), keyed by credential id; compacted, one partition, so that every
     * service reads the whole set into memory at start and follows creations and revocations.
     */
    public static final Topic<String, Credential> CREDENTIALS =
            new Topic<>("funnelflow.credentials", Serdes.String(), JsonSerde.of(Credential.class), 1,
                    Map.of("cleanup.policy", "compact", "min.compaction.lag.ms", "0"));

    public static final List<Topic<?, ?>> ALL = List.of(EVENTS, EVENTS_REJECTED, SESSIONS, PREDICTIONS,
            UNIQUE_EVENTS, MINUTE_COUNTS, LATE_EVENTS, CREDENTIALS);

    public static final int DEFAULT_PARTITIONS = 6;

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
