package io.funnelflow.service.problem;

import io.micronaut.http.MutableHttpResponse;
import org.zalando.problem.Problem;

/**
 * A problem thrown where returning it is not possible; answered as it was built, headers included
 * ({@code Retry-After}, {@code WWW-Authenticate}). Made by {@link Problems.Builder#exception()}.
 */
public final class ProblemException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Problems.Builder problem;

    ProblemException(Problems.Builder problem) {
        // an expected answer, not a failure: no stack trace to fill
        super(problem.status().getCode() + " " + problem.title(), null, false, false);
        this.problem = problem;
    }

    public MutableHttpResponse<Problem> response() {
        return problem.response();
    }
}
