package io.funnelflow.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.funnelflow.launcher.Ports;
import io.funnelflow.testing.docs.ApiDocsAssertions;
import io.funnelflow.testing.problem.FailureRoutes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static io.funnelflow.testing.problem.ProblemAssertions.assertProblem;
import static io.funnelflow.testing.problem.ProblemAssertions.assertServerFailureLeaksNothing;
import static io.funnelflow.testing.problem.ProblemAssertions.assertUnavailable;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every client of ingest-service relies on, here against a Kafka that is not there (nothing listens
 * on its port, so an event gets the real outage answer): every error is an RFC 7807 problem with our
 * extension members (refused events, which go to the rejected topic first, are in {@link IngestIT}), and
 * the API document at /docs names exactly the routes the service has.
 */
class IngestApiTest {

    static IngestServer server;

    @BeforeAll
    static void start() {
        server = new IngestServer("127.0.0.1:" + Ports.free(), Map.of("funnelflow.kafka.delivery-timeout", "2s",
                FailureRoutes.ENABLED, "true"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aBodyThatIsNotJsonIsA400ProblemNamingTheBody() {
        // refused whole before any event is judged (a refused event would first go to the rejected topic)
        JsonNode notJson = assertProblem(server.post("/api/track", "{\"event_type\": oops}"), 400);
        assertThat(notJson.path("title").asText()).isEqualTo("invalid request");
        assertThat(notJson.path("type").asText()).isEqualTo("tag:funnelflow.io,2026:problem:invalid-request");
        assertThat(notJson.path("field").asText()).isEqualTo("body");
        assertThat(notJson.path("reason").asText()).contains("not valid JSON");
    }

    @Test
    void aMissingWriteKeyIsA401ProblemWithItsChallenge() {
        HttpResponse<String> r = server.post("/api/track", "{\"event_type\":\"page_view\",\"session_id\":\"s\"}"
                .getBytes(StandardCharsets.UTF_8), Map.of());
        JsonNode body = assertProblem(r, 401);
        assertThat(body.path("field").asText()).isEqualTo("write_key");
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"FunnelFlow\"");
    }

    @Test
    void anUnknownPathIsA404Problem() {
        assertProblem(server.get("/api/no-such-thing"), 404);
    }

    @Test
    void kafkaAwayIsA503ProblemWithRetryAfter() {
        HttpResponse<String> r = server.post("/api/track", "{\"event_id\":\"e-2\",\"event_type\":\"page_view\",\"session_id\":\"s-2\"}");
        JsonNode body = assertUnavailable(r);
        assertThat(body.path("title").asText()).isEqualTo("event stream unavailable");
        assertThat(r.headers().firstValue("Retry-After")).hasValue("5");
    }

    @Test
    void anUnexpectedFailureIsA500ProblemThatLeaksNothing() {
        assertServerFailureLeaksNothing(server.get(FailureRoutes.UNEXPECTED));
    }

    @Test
    void theApiDocumentNamesEveryRouteAndItsUiIsServedFromHere() {
        JsonNode document = ApiDocsAssertions.assertEveryRouteIsDocumented(server.embedded());
        assertThat(document.path("info").path("title").asText()).isEqualTo("FunnelFlow ingest-service");
        assertThat(document.path("paths").path("/api/track").path("post").path("description").asText()).isNotBlank();
        ApiDocsAssertions.assertTheUiIsServedFromLocalAssets(server.embedded());
    }
}
