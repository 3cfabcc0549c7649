package io.funnelflow.aggregator.privacy;

import java.util.Map;

/**
 * One place that keeps something about a person, taking part in {@code DELETE /api/users/{id}} and
 * {@code GET /api/users/{id}/export}. {@link PersonalData} asks every participant in {@link #order()}, so
 * that a store is erased only after those that would bring the person back into it: the suppression list
 * first (no new events), then the stream (no new rows), then the tables and the other services, then caches.
 *
 * <p>A new store of personal data (a table, a service) takes part by adding one bean implementing this.
 * Both methods must be idempotent: an erasure that failed half-way is repeated as a whole.
 */
public interface ErasureParticipant {

    /** Suppression list. */
    int SUPPRESSION = 100;
    /** The stream's state. */
    int STREAM = 200;
    /** Tables and other services. */
    int STORES = 300;
    /** In-memory caches. */
    int CACHES = 400;

    /** Names the participant in the answers, e.g. {@code aggregator.tables}. */
    String name();

    /** When it is asked, lowest first: one of the constants above. */
    int order();

    /** What it keeps about the person, as JSON-writable values (maps, lists, records). */
    Object export(Person person) throws Exception;

    /** Forgets the person; answers what it erased (counts per kind, e.g. {@code {"events": 12}}). */
    Map<String, Object> erase(Person person) throws Exception;
}
