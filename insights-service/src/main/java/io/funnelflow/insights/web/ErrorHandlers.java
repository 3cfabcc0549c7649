package io.funnelflow.insights.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.funnelflow.insights.analyst.NotEnoughDataException;
import io.funnelflow.insights.metrics.BadInputException;
import io.micronaut.context.annotation.Factory;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.client.exceptions.HttpClientException;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/**
 * Errors as JSON with the field and the reason: 400 for bad input, 422 for a range too empty to
 * explain, 502 when the aggregator refuses a query, 503 with Retry-After when it cannot be reached.
 */
@Factory
public class ErrorHandlers {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Problem(String error, String field, String reason) {
    }

    @Singleton
    ExceptionHandler<BadInputException, HttpResponse<Problem>> badInput() {
        return (request, e) ->
                HttpResponse.<Problem>status(HttpStatus.BAD_REQUEST).body(new Problem("invalid request", e.field(), e.getMessage()));
    }

    @Singleton
    ExceptionHandler<NotEnoughDataException, HttpResponse<Problem>> notEnoughData() {
        return (request, e) ->
                HttpResponse.<Problem>status(HttpStatus.UNPROCESSABLE_ENTITY).body(new Problem("not enough data", null, e.getMessage()));
    }

    @Singleton
    ExceptionHandler<HttpClientException, HttpResponse<Problem>> aggregatorDown() {
        return (request, e) -> {
            if (e instanceof HttpClientResponseException r) {
                return HttpResponse.<Problem>status(HttpStatus.BAD_GATEWAY).body(new Problem("aggregator error", null,
                        "the aggregator answered " + r.getStatus().getCode() + ": " + r.getMessage()));
            }
            return HttpResponse.<Problem>status(HttpStatus.SERVICE_UNAVAILABLE).header("Retry-After", "5")
                    .body(new Problem("aggregator unavailable", null, "the aggregator cannot be reached: " + e.getMessage()));
        };
    }
}
