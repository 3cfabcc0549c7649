package io.funnelflow.service.security;

import io.funnelflow.contract.credential.Scope;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.util.AntPathMatcher;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.security.rules.SecurityRuleResult;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

import java.util.List;
import java.util.stream.Stream;

/**
 * The platform's access policy, the last rule asked: every request needs a token except the public
 * paths ({@code /health} everywhere, plus the service's {@code funnelflow.security.public-paths}); GET
 * and HEAD need {@code read}, every other method {@code admin}. A route that deviates says so with
 * {@code @Secured} on the route, which is asked first. So a route added later is protected without
 * anyone doing anything. Without a token the answer is 401; with a too-weak one, 403.
 */
@Singleton
public class AccessRule implements SecurityRule<HttpRequest<?>> {

    /** After Micronaut's own rules ({@code @Secured}, intercept-url-map, management endpoints). */
    public static final int ORDER = 1000;

    private static final AntPathMatcher PATHS = new AntPathMatcher();

    private final List<String> publicPaths;

    public AccessRule(@Value("${funnelflow.security.public-paths:}") List<String> publicPaths) {
        this.publicPaths = Stream.concat(Stream.of("/health", "/health/**"), publicPaths.stream().map(String::trim))
                .filter(p -> !p.isEmpty())
                .toList();
    }

    /** The scope a request of this method needs when its route says nothing else. */
    public static Scope required(HttpMethod method) {
        return method == HttpMethod.GET || method == HttpMethod.HEAD ? Scope.READ : Scope.ADMIN;
    }

    public boolean isPublic(String path) {
        return publicPaths.stream().anyMatch(p -> PATHS.matches(p, path));
    }

    @Override
    public Publisher<SecurityRuleResult> check(HttpRequest<?> request, Authentication authentication) {
        if (request == null) {
            return Mono.just(SecurityRuleResult.UNKNOWN);
        }
        if (isPublic(request.getPath())) {
            return Mono.just(SecurityRuleResult.ALLOWED);
        }
        if (authentication == null) {
            return Mono.just(SecurityRuleResult.REJECTED);
        }
        return Mono.just(authentication.getRoles().contains(required(request.getMethod()).role())
                ? SecurityRuleResult.ALLOWED : SecurityRuleResult.REJECTED);
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
