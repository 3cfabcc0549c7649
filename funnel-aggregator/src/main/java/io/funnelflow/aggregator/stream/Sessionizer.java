package io.funnelflow.aggregator.stream;

import io.funnelflow.aggregator.session.SessionBuilder;
import io.funnelflow.aggregator.session.Timeline;
import io.funnelflow.aggregator.session.TimelineEvent;
import io.funnelflow.contract.event.TrackedEvent;
import io.funnelflow.contract.session.SessionSummary;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps every session key's events in event-time order and publishes each session whose summary
 * changed, keyed by session id, with a tombstone for a session that ceased to exist (a late event
 * merged it into its neighbour). Events may arrive in any order: the sessions are a function of the
 * set of events, not of their arrival.
 *
 * <p>Two wall-clock chores: once a minute, sessions quiet for the inactivity gap are published once
 * more as closed; once an hour, keys idle for the retention period are forgotten.
 */
final class Sessionizer implements Processor<String, TrackedEvent, String, SessionSummary> {

    static final String TIMELINES = "session-timelines";
    static final String OPEN = "open-session-keys";

    private final SessionBuilder builder;
    private final long idleRetentionMillis;
    private ProcessorContext<String, SessionSummary> context;
    private KeyValueStore<String, Timeline> timelines;
    private KeyValueStore<String, Long> open;

    Sessionizer(StreamSettings settings) {
        this.builder = new SessionBuilder(settings.inactivityGap());
        this.idleRetentionMillis = settings.idleRetention().toMillis();
    }

    @Override
    public void init(ProcessorContext<String, SessionSummary> context) {
        this.context = context;
        this.timelines = context.getStateStore(TIMELINES);
        this.open = context.getStateStore(OPEN);
        context.schedule(Duration.ofMinutes(1), PunctuationType.WALL_CLOCK_TIME, this::closeQuietSessions);
        context.schedule(Duration.ofHours(1), PunctuationType.WALL_CLOCK_TIME, this::forgetIdleKeys);
    }

    @Override
    public void process(Record<String, TrackedEvent> record) {
        TrackedEvent event = record.value();
        String key = event.sessionKey();
        long now = context.currentSystemTimeMs();
        Timeline before = timelines.get(key);
        if (before == null) {
            before = Timeline.empty();
        }
        Timeline after = before.with(TimelineEvent.of(event), now);
        if (after == before) {
            return;
        }
        timelines.put(key, after);
        List<SessionSummary> sessions = builder.sessions(key, after, now);
        publishChanges(builder.sessions(key, before, now), sessions, record.timestamp());
        SessionSummary last = sessions.get(sessions.size() - 1);
        if (!last.closed()) {
            open.put(key, last.end().toEpochMilli());
        }
    }

    private void publishChanges(List<SessionSummary> before, List<SessionSummary> after, long timestamp) {
        Map<String, SessionSummary> previous = new HashMap<>();
        before.forEach(s -> previous.put(s.sessionId(), s));
        for (SessionSummary s : after) {
            if (!s.equals(previous.remove(s.sessionId()))) {
                context.forward(new Record<>(s.sessionId(), s, timestamp));
            }
        }
        for (String gone : previous.keySet()) {
            context.forward(new Record<>(gone, null, timestamp));
        }
    }

    private void closeQuietSessions(long now) {
        List<String> quiet = new ArrayList<>();
        try (KeyValueIterator<String, Long> it = open.all()) {
            while (it.hasNext()) {
                KeyValue<String, Long> entry = it.next();
                if (builder.closed(entry.value, now)) {
                    quiet.add(entry.key);
                }
            }
        }
        for (String key : quiet) {
            open.delete(key);
            Timeline timeline = timelines.get(key);
            if (timeline != null && !timeline.events().isEmpty()) {
                List<SessionSummary> sessions = builder.sessions(key, timeline, now);
                SessionSummary last = sessions.get(sessions.size() - 1);
                context.forward(new Record<>(last.sessionId(), last, now));
            }
        }
    }

    private void forgetIdleKeys(long now) {
        List<String> idle = new ArrayList<>();
        try (KeyValueIterator<String, Timeline> it = timelines.all()) {
            while (it.hasNext()) {
                KeyValue<String, Timeline> entry = it.next();
                if (now - entry.value.touchedAt() > idleRetentionMillis) {
                    idle.add(entry.key);
                }
            }
        }
        idle.forEach(timelines::delete);
    }
}
