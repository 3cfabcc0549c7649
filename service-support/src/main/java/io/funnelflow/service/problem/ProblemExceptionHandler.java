package io.funnelflow.service.problem;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import org.zalando.problem.Problem;

/** Answers a thrown {@link ProblemException} with the problem it carries. */
@Singleton
public class ProblemExceptionHandler implements ExceptionHandler<ProblemException, HttpResponse<Problem>> {

    @Override
    @SuppressWarnings("rawtypes") // the interface takes a raw HttpRequest
    public HttpResponse<Problem> handle(HttpRequest request, ProblemException exception) {
        return exception.response();
    }
}
