package io.funnelflow.aggregator.web;

import io.funnelflow.aggregator.downstream.DownstreamException;
import io.funnelflow.aggregator.query.BadParameterException;
import io.funnelflow.aggregator.query.NotFoundException;
import io.funnelflow.service.problem.Problems;
import io.funnelflow.service.store.DatabaseUnavailable;
import io.micronaut.context.annotation.Factory;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import org.zalando.problem.Problem;

import java.sql.SQLException;

/**
 * Errors as problems ({@link Problems}) with the parameter and the reason: 400 for a bad parameter, 404 for
 * an unknown name; 503 (with Retry-After) when PostgreSQL cannot answer a query now; 503 (with Retry-After)
 * or 502 naming the service when a service the aggregator passes requests to is away or failed.
 */
@Factory
public class ErrorHandlers {

    static final long DOWNSTREAM_RETRY_AFTER_SECONDS = 5;

    @Singleton
    ExceptionHandler<BadParameterException, HttpResponse<Problem>> badParameter() {
        return (request, e) -> Problems.of(HttpStatus.BAD_REQUEST, "invalid parameter")
                .reason(e.getMessage()).with("parameter", e.parameter()).response();
    }

    @Singleton
    ExceptionHandler<DownstreamException, HttpResponse<Problem>> downstream() {
        return (request, e) -> {
            Problems.Builder problem = e.status() == 503
                    ? Problems.unavailable("service unavailable", DOWNSTREAM_RETRY_AFTER_SECONDS)
                    : Problems.of(HttpStatus.valueOf(e.status()), "bad gateway");
            return problem.reason(e.getMessage()).with("service", e.service()).with("url", e.url()).response();
        };
    }

    /**
     * A query PostgreSQL could not answer now (unreachable, no free connection in the query pool, past the
     * statement timeout): 503 with Retry-After and the reason. Any other SQL failure is a genuine error.
     */
    @Singleton
    ExceptionHandler<SQLException, HttpResponse<Problem>> database() {
        return (request, e) -> DatabaseUnavailable.reason(e)
                .map(reason -> Problems.unavailable("service unavailable", DatabaseUnavailable.RETRY_AFTER_SECONDS).reason(reason))
                .orElseGet(() -> Problems.of(HttpStatus.INTERNAL_SERVER_ERROR, "internal error")
                        .reason("the query failed (SQLState " + e.getSQLState() + ")"))
                .response();
    }

    @Singleton
    ExceptionHandler<NotFoundException, HttpResponse<Problem>> notFound() {
        return (request, e) -> Problems.of(HttpStatus.NOT_FOUND, "not found")
                .reason(e.getMessage()).with("parameter", e.parameter()).response();
    }
}
