package io.funnelflow.aggregator.signin;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import io.micronaut.security.csrf.resolver.CsrfTokenResolver;
import io.micronaut.security.csrf.validator.CsrfTokenValidator;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Protects the dashboard's session against cross-site requests: a state-changing call (POST, PUT,
 * PATCH, DELETE) that is authenticated by the session cookie must carry the session's CSRF token in
 * {@code X-CSRF-TOKEN} (Micronaut Security's signed double-submit cookie: the token is the CSRF
 * cookie's value, which another site can neither read nor set). A call with an {@code Authorization}
 * header needs none: browsers never add that header by themselves, so it cannot be forged across
 * sites. Micronaut's own CSRF filter is off because it asks every request, bearer ones too.
 * A cross-site sign-in (a page elsewhere posting its own token to sign the user in as someone else)
 * is refused by its {@code Sec-Fetch-Site}.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class SessionCsrfFilter implements Ordered {

    private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS, HttpMethod.TRACE);

    private final String sessionCookie;
    private final List<CsrfTokenResolver<HttpRequest<?>>> resolvers;
    private final CsrfTokenValidator<HttpRequest<?>> validator;

    public SessionCsrfFilter(@Value("${micronaut.security.token.cookie.cookie-name:JWT}") String sessionCookie,
                             List<CsrfTokenResolver<HttpRequest<?>>> resolvers,
                             CsrfTokenValidator<HttpRequest<?>> validator) {
        this.sessionCookie = sessionCookie;
        this.resolvers = resolvers;
        this.validator = validator;
    }

    @RequestFilter
    @Nullable
    HttpResponse<?> check(HttpRequest<?> request) {
        if (SAFE.contains(request.getMethod())) {
            return null;
        }
        if ("/signin".equals(request.getPath())) {
            boolean crossSite = request.getHeaders().get("Sec-Fetch-Site", String.class).map("cross-site"::equalsIgnoreCase).orElse(false);
            return crossSite ? forbidden("signing in from another site is not allowed") : null;
        }
        if (request.getHeaders().contains(HttpHeaders.AUTHORIZATION) || request.getCookies().findCookie(sessionCookie).isEmpty()) {
            return null;
        }
        Optional<String> token = resolvers.stream().map(r -> r.resolveToken(request)).flatMap(Optional::stream).findFirst();
        if (token.isPresent() && validator.validateCsrfToken(request, token.get())) {
            return null;
        }
        return forbidden("a change made with the dashboard's session must carry its X-CSRF-TOKEN (see GET /api/session)");
    }

    private static HttpResponse<?> forbidden(String reason) {
        return HttpResponse.status(io.micronaut.http.HttpStatus.FORBIDDEN)
                .contentType(MediaType.APPLICATION_JSON_TYPE)
                .body(Map.of("error", "forbidden", "reason", reason));
    }

    @Override
    public int getOrder() {
        // after the security filter: a call without a valid session is refused for that first
        return ServerFilterPhase.SECURITY.order() + 100;
    }
}
