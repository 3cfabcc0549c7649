package io.funnelflow.testing.docs;

import com.fasterxml.jackson.databind.JsonNode;
import io.funnelflow.contract.json.Json;
import io.funnelflow.testing.TestAccess;
import io.funnelflow.testing.problem.FailureRoutes;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.web.router.Router;
import io.micronaut.web.router.UriRouteInfo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks a running service's API documentation against the service itself: the OpenAPI document at
 * {@link #DOCUMENT} names exactly the routes of the application's router (a route added later and not
 * documented, or a documented one that is gone, fails), and the UI at {@link #UI} loads everything it
 * needs from the service (nothing from a CDN).
 */
public final class ApiDocsAssertions {

    /** The OpenAPI 3 document of every service. */
    public static final String DOCUMENT = "/docs/openapi.json";
    /** The Swagger UI of every service. */
    public static final String UI = "/docs/";

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
    /** What a page loads: src and href attributes, and the paths Swagger UI's page builds in script ({@code contextPath + "/…"}). */
    private static final Pattern ASSET = Pattern.compile("(?:src|href)=\"([^\"]+)\"|contextPath \\+ ['\"]([^'\"]+)['\"]");
    private static final Pattern REMOTE = Pattern.compile("(?:src|href)=\"(?:https?:)?//|['\"]https?://");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private ApiDocsAssertions() {
    }

    /** Every route of the router is in the document, and every documented operation is a route. */
    public static JsonNode assertEveryRouteIsDocumented(EmbeddedServer server) {
        HttpResponse<String> response = get(server, DOCUMENT);
        assertThat(response.statusCode()).as(DOCUMENT).isEqualTo(200);
        JsonNode document = read(response.body());
        assertThat(document.path("openapi").asText()).as("OpenAPI version").startsWith("3.");

        Set<String> routes = server.getApplicationContext().getBean(Router.class).uriRoutes()
                .filter(route -> !route.getUriMatchTemplate().toPathString().startsWith(FailureRoutes.PATH))
                .map(ApiDocsAssertions::operation)
                .collect(Collectors.toCollection(TreeSet::new));
        // the router answers HEAD for every GET by itself; a document names the GET
        routes.removeIf(route -> route.startsWith("HEAD ") && routes.contains("GET " + route.substring("HEAD ".length())));
        Set<String> documented = new TreeSet<>();
        for (Iterator<String> paths = document.path("paths").fieldNames(); paths.hasNext(); ) {
            String path = paths.next();
            for (Iterator<String> methods = document.path("paths").path(path).fieldNames(); methods.hasNext(); ) {
                String method = methods.next();
                if (METHODS.contains(method)) {
                    documented.add(method.toUpperCase(Locale.ROOT) + " " + path);
                }
            }
        }
        assertThat(routes).as("the router's routes").isNotEmpty();
        assertThat(documented).as("the documented operations, against the router's routes").isEqualTo(routes);
        return document;
    }

    /** The UI page answers, names nothing remote, and every script, style sheet and document it loads is served by the service. */
    public static void assertTheUiIsServedFromLocalAssets(EmbeddedServer server) {
        HttpResponse<String> page = get(server, UI);
        assertThat(page.statusCode()).as(UI).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(REMOTE.matcher(page.body()).find()).as(UI + " names nothing remote").isFalse();
        Matcher assets = ASSET.matcher(page.body());
        int count = 0;
        while (assets.find()) {
            String asset = assets.group(1) != null ? assets.group(1) : assets.group(2);
            assertThat(asset).as("an asset of " + UI).doesNotStartWith("http:").doesNotStartWith("https:").doesNotStartWith("//");
            URI resolved = URI.create(server.getURL() + UI).resolve(asset);
            assertThat(get(resolved).statusCode()).as(resolved.toString()).isEqualTo(200);
            count++;
        }
        assertThat(count).as("assets named by " + UI).isPositive();
    }

    private static String operation(UriRouteInfo<?, ?> route) {
        return route.getHttpMethodName().toUpperCase(Locale.ROOT) + " " + route.getUriMatchTemplate().toPathString();
    }

    private static HttpResponse<String> get(EmbeddedServer server, String path) {
        return get(URI.create(server.getURL() + path));
    }

    private static HttpResponse<String> get(URI uri) {
        try {
            return HTTP.send(TestAccess.request(uri).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("GET " + uri + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static JsonNode read(String body) {
        try {
            return Json.mapper().readTree(body);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }
}
