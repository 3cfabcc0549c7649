package io.funnelflow.ingest.web;

import io.funnelflow.ingest.track.TrackFormat;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.util.concurrent.CompletableFuture;

/** FunnelFlow's own tracking API, used by our JS tracker and the simulator. */
@Controller("/api")
@ExecuteOn(TaskExecutors.BLOCKING)
public class TrackController {

    private final Ingestion ingestion;
    private final IngestMeters meters;

    public TrackController(Ingestion ingestion, IngestMeters meters) {
        this.ingestion = ingestion;
        this.meters = meters;
    }

    /** One event. text/plain is taken too: that is what navigator.sendBeacon sends without a CORS preflight. */
    @Post(uri = "/track", consumes = {MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN})
    CompletableFuture<MutableHttpResponse<?>> track(HttpRequest<?> request, @Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
                                                    @Body byte[] body) {
        return Responses.answer(meters, () -> ingestion.ingest(request, authorization, body, TrackFormat.SINGLE), Responses::single);
    }

    /** {@code {"events": [...]}}, at most 500 events and 1 MiB; each event is judged on its own. */
    @Post(uri = "/batch", consumes = {MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN})
    CompletableFuture<MutableHttpResponse<?>> batch(HttpRequest<?> request, @Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
                                                    @Body byte[] body) {
        return Responses.answer(meters, () -> ingestion.ingest(request, authorization, body, TrackFormat.BATCH_FORMAT), Responses::batch);
    }
}
