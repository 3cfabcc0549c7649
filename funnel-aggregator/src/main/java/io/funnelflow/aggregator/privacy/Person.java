package io.funnelflow.aggregator.privacy;

import java.util.List;

/**
 * Everything that identifies one person in our stores, found from their user id before anything is erased:
 * their sessions (those whose {@code user_id} or {@code user_ids} name them, and those of the session keys
 * their events carry), the sessions' keys and the anonymous ids of those sessions and events.
 *
 * @param truncated true when they have more sessions than one erasure takes ({@link PersonLocator#MAX_SESSIONS}):
 *                  erase again for the rest
 */
public record Person(String userId, List<String> sessionIds, List<String> sessionKeys, List<String> anonymousIds,
                     boolean truncated) {

    public Person {
        sessionIds = List.copyOf(sessionIds);
        sessionKeys = List.copyOf(sessionKeys);
        anonymousIds = List.copyOf(anonymousIds);
    }
}
