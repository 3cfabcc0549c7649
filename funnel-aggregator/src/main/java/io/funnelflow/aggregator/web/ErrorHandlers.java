package io.funnelflow.aggregator.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.funnelflow.aggregator.downstream.DownstreamException;
import io.funnelflow.aggregator.query.BadParameterException;
import io.funnelflow.aggregator.query.NotFoundException;
import io.funnelflow.service.store.DatabaseUnavailable;
import io.micronaut.context.annotation.Factory;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

import java.sql.SQLException;

/**
 * Errors as JSON with the parameter and the reason: 400 for a bad parameter, 404 for an unknown name;
 * 503 (with Retry-After) when PostgreSQL cannot answer a query now; 503 (with Retry-After) or 502 naming
 * the service when a service the aggregator passes requests to is away or failed.
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

    /**
     * A query PostgreSQL could not answer now (unreachable, no free connection in the query pool, past the
     * statement timeout): 503 with Retry-After and the reason. Any other SQL failure is a genuine error.
     */
    @Singleton
    ExceptionHandler<SQLException, HttpResponse<Problem>> database() {
        return (HttpRequest request, SQLException e) -> DatabaseUnavailable.reason(e)
                .map(reason -> HttpResponse.<Problem>status(HttpStatus.SERVICE_UNAVAILABLE)
                        .header(HttpHeaders.RETRY_AFTER, String.valueOf(DatabaseUnavailable.RETRY_AFTER_SECONDS))
                        .body(new Problem("service unavailable", null, reason)))
                .orElseGet(() -> HttpResponse.<Problem>status(HttpStatus.INTERNAL_SERVER_ERROR)
                        .body(new Problem("internal error", null, "the query failed (SQLState " + e.getSQLState() + ")")));
    }

    @Singleton
    ExceptionHandler<NotFoundException, HttpResponse<Problem>> notFound() {
        return (HttpRequest request, NotFoundException e) ->
                HttpResponse.<Problem>status(HttpStatus.NOT_FOUND).body(new Problem("not found", e.parameter(), e.getMessage()));
    }
}
