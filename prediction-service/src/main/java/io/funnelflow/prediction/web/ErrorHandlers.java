package io.funnelflow.prediction.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.funnelflow.prediction.ModelService;
import io.micronaut.context.annotation.Factory;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/** Errors as JSON with the field and the reason: 400 for a bad field, 409 while a training run is under way. */
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

    @Singleton
    ExceptionHandler<ModelService.TrainingInProgressException, HttpResponse<Problem>> busy() {
        return (HttpRequest request, ModelService.TrainingInProgressException e) ->
                HttpResponse.<Problem>status(HttpStatus.CONFLICT).body(new Problem("training under way", null, e.getMessage()));
    }
}
