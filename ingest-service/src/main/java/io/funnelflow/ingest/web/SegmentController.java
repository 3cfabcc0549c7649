package io.funnelflow.ingest.web;

import io.funnelflow.ingest.segment.SegmentFormat;
import io.funnelflow.ingest.segment.SegmentFormat.Call;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.util.concurrent.CompletableFuture;

/**
 * The Segment HTTP tracking API, so that a site already instrumented with a Segment or RudderStack SDK
 * only changes its endpoint. Bodies may be gzip-compressed, as those SDKs send them, and are read as JSON
 * whatever their content type, as Segment's and RudderStack's own servers do (RudderStack's Node SDK
 * sends its gzipped batch as {@code application/x-www-form-urlencoded}).
 */
@Controller("/v1")
@ExecuteOn(TaskExecutors.BLOCKING)
public class SegmentController {

    private final Ingestion ingestion;
    private final IngestMeters meters;

    public SegmentController(Ingestion ingestion, IngestMeters meters) {
        this.ingestion = ingestion;
        this.meters = meters;
    }

    @Post(uri = "/batch", consumes = MediaType.ALL)
    CompletableFuture<MutableHttpResponse<?>> batch(HttpRequest<?> request, @Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
                                                    @Body byte[] body) {
        return Responses.answer(meters, () -> ingestion.ingest(request, authorization, body, SegmentFormat.BATCH), Responses::batch);
    }

    @Post(uri = "/import", consumes = MediaType.ALL)
    CompletableFuture<MutableHttpResponse<?>> importBatch(HttpRequest<?> request, @Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
                                                          @Body byte[] body) {
        return batch(request, authorization, body);
    }

    @Post(uri = "/track", consumes = MediaType.ALL)
    CompletableFuture<MutableHttpResponse<?>> track(HttpRequest<?> request, @Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization, @Body byte[] body) {
        return single(Call.TRACK, request, authorization, body);
    }

    @Post(uri = "/page", consumes = MediaType.ALL)
    CompletableFuture<MutableHttpResponse<?>> page(HttpRequest<?> request, @Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization, @Body byte[] body) {
        return single(Call.PAGE, request, authorization, body);
    }

    @Post(uri = "/screen", consumes = MediaType.ALL)
    CompletableFuture<MutableHttpResponse<?>> screen(HttpRequest<?> request, @Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization, @Body byte[] body) {
        return single(Call.SCREEN, request, authorization, body);
    }

    @Post(uri = "/identify", consumes = MediaType.ALL)
    CompletableFuture<MutableHttpResponse<?>> identify(HttpRequest<?> request, @Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization, @Body byte[] body) {
        return single(Call.IDENTIFY, request, authorization, body);
    }

    @Post(uri = "/alias", consumes = MediaType.ALL)
    CompletableFuture<MutableHttpResponse<?>> alias(HttpRequest<?> request, @Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization, @Body byte[] body) {
        return single(Call.ALIAS, request, authorization, body);
    }

    @Post(uri = "/group", consumes = MediaType.ALL)
    CompletableFuture<MutableHttpResponse<?>> group(HttpRequest<?> request, @Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization, @Body byte[] body) {
        return single(Call.GROUP, request, authorization, body);
    }

    private CompletableFuture<MutableHttpResponse<?>> single(Call call, HttpRequest<?> request, String authorization, byte[] body) {
        return Responses.answer(meters, () -> ingestion.ingest(request, authorization, body, SegmentFormat.single(call)), Responses::single);
    }
}
