package io.funnelflow.ingest.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.funnelflow.ingest.track.BodyRejectedException;
import io.funnelflow.ingest.track.IntakeResult;
import io.funnelflow.service.problem.Problems;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Outcomes into HTTP: problems ({@link Problems}) with field and reason for what the client can fix, 401 and
 * 429 with their headers, 503 with Retry-After when Kafka did not acknowledge — never a 2xx for an event Kafka
 * does not have.
 */
final class Responses {

    private static final Logger LOG = LoggerFactory.getLogger(Responses.class);
    static final int KAFKA_RETRY_AFTER_SECONDS = 5;

    private Responses() {
    }

    /**
     * One event sent alone, accepted — or suppressed (an erased person's: taken, and published nowhere).
     * {@code ok} and {@code id} repeat {@code success} and {@code event_id} in the words of the seed tracker's
     * API ({@code {"ok": true, "id": "…"}}).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record TrackAccepted(boolean success, String eventId, Boolean eventIdGenerated, boolean ok, String id, Integer suppressed) {
    }

    /**
     * A batch: how many were accepted, which were refused and why, the ids the server made, and how many were
     * suppressed (erased people's events, published nowhere; a success, so that the sender does not retry them).
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    record BatchAnswer(boolean success, int accepted, List<IntakeResult.Rejected> rejected, List<IntakeResult.Accepted> generatedIds,
                       Integer suppressed) {
    }

    static CompletableFuture<MutableHttpResponse<?>> answer(IngestMeters meters, Supplier<CompletableFuture<Outcome>> call,
                                                            Function<IntakeResult, MutableHttpResponse<?>> done) {
        CompletableFuture<Outcome> outcome;
        try {
            outcome = call.get();
        } catch (BodyRejectedException e) {
            meters.refused(e.tooLarge() ? "too_large" : "invalid_body");
            return CompletableFuture.completedFuture(bodyRejected(e));
        }
        return outcome.handle((o, error) -> {
            if (error != null) {
                meters.refused("unavailable");
                return unavailable(error instanceof CompletionException c && c.getCause() != null ? c.getCause() : error);
            }
            if (o instanceof Outcome.Unauthorized u) {
                meters.refused("unauthorized");
                return Problems.of(HttpStatus.UNAUTHORIZED, "unauthorized").reason(u.reason()).with("field", "write_key")
                        .header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"FunnelFlow\"").response();
            }
            if (o instanceof Outcome.RateLimited r) {
                meters.refused("rate_limited");
                long seconds = Math.max(1, (r.retryAfter().toMillis() + 999) / 1000);
                return Problems.of(HttpStatus.TOO_MANY_REQUESTS, "rate limited").retryAfter(seconds)
                        .reason(r.reason() + "; retry after " + seconds + " s").response();
            }
            IntakeResult result = ((Outcome.Done) o).result();
            meters.judged(result);
            return done.apply(result);
        });
    }

    /** A single event: 200 with its id, or 400 with field and reason. */
    static MutableHttpResponse<?> single(IntakeResult r) {
        if (!r.rejected().isEmpty()) {
            IntakeResult.Rejected x = r.rejected().get(0);
            return Problems.of(HttpStatus.BAD_REQUEST, "invalid event").reason(x.reason()).with("field", x.field())
                    .with("event_id", x.eventId()).response();
        }
        if (r.accepted().isEmpty()) {
            return HttpResponse.ok(new TrackAccepted(true, null, null, true, null, r.suppressed()));
        }
        IntakeResult.Accepted a = r.accepted().get(0);
        return HttpResponse.ok(new TrackAccepted(true, a.eventId(), a.generatedId() ? Boolean.TRUE : null, true, a.eventId(), null));
    }

    /**
     * A batch: 200 when every event was accepted, 207 when some were (each refused one listed), 400 when none
     * was — a problem that lists them the same way.
     */
    static MutableHttpResponse<?> batch(IntakeResult r) {
        if (r.accepted().isEmpty() && !r.rejected().isEmpty()) {
            int refused = r.rejected().size();
            return Problems.of(HttpStatus.BAD_REQUEST, "invalid events")
                    .reason(refused == 1 ? "the event is not valid: " + r.rejected().get(0).field() + " " + r.rejected().get(0).reason()
                            : "none of the " + refused + " events is valid; each is listed in rejected with its field and reason")
                    .with("success", false).with("accepted", 0).with("rejected", r.rejected())
                    .with("suppressed", r.suppressed() > 0 ? r.suppressed() : null).response();
        }
        List<IntakeResult.Accepted> generated = r.accepted().stream().filter(IntakeResult.Accepted::generatedId).toList();
        BatchAnswer body = new BatchAnswer(!r.accepted().isEmpty() || r.suppressed() > 0, r.accepted().size(), r.rejected(), generated,
                r.suppressed() > 0 ? r.suppressed() : null);
        return HttpResponse.status(r.rejected().isEmpty() ? HttpStatus.OK : HttpStatus.MULTI_STATUS).body(body);
    }

    static MutableHttpResponse<?> bodyRejected(BodyRejectedException e) {
        HttpStatus status = e.tooLarge() ? HttpStatus.REQUEST_ENTITY_TOO_LARGE : HttpStatus.BAD_REQUEST;
        return Problems.of(status, e.tooLarge() ? "too large" : "invalid request").reason(e.violation().reason())
                .with("field", e.violation().field()).response();
    }

    static MutableHttpResponse<?> unavailable(Throwable cause) {
        LOG.warn("Kafka did not acknowledge; answering 503: {}", cause.toString());
        return Problems.unavailable("event stream unavailable", KAFKA_RETRY_AFTER_SECONDS)
                .reason("Kafka did not acknowledge the events (" + cause.getClass().getSimpleName()
                        + "); retry the request: events with an event_id are counted once").response();
    }
}
