package io.funnelflow.prediction.web;

import io.funnelflow.prediction.ModelService;
import io.funnelflow.service.problem.Problems;
import io.funnelflow.service.store.DatabaseUnavailable;
import io.micronaut.context.annotation.Factory;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import org.zalando.problem.Problem;

/**
 * Errors as problems ({@link Problems}) with the field and the reason: 400 for a bad field, 409 while a
 * training run is under way, 503 with Retry-After while PostgreSQL cannot answer.
 */
@Factory
public class ErrorHandlers {

    @Singleton
    ExceptionHandler<BadFieldException, HttpResponse<Problem>> badField() {
        return (request, e) -> Problems.of(HttpStatus.BAD_REQUEST, "invalid field")
                .reason(e.getMessage()).with("field", e.field()).response();
    }

    /** PostgreSQL cannot answer now (unreachable, no free connection, past the statement timeout): 503 with Retry-After. */
    @Singleton
    ExceptionHandler<DatabaseUnavailable, HttpResponse<Problem>> database() {
        return (request, e) -> Problems.unavailable("service unavailable", DatabaseUnavailable.RETRY_AFTER_SECONDS)
                .reason(e.getMessage()).response();
    }

    @Singleton
    ExceptionHandler<ModelService.TrainingInProgressException, HttpResponse<Problem>> busy() {
        return (request, e) ->
                Problems.of(HttpStatus.CONFLICT, "training under way").reason(e.getMessage()).response();
    }
}
