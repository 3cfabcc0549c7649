package io.funnelflow.insights.web;

import io.funnelflow.insights.analyst.NotEnoughDataException;
import io.funnelflow.insights.metrics.BadInputException;
import io.funnelflow.service.problem.Problems;
import io.micronaut.context.annotation.Factory;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.client.exceptions.HttpClientException;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import org.zalando.problem.Problem;

/**
 * Errors as problems ({@link Problems}) with the field and the reason: 400 for bad input, 422 for a range
 * too empty to explain, 502 when the aggregator refuses a query, 503 with Retry-After when it cannot be reached.
 */
@Factory
public class ErrorHandlers {

    static final long AGGREGATOR_RETRY_AFTER_SECONDS = 5;

    @Singleton
    ExceptionHandler<BadInputException, HttpResponse<Problem>> badInput() {
        return (request, e) -> Problems.of(HttpStatus.BAD_REQUEST, "invalid request")
                .reason(e.getMessage()).with("field", e.field()).response();
    }

    @Singleton
    ExceptionHandler<NotEnoughDataException, HttpResponse<Problem>> notEnoughData() {
        return (request, e) -> Problems.of(HttpStatus.UNPROCESSABLE_ENTITY, "not enough data").reason(e.getMessage()).response();
    }

    @Singleton
    ExceptionHandler<HttpClientException, HttpResponse<Problem>> aggregatorDown() {
        return (request, e) -> {
            if (e instanceof HttpClientResponseException r) {
                return Problems.of(HttpStatus.BAD_GATEWAY, "aggregator error")
                        .reason("the aggregator answered " + r.getStatus().getCode() + ": " + r.getMessage()).response();
            }
            return Problems.unavailable("aggregator unavailable", AGGREGATOR_RETRY_AFTER_SECONDS)
                    .reason("the aggregator cannot be reached: " + e.getMessage()).response();
        };
    }
}
