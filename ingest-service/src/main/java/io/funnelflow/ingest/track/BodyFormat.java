package io.funnelflow.ingest.track;

import java.util.List;

/** Reads a request body of one format into its events. */
public interface BodyFormat {

    /** The top-level array that holds the events, or null when the body is one event. */
    String eventsField();

    /** The top-level fields that may carry the write key, by preference. */
    default List<String> writeKeyFields() {
        return List.of("write_key", "writeKey");
    }

    /**
     * @param json      the inflated body, within the size limit
     * @param maxEvents the most events a body may hold
     * @throws BodyRejectedException when the body cannot be taken at all
     */
    Envelope read(byte[] json, int maxEvents);
}
