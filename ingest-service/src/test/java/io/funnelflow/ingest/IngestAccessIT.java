package io.funnelflow.ingest;

import io.funnelflow.testing.RouteAccess;
import io.funnelflow.testing.SharedKafka;
import io.funnelflow.testing.TestAccess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Every route of the running ingest-service against the access policy: only the intake and the browser's parts are public. */
class IngestAccessIT {

    /** The public paths of ingest-service, as README.md and docs/architecture.md list them. */
    static final Set<String> PUBLIC = Set.of("/health", "/health/**", "/api/track", "/api/batch", "/v1/**", "/funnelflow.js", "/demo/**");

    static IngestServer server;
    static String readToken;

    @BeforeAll
    static void start() {
        readToken = TestAccess.readToken();
        server = new IngestServer(SharedKafka.bootstrapServers(), Map.of());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void everyRouteButThePublicOnesNeedsAToken() {
        assertThat(RouteAccess.violations(server.context(), server.url(""), readToken, PUBLIC)).isEmpty();
        assertThat(RouteAccess.publicRoutes(server.context(), PUBLIC)).containsExactlyInAnyOrder(
                "GET /health", "HEAD /health", "GET /health/{selector}", "HEAD /health/{selector}", "GET /funnelflow.js", "HEAD /funnelflow.js", "GET /demo/config.js", "HEAD /demo/config.js",
                "POST /api/track", "POST /api/batch",
                "POST /v1/batch", "POST /v1/import", "POST /v1/track", "POST /v1/page", "POST /v1/screen",
                "POST /v1/identify", "POST /v1/alias", "POST /v1/group");
    }

    @Test
    void healthShowsItsDetailsOnlyToATokenHolder() {
        HttpResponse<String> anonymous = RouteAccess.health(server.url(""), null);
        assertThat(anonymous.statusCode()).isEqualTo(200);
        assertThat(anonymous.body()).isEqualTo("{\"status\":\"UP\"}");
        assertThat(RouteAccess.health(server.url(""), readToken).body()).contains("\"details\"", "\"kafka\"");
    }

    @Test
    void aPathThatDoesNotExistGivesNothingAwayWithoutAToken() {
        assertThat(RouteAccess.send(io.micronaut.http.HttpMethod.GET, server.url("/api/nothing-here"), null)).isEqualTo(401);
        assertThat(RouteAccess.send(io.micronaut.http.HttpMethod.GET, server.url("/api/nothing-here"), readToken)).isEqualTo(404);
    }
}
