package io.funnelflow.ingest.web;

import io.funnelflow.ingest.segment.SegmentFormat;
import io.funnelflow.ingest.segment.SegmentFormat.Call;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
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
    CompletableFuture<MutableHttpResponse<?>> batch(@Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
                                                    @Body byte[] body) {
        return Responses.answer(meters, () -> ingestion.ingest(authorization, body, SegmentFormat.BATCH), Responses::batch);
    }

    @Post(uri = "/import", consumes = MediaType.ALL)
    CompletableFuture<MutableHttpResponse<?>> importBatch(@Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
                                                          @Body byte[] body) {
        return batch(authorization, body);
    }

    @Post(uri = "/track", consumes = MediaType.ALL)
    CompletableFuture<MutableHttpResponse<?>> track(@Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization, @Body byte[] body) {
        return single(Call.TRACK, authorization, body);
    }

    @Post(uri = "/page", consumes = MediaType.ALL)
    CompletableFuture<MutableHttpResponse<?>> page(@Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization, @Body byte[] body) {
        return single(Call.PAGE, authorization, body);
    }

    @Post(uri = "/screen", consumes = MediaType.ALL)
    CompletableFuture<MutableHttpResponse<?>> screen(@Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization, @Body byte[] body) {
        return single(Call.SCREEN, authorization, body);
    }

    @Post(uri = "/identify", consumes = MediaType.ALL)
    CompletableFuture<MutableHttpResponse<?>> identify(@Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization, @Body byte[] body) {
        return single(Call.IDENTIFY, authorization, body);
    }

    @Post(uri = "/alias", consumes = MediaType.ALL)
    CompletableFuture<MutableHttpResponse<?>> alias(@Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization, @Body byte[] body) {
        return single(Call.ALIAS, authorization, body);
    }

    @Post(uri = "/group", consumes = MediaType.ALL)
    CompletableFuture<MutableHttpResponse<?>> group(@Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization, @Body byte[] body) {
        return single(Call.GROUP, authorization, body);
    }

    private CompletableFuture<MutableHttpResponse<?>> single(Call call, String authorization, byte[] body) {
        return Responses.answer(meters, () -> ingestion.ingest(authorization, body, SegmentFormat.single(call)), Responses::single);
    }
}
