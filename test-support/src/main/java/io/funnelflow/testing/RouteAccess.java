package io.funnelflow.testing;

import io.micronaut.context.ApplicationContext;
import io.micronaut.core.util.AntPathMatcher;
import io.micronaut.http.HttpMethod;
import io.micronaut.security.annotation.Secured;
import io.micronaut.web.router.Router;
import io.micronaut.web.router.UriRouteInfo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks every route of a running service against the access policy, from the application's own
 * {@link Router}, so that a route added later is checked without anyone listing it: each one answers
 * 401 without a token and, when it needs {@code admin} (any method but GET/HEAD unless the route says
 * {@code @Secured("read")}, or a GET that says {@code @Secured("admin")}), 403 with a read token —
 * except the routes the test names public, which must answer without a token, and be exactly those.
 */
public final class RouteAccess {

    private static final AntPathMatcher PATHS = new AntPathMatcher();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** One route and what it answered. */
    public record Answer(String method, String path, int withoutToken, Integer withReadToken, boolean needsAdmin) {
    }

    private RouteAccess() {
    }

    /**
     * Asks every route of {@code context}'s router at {@code baseUrl}, once without a token and, for
     * admin routes, once with {@code readToken}. No route is ever called with a token that may run it.
     *
     * @param publicPaths Ant patterns of the paths that are public on this service
     * @return problems, one line each; empty when the service follows the policy
     */
    public static List<String> violations(ApplicationContext context, String baseUrl, String readToken, Set<String> publicPaths) {
        List<String> problems = new ArrayList<>();
        Set<String> publicSeen = new TreeSet<>();
        for (UriRouteInfo<?, ?> route : routes(context)) {
            HttpMethod method = route.getHttpMethod();
            String path = route.getUriMatchTemplate().expand(sample(route));
            String template = route.getUriMatchTemplate().toString();
            boolean isPublic = publicPaths.stream().anyMatch(p -> PATHS.matches(p, path));
            if (isPublic) {
                // what a public route answers is its own business (the intake's 401 is about write keys)
                publicSeen.add(method + " " + template);
                continue;
            }
            int anonymous = send(method, baseUrl + path, null);
            if (anonymous != 401) {
                problems.add(method + " " + template + " answered " + anonymous + " without a token (expected 401)");
            }
            if (needsAdmin(route)) {
                int read = send(method, baseUrl + path, readToken);
                if (read != 403) {
                    problems.add(method + " " + template + " needs admin but answered " + read + " to a read token (expected 403)");
                }
            }
        }
        if (publicSeen.isEmpty() && !publicPaths.isEmpty()) {
            problems.add("no route matched the public paths " + publicPaths);
        }
        return problems;
    }

    /** What {@code /health} answers with this token ({@code null}: none): status and body. */
    public static HttpResponse<String> health(String baseUrl, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + "/health")).timeout(Duration.ofSeconds(20));
        if (token != null) {
            request.header("Authorization", TestAccess.bearer(token));
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("GET " + baseUrl + "/health failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The public routes found, as {@code METHOD /template}: a test compares them with the documented list. */
    public static Set<String> publicRoutes(ApplicationContext context, Set<String> publicPaths) {
        Set<String> out = new TreeSet<>();
        for (UriRouteInfo<?, ?> route : routes(context)) {
            String path = route.getUriMatchTemplate().expand(sample(route));
            if (publicPaths.stream().anyMatch(p -> PATHS.matches(p, path))) {
                out.add(route.getHttpMethod() + " " + route.getUriMatchTemplate());
            }
        }
        return out;
    }

    /** Every route of the application, as its router has them. */
    public static List<UriRouteInfo<?, ?>> routes(ApplicationContext context) {
        Map<String, UriRouteInfo<?, ?>> distinct = new LinkedHashMap<>();
        context.getBean(Router.class).uriRoutes()
                .forEach(r -> distinct.putIfAbsent(r.getHttpMethod() + " " + r.getUriMatchTemplate(), r));
        return List.copyOf(distinct.values());
    }

    /** Whether the route needs {@code admin}: by its {@code @Secured}, else by its method. */
    public static boolean needsAdmin(UriRouteInfo<?, ?> route) {
        String[] secured = route.getAnnotationMetadata().stringValues(Secured.class);
        if (secured.length > 0) {
            return !Arrays.asList(secured).contains("read");
        }
        return route.getHttpMethod() != HttpMethod.GET && route.getHttpMethod() != HttpMethod.HEAD;
    }

    private static Map<String, Object> sample(UriRouteInfo<?, ?> route) {
        Map<String, Object> values = new LinkedHashMap<>();
        route.getUriMatchTemplate().getVariableNames().forEach(v -> values.put(v, "x"));
        return values;
    }

    /** The status of one request: JSON body {@code {}} for methods that carry one. */
    public static int send(HttpMethod method, String url, String token) {
        HttpRequest.BodyPublisher body = method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.DELETE
                || method == HttpMethod.OPTIONS
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString("{}");
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(20))
                .header("Accept", "application/json")
                .header("Content-Type", "application/json")
                .method(method.name(), body);
        if (token != null) {
            request.header("Authorization", TestAccess.bearer(token));
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + url + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
