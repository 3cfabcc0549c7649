package io.funnelflow.service.problem;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.problem.HttpStatusType;
import org.zalando.problem.Problem;
import org.zalando.problem.ProblemBuilder;
import org.zalando.problem.ThrowableProblem;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The one error shape of every FunnelFlow service: an RFC 7807 {@code application/problem+json} body.
 *
 * <pre>{@code
 * {"type":"tag:funnelflow.io,2026:problem:invalid-parameter","title":"invalid parameter","status":400,
 *  "detail":"must be one of ordered, strict, any_order","parameter":"mode","reason":"must be one of ordered, strict, any_order"}
 * }</pre>
 *
 * <ul>
 *   <li>{@code title} is the short, fixed name of the kind of problem (what the bodies called {@code error}
 *       before) and {@code type} a stable identifier made from it: a tag URI (RFC 4151), a name that is
 *       never fetched.</li>
 *   <li>{@link Builder#reason} is what the client needs to know of this occurrence; it is written both as
 *       RFC 7807's {@code detail} and as our {@code reason} extension member, which clients already read.</li>
 *   <li>{@link Builder#with} adds extension members ({@code field}, {@code parameter}, {@code index},
 *       {@code event_id}, …); a null value is left out.</li>
 * </ul>
 *
 * A handler returns {@link Builder#response()}; code far from HTTP throws {@link Builder#exception()}.
 * Errors no handler knows become problems too, and a 5xx never carries the exception's message
 * ({@link PlatformProblems}).
 */
public final class Problems {

    /** The scheme and authority of our problem types: {@code type} is this followed by the title's slug. */
    public static final String TYPE_PREFIX = "tag:funnelflow.io,2026:problem:";

    /** Our extension member for the occurrence's reason (the same text as {@code detail}). */
    public static final String REASON = "reason";

    private Problems() {
    }

    /** A problem of this status, named by {@code title} (lower case, a few words, the same for every occurrence). */
    public static Builder of(HttpStatus status, String title) {
        return new Builder(status, title);
    }

    /** 503 with {@code Retry-After}: something the service needs is away; the same request may succeed later. */
    public static Builder unavailable(String title, long retryAfterSeconds) {
        return of(HttpStatus.SERVICE_UNAVAILABLE, title).retryAfter(retryAfterSeconds);
    }

    /** The type URI of a title: {@code "invalid parameter"} is {@code tag:funnelflow.io,2026:problem:invalid-parameter}. */
    public static URI type(String title) {
        String slug = title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
        return URI.create(TYPE_PREFIX + slug);
    }

    /** Builds one problem answer. */
    public static final class Builder {

        private final HttpStatus status;
        private final String title;
        private final ProblemBuilder problem;
        private final Map<String, String> headers = new LinkedHashMap<>();

        private Builder(HttpStatus status, String title) {
            this.status = Objects.requireNonNull(status);
            this.title = Objects.requireNonNull(title);
            this.problem = Problem.builder()
                    .withType(type(title))
                    .withTitle(title)
                    .withStatus(new HttpStatusType(status));
        }

        /** What went wrong this time and what to do about it: {@code detail}, and our {@code reason}. */
        public Builder reason(@Nullable String reason) {
            if (reason != null) {
                problem.withDetail(reason);
                problem.with(REASON, reason);
            }
            return this;
        }

        /** An extension member; left out when {@code value} is null. RFC 7807's own member names are refused. */
        public Builder with(String member, @Nullable Object value) {
            if (value != null) {
                problem.with(member, value);
            }
            return this;
        }

        /** A response header, such as {@code WWW-Authenticate}. */
        public Builder header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        /** {@code Retry-After} in whole seconds (at least 1). */
        public Builder retryAfter(long seconds) {
            return header(HttpHeaders.RETRY_AFTER, String.valueOf(Math.max(1, seconds)));
        }

        public HttpStatus status() {
            return status;
        }

        public String title() {
            return title;
        }

        /** The body alone. */
        public ThrowableProblem problem() {
            return problem.build();
        }

        /** The answer: this status, its headers and the problem, as {@code application/problem+json}. */
        public MutableHttpResponse<Problem> response() {
            MutableHttpResponse<Problem> response = HttpResponse.<Problem>status(status)
                    .contentType(MediaType.APPLICATION_JSON_PROBLEM_TYPE)
                    .body(problem());
            headers.forEach(response::header);
            return response;
        }

        /** The answer as an exception, for code that is not an HTTP handler; {@link ProblemExceptionHandler} answers it. */
        public ProblemException exception() {
            return new ProblemException(this);
        }
    }
}
