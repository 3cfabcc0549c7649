package io.funnelflow.aggregator.privacy;

import io.funnelflow.aggregator.live.LiveFeed;
import io.funnelflow.contract.session.SessionSummary;

import java.util.List;
import java.util.Map;

/**
 * The live feed's rows of the person, taken out at once (the stream's tombstones on {@code funnelflow.sessions}
 * would take them out too, a moment later); every open dashboard is told by a {@code session_removed} event.
 */
public final class LiveFeedParticipant implements ErasureParticipant {

    private final LiveFeed feed;

    public LiveFeedParticipant(LiveFeed feed) {
        this.feed = feed;
    }

    @Override
    public String name() {
        return "live_feed";
    }

    @Override
    public int order() {
        return CACHES;
    }

    @Override
    public Object export(Person person) {
        List<SessionSummary> live = feed.sessionsOf(person.userId(), person.sessionKeys());
        return live.isEmpty() ? null : Map.of("sessions", live);
    }

    @Override
    public Map<String, Object> erase(Person person) {
        int removed = 0;
        for (SessionSummary s : feed.sessionsOf(person.userId(), person.sessionKeys())) {
            feed.onSession(s.sessionId(), null);
            removed++;
        }
        for (String id : person.sessionIds()) {
            if (feed.find(id).isPresent()) {
                feed.onSession(id, null);
                removed++;
            }
        }
        return Map.of("sessions", removed);
    }
}
