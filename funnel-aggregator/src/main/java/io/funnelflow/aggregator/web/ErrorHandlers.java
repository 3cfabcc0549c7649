package io.funnelflow.aggregator.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.funnelflow.aggregator.downstream.DownstreamException;
import io.funnelflow.aggregator.query.BadParameterException;
import io.funnelflow.aggregator.query.NotFoundException;
import io.micronaut.context.annotation.Factory;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/**
 * Errors as JSON with the parameter and the reason: 400 for a bad parameter, 404 for an unknown name;
 * 503 (with Retry-After) or 502 naming the service when a service the aggregator passes requests to is
 * away or failed.
 */
@Factory
public class ErrorHandlers {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Problem(String error, String parameter, String reason) {
    }

    @Singleton
    ExceptionHandler<BadParameterException, HttpResponse<Problem>> badParameter() {
        return (HttpRequest request, BadParameterException e) ->
                HttpResponse.<Problem>status(HttpStatus.BAD_REQUEST).body(new Problem("invalid parameter", e.parameter(), e.getMessage()));
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DownstreamProblem(String error, String service, String url, String reason) {
    }

    @Singleton
    ExceptionHandler<DownstreamException, HttpResponse<DownstreamProblem>> downstream() {
        return (HttpRequest request, DownstreamException e) -> {
            MutableHttpResponse<DownstreamProblem> response = HttpResponse.<DownstreamProblem>status(HttpStatus.valueOf(e.status()))
                    .body(new DownstreamProblem(e.status() == 503 ? "service unavailable" : "bad gateway", e.service(), e.url(), e.getMessage()));
            return e.status() == 503 ? response.header(HttpHeaders.RETRY_AFTER, "5") : response;
        };
    }

    @Singleton
    ExceptionHandler<NotFoundException, HttpResponse<Problem>> notFound() {
        return (HttpRequest request, NotFoundException e) ->
                HttpResponse.<Problem>status(HttpStatus.NOT_FOUND).body(new Problem("not found", e.parameter(), e.getMessage()));
    }
}
