package io.funnelflow.prediction.features;

import io.funnelflow.contract.event.EventType;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Training examples from completed sessions, taken as the session stood at moments before its outcome:
 * a purchasing session is only ever seen before its first purchase, a session without one at any of
 * its events. Each snapshot is replayed from the events up to its moment and nothing after, so no
 * feature can carry what happened later. Which moments are taken is decided by a seed and the session
 * id, so the same history always gives the same training set.
 */
public final class Snapshots {

    private final int perSession;

    private final long seed;

    public Snapshots(int perSession, long seed) {
        if (perSession < 1) {
            throw new IllegalArgumentException("at least one snapshot per session");
        }
        this.perSession = perSession;
        this.seed = seed;
    }

    public int perSession() {
        return perSession;
    }

    /** A snapshot: the session as it stood, the visitor's history and whether the session went on to buy. */
    public record Snapshot(SessionState state, History history, boolean purchased) {

        public Features features() {
            return Features.of(state, history);
        }
    }

    /**
     * The snapshots of one completed session.
     *
     * @param events the session's events in time order
     */
    public List<Snapshot> of(String sessionId, String visitorId, String userId, History history, List<SessionEvent> events) {
        int outcome = events.size();
        for (int i = 0; i < events.size(); i++) {
            if (EventType.PURCHASE.wireName().equals(events.get(i).type())) {
                outcome = i;
                break;
            }
        }
        boolean purchased = outcome < events.size();
        // prefixes of 1 … outcome events: a purchase as the very first event leaves nothing to predict from
        List<Integer> lengths = pick(sessionId, outcome);
        List<Snapshot> out = new ArrayList<>(lengths.size());
        for (int length : lengths) {
            SessionState.Replay replay = new SessionState.Replay(sessionId, visitorId, userId);
            for (SessionEvent e : events.subList(0, length)) {
                replay.add(e);
            }
            out.add(new Snapshot(replay.state(), history, purchased));
        }
        return out;
    }

    /** Up to {@code perSession} distinct prefix lengths in 1 … max, chosen by seed and session. */
    List<Integer> pick(String sessionId, int max) {
        List<Integer> all = new ArrayList<>(max);
        for (int i = 1; i <= max; i++) {
            all.add(i);
        }
        if (max <= perSession) {
            return all;
        }
        SplittableRandom random = new SplittableRandom(seed ^ sessionId.hashCode() * 0x9E3779B97F4A7C15L);
        for (int i = 0; i < perSession; i++) {
            int j = i + random.nextInt(all.size() - i);
            Integer t = all.get(i);
            all.set(i, all.get(j));
            all.set(j, t);
        }
        List<Integer> chosen = new ArrayList<>(all.subList(0, perSession));
        chosen.sort(null);
        return chosen;
    }
}
