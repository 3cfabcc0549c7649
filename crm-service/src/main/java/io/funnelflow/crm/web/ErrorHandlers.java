package io.funnelflow.crm.web;

import io.funnelflow.crm.imports.LeadCsv;
import io.funnelflow.crm.rules.RulesException;
import io.funnelflow.service.problem.Problems;
import io.micronaut.context.annotation.Factory;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import org.zalando.problem.Problem;

/** Errors as problems ({@link Problems}): 400 naming the parameter or field, 404 for an unknown lead, 413 for a file too large. */
@Factory
public class ErrorHandlers {

    @Singleton
    ExceptionHandler<BadInput, HttpResponse<Problem>> badInput() {
        return (request, e) -> Problems.of(HttpStatus.BAD_REQUEST, "invalid " + e.kind())
                .reason(e.getMessage()).with(e.kind(), e.name()).response();
    }

    @Singleton
    ExceptionHandler<RulesException, HttpResponse<Problem>> badRules() {
        return (request, e) -> Problems.of(HttpStatus.BAD_REQUEST, "invalid rules")
                .reason(e.getMessage()).with("field", e.field()).response();
    }

    @Singleton
    ExceptionHandler<NotFound, HttpResponse<Problem>> notFound() {
        return (request, e) -> Problems.of(HttpStatus.NOT_FOUND, "not found").reason(e.getMessage()).response();
    }

    @Singleton
    ExceptionHandler<LeadCsv.BadFileException, HttpResponse<Problem>> badFile() {
        return (request, e) -> e.tooLarge()
                ? Problems.of(HttpStatus.REQUEST_ENTITY_TOO_LARGE, "import too large").reason(e.getMessage()).response()
                : Problems.of(HttpStatus.BAD_REQUEST, "invalid import").reason(e.getMessage()).with("field", "body").response();
    }
}
