package io.funnelflow.testing.problem;

import io.funnelflow.service.problem.Problems;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;

/**
 * Two routes that fail on purpose, in any service started by a test with {@link #ENABLED} set to true
 * (never otherwise): an unexpected exception whose message holds what must never reach a client, and a
 * dependency outage thrown the way service code throws one. {@link ProblemAssertions} checks the answers.
 */
@Controller(FailureRoutes.PATH)
@Requires(property = FailureRoutes.ENABLED, value = "true")
public class FailureRoutes {

    public static final String ENABLED = "funnelflow.test.failure-routes";
    public static final String PATH = "/test-failures";
    /** {@code GET} it: an unexpected exception, answered 500. */
    public static final String UNEXPECTED = PATH + "/unexpected";
    /** {@code GET} it: a dependency is away, answered 503 with {@code Retry-After: 5}. */
    public static final String UNAVAILABLE = PATH + "/unavailable";

    /** What the unexpected exception says: an internal address, a credential, a class — none may be answered. */
    static final String SECRET_MESSAGE = "could not reach jdbc:postgresql://10.9.8.7:5432/funnelflow?password=hunter2 "
            + "from io.funnelflow.internal.Store";

    @Get("/unexpected")
    String unexpected() {
        throw new IllegalStateException(SECRET_MESSAGE, new java.io.IOException("connection reset by 10.9.8.7"));
    }

    @Get("/unavailable")
    String unavailable() {
        throw Problems.unavailable("dependency unavailable", 5).reason("a dependency of this route is away; retry later").exception();
    }
}
