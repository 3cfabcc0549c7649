package io.funnelflow.aggregator.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.funnelflow.aggregator.query.BadParameterException;
import io.funnelflow.aggregator.query.NotFoundException;
import io.micronaut.context.annotation.Factory;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/** Query errors as JSON with the parameter and the reason: 400 for a bad parameter, 404 for an unknown name. */
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

    @Singleton
    ExceptionHandler<NotFoundException, HttpResponse<Problem>> notFound() {
        return (HttpRequest request, NotFoundException e) ->
                HttpResponse.<Problem>status(HttpStatus.NOT_FOUND).body(new Problem("not found", e.parameter(), e.getMessage()));
    }
}
