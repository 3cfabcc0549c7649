package io.funnelflow.ingest;

import io.micronaut.runtime.Micronaut;

/** The ingest service: tracked events in over HTTP, onto {@code funnelflow.events} once Kafka has them. */
public final class IngestApplication {

    private IngestApplication() {
    }

    public static void main(String[] args) {
        Micronaut.run(IngestApplication.class, args);
    }
}
