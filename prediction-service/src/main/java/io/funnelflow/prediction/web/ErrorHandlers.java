package io.funnelflow.prediction.web;

import io.funnelflow.prediction.ModelService;
import io.funnelflow.service.problem.Problems;
import io.micronaut.context.annotation.Factory;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import org.zalando.problem.Problem;

/** Errors as problems ({@link Problems}) with the field and the reason: 400 for a bad field, 409 while a training run is under way. */
@Factory
public class ErrorHandlers {

    @Singleton
    ExceptionHandler<BadFieldException, HttpResponse<Problem>> badField() {
        return (request, e) -> Problems.of(HttpStatus.BAD_REQUEST, "invalid field")
                .reason(e.getMessage()).with("field", e.field()).response();
    }

    @Singleton
    ExceptionHandler<ModelService.TrainingInProgressException, HttpResponse<Problem>> busy() {
        return (request, e) ->
                Problems.of(HttpStatus.CONFLICT, "training under way").reason(e.getMessage()).response();
    }
}
