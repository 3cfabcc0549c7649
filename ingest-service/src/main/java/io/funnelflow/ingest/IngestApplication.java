package io.funnelflow.ingest;

import io.micronaut.runtime.Micronaut;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;

/** The ingest service: tracked events in over HTTP, onto {@code funnelflow.events} once Kafka has them. */
@OpenAPIDefinition(info = @Info(title = "FunnelFlow ingest-service", version = "1",
        description = "Tracked events in: FunnelFlow's own API, the browser tracker's and the Segment-compatible one."))
public final class IngestApplication {

    private IngestApplication() {
    }

    public static void main(String[] args) {
        Micronaut.run(IngestApplication.class, args);
    }
}
