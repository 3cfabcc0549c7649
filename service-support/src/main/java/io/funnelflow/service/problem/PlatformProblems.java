package io.funnelflow.service.problem;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.core.convert.exceptions.ConversionErrorException;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.problem.HttpStatusType;
import io.micronaut.problem.ProblemErrorResponseProcessor;
import io.micronaut.problem.conf.ProblemConfiguration;
import io.micronaut.web.router.exceptions.UnsatisfiedRouteException;
import jakarta.inject.Singleton;
import org.zalando.problem.Problem;
import org.zalando.problem.ProblemBuilder;
import org.zalando.problem.ThrowableProblem;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The problem for an error that no handler of ours turned into one: an unknown path (404), a method the
 * route does not take (405), JSON that does not parse, a missing or unconvertible parameter (400), an
 * unexpected exception (500).
 *
 * <p>{@code title} is the status's phrase ({@code type} stays {@code about:blank}, as RFC 7807 asks for
 * such problems). A 4xx says why, as {@code detail} and {@code reason}, and names the {@code parameter}
 * when the framework knows it. A 5xx says only that the service failed: never the exception's message,
 * its class, a stack trace or a URL — the failure itself is in the service's log.
 */
@Singleton
@Replaces(ProblemErrorResponseProcessor.class)
public class PlatformProblems extends ProblemErrorResponseProcessor {

    /** The {@code detail} of every 5xx no handler answered. */
    public static final String SERVER_FAILURE = "the service failed to answer this request; the failure is logged";

    private static final Pattern LOCATION = Pattern.compile("line: (\\d+), column: (\\d+)");

    public PlatformProblems(ProblemConfiguration config) {
        super(config);
    }

    /**
     * The problem itself as the body: the platform's mapper writes it with Jackson's problem module, which
     * never writes a stack trace (the module's own wrapper for that purpose is not Jackson-databind-safe).
     */
    @Override
    public MutableHttpResponse<Problem> processResponse(ErrorContext errorContext, MutableHttpResponse<?> baseResponse) {
        ThrowableProblem problem = errorContext.getRootCause()
                .filter(ThrowableProblem.class::isInstance).map(ThrowableProblem.class::cast)
                .orElseGet(() -> defaultProblem(errorContext, baseResponse.getStatus()));
        return baseResponse.contentType(MediaType.APPLICATION_JSON_PROBLEM_TYPE).body(problem);
    }

    @Override
    protected ThrowableProblem defaultProblem(ErrorContext errorContext, HttpStatus httpStatus) {
        ProblemBuilder problem = Problem.builder()
                .withStatus(new HttpStatusType(httpStatus))
                .withTitle(httpStatus.getReason());
        if (httpStatus.getCode() >= 500) {
            return problem.withDetail(SERVER_FAILURE).build();
        }
        Optional<String> message = errorContext.getErrors().stream().findFirst().map(Error::getMessage)
                .map(PlatformProblems::firstLine).filter(m -> !m.isBlank());
        message.ifPresent(m -> problem.withDetail(m).with(Problems.REASON, m));
        parameter(errorContext).ifPresent(name -> problem.with("parameter", name));
        return problem.build();
    }

    @Override
    protected boolean includeErrorMessage(ErrorContext errorContext) {
        return false;
    }

    /**
     * A parser's message without its source excerpt: {@code Invalid JSON: Unexpected end-of-input … (line 1,
     * column 6)} rather than Jackson's multi-line text.
     */
    static String firstLine(String message) {
        int newline = message.indexOf('\n');
        if (newline < 0) {
            return message.strip();
        }
        Matcher at = LOCATION.matcher(message);
        return message.substring(0, newline).strip() + (at.find() ? " (line " + at.group(1) + ", column " + at.group(2) + ")" : "");
    }

    private static Optional<String> parameter(ErrorContext errorContext) {
        return errorContext.getRootCause().map(cause -> {
            if (cause instanceof UnsatisfiedRouteException u) {
                return u.getArgument().getName();
            }
            if (cause instanceof ConversionErrorException c) {
                return c.getArgument().getName();
            }
            return null;
        });
    }
}
