package io.funnelflow.prediction.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.funnelflow.prediction.ModelService;
import io.funnelflow.service.store.DatabaseUnavailable;
import io.micronaut.context.annotation.Factory;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/**
 * Errors as JSON with the field and the reason: 400 for a bad field, 409 while a training run is under way,
 * 503 with Retry-After while PostgreSQL cannot answer.
 */
@Factory
public class ErrorHandlers {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Problem(String error, String field, String reason) {
    }

    @Singleton
    ExceptionHandler<BadFieldException, HttpResponse<Problem>> badField() {
        return (HttpRequest request, BadFieldException e) ->
                HttpResponse.<Problem>status(HttpStatus.BAD_REQUEST).body(new Problem("invalid field", e.field(), e.getMessage()));
    }

    /** PostgreSQL cannot answer now (unreachable, no free connection, past the statement timeout): 503 with Retry-After. */
    @Singleton
    ExceptionHandler<DatabaseUnavailable, HttpResponse<Problem>> database() {
        return (HttpRequest request, DatabaseUnavailable e) -> HttpResponse.<Problem>status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, String.valueOf(DatabaseUnavailable.RETRY_AFTER_SECONDS))
                .body(new Problem("service unavailable", null, e.getMessage()));
    }

    @Singleton
    ExceptionHandler<ModelService.TrainingInProgressException, HttpResponse<Problem>> busy() {
        return (HttpRequest request, ModelService.TrainingInProgressException e) ->
                HttpResponse.<Problem>status(HttpStatus.CONFLICT).body(new Problem("training under way", null, e.getMessage()));
    }
}
