package io.funnelflow.ingest.privacy;

import io.funnelflow.contract.privacy.Suppression;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The erased people ingest knows of, from {@code funnelflow.suppressions}: an event is suppressed when its
 * user id is one of theirs or its anonymous id one of their anonymous ids. A tombstone for a user id lifts
 * their suppression. Switched off ({@link #off()}), nothing is suppressed.
 */
public final class SuppressionList {

    private final boolean enabled;
    private final Map<String, Suppression> byUser = new ConcurrentHashMap<>();
    /** anonymous id -> the user ids that suppress it (two people can share a browser) */
    private final Map<String, Set<String>> byAnonymousId = new ConcurrentHashMap<>();

    private SuppressionList(boolean enabled) {
        this.enabled = enabled;
    }

    public static SuppressionList on() {
        return new SuppressionList(true);
    }

    public static SuppressionList off() {
        return new SuppressionList(false);
    }

    public boolean enabled() {
        return enabled;
    }

    /** Takes one record of the topic: a suppression, or {@code null} (a tombstone) for {@code userId}. */
    public synchronized void apply(String userId, Suppression suppression) {
        if (userId == null) {
            return;
        }
        Suppression before = byUser.remove(userId);
        if (before != null) {
            for (String anonymousId : before.anonymousIds()) {
                byAnonymousId.computeIfPresent(anonymousId, (k, users) -> {
                    users.remove(userId);
                    return users.isEmpty() ? null : users;
                });
            }
        }
        if (suppression != null) {
            byUser.put(userId, suppression);
            for (String anonymousId : suppression.anonymousIds()) {
                byAnonymousId.computeIfAbsent(anonymousId, k -> ConcurrentHashMap.newKeySet()).add(userId);
            }
        }
    }

    /** Whether an event with this user id and anonymous id (either may be null) must not be published. */
    public boolean suppresses(String userId, String anonymousId) {
        if (!enabled) {
            return false;
        }
        return userId != null && byUser.containsKey(userId) || anonymousId != null && byAnonymousId.containsKey(anonymousId);
    }

    /** How many people are suppressed. */
    public int size() {
        return byUser.size();
    }
}
