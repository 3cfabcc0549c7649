package io.funnelflow.ingest.track;

/** Reads a request body of one format into its events. */
@FunctionalInterface
public interface BodyFormat {

    /**
     * @throws BodyRejectedException when the body cannot be taken at all
     */
    Envelope read(byte[] body, int maxBytes, int maxEvents);
}
