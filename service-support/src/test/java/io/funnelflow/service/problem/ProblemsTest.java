package io.funnelflow.service.problem;

import com.fasterxml.jackson.databind.JsonNode;
import io.funnelflow.contract.json.Json;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.zalando.problem.Problem;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The one error shape, on a real Micronaut server: our problems, thrown problems, and what the framework refuses. */
class ProblemsTest {

    static EmbeddedServer server;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @Controller("/problems-test")
    @Requires(property = "problems-test.enabled", value = "true")
    static class Routes {

        @Get("/returned")
        HttpResponse<Problem> returned() {
            return Problems.of(HttpStatus.BAD_REQUEST, "invalid parameter").reason("must be one of a, b")
                    .with("parameter", "mode").with("index", null).response();
        }

        @Get("/thrown")
        String thrown() {
            throw Problems.unavailable("database unavailable", 7).reason("PostgreSQL did not answer; retry later").exception();
        }

        @Get("/failure")
        String failure() {
            throw new IllegalStateException("could not connect to jdbc:postgresql://10.1.2.3:5432/secret as admin");
        }

        @Get("/required")
        String required(@QueryValue String hours) {
            return hours;
        }

        @Post("/body")
        String body(@Body Map<String, Object> body) {
            return body.toString();
        }
    }

    @BeforeAll
    static void start() {
        // the routes need a token like every route of the platform: one from the environment, no broker to follow
        server = ApplicationContext.run(EmbeddedServer.class, Map.of("micronaut.server.port", -1, "problems-test.enabled", "true",
                "funnelflow.security.api-tokens", TOKEN, "funnelflow.security.credentials.bootstrap", ""));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static final String TOKEN = "ff_at_problems-test-token";

    static java.net.http.HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.header("Authorization", "Bearer " + TOKEN).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    static java.net.http.HttpResponse<String> get(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(server.getURL() + path)));
    }

    static JsonNode problem(java.net.http.HttpResponse<String> r, int status) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        JsonNode body = Json.mapper().readTree(r.body());
        assertThat(body.path("status").asInt()).as(r.body()).isEqualTo(status);
        assertThat(body.path("title").asText()).as(r.body()).isNotBlank();
        return body;
    }

    @Test
    void aReturnedProblemHasTheRfcMembersAndOurExtensionsAndLeavesOutNulls() throws Exception {
        JsonNode body = problem(get("/problems-test/returned"), 400);
        assertThat(body).isEqualTo(Json.mapper().readTree("""
                {"type":"tag:funnelflow.io,2026:problem:invalid-parameter","title":"invalid parameter","status":400,
                 "detail":"must be one of a, b","parameter":"mode","reason":"must be one of a, b"}"""));
    }

    @Test
    void aThrownProblemKeepsItsHeaders() throws Exception {
        java.net.http.HttpResponse<String> r = get("/problems-test/thrown");
        JsonNode body = problem(r, 503);
        assertThat(r.headers().firstValue("Retry-After")).hasValue("7");
        assertThat(body.path("type").asText()).isEqualTo("tag:funnelflow.io,2026:problem:database-unavailable");
        assertThat(body.path("reason").asText()).isEqualTo("PostgreSQL did not answer; retry later");
        assertThat(body.has("stackTrace")).isFalse();
    }

    @Test
    void anUnexpectedFailureIsA500ThatSaysNothingOfItsCause() throws Exception {
        java.net.http.HttpResponse<String> r = get("/problems-test/failure");
        JsonNode body = problem(r, 500);
        assertThat(body.path("title").asText()).isEqualTo("Internal Server Error");
        assertThat(body.path("detail").asText()).isEqualTo(PlatformProblems.SERVER_FAILURE);
        assertThat(r.body()).doesNotContain("jdbc", "10.1.2.3", "secret", "IllegalState", "Exception", "java.", "stackTrace", "at io.");
    }

    @Test
    void anUnknownPathIsA404Problem() throws Exception {
        JsonNode body = problem(get("/no-such-path"), 404);
        assertThat(body.path("title").asText()).isEqualTo("Not Found");
        // a browser asking for HTML gets the same shape
        java.net.http.HttpResponse<String> html = send(HttpRequest.newBuilder(URI.create(server.getURL() + "/no-such-path"))
                .header("Accept", "text/html"));
        problem(html, 404);
    }

    @Test
    void whatTheFrameworkRefusesIsA400ProblemWithTheReasonAndTheParameter() throws Exception {
        JsonNode missing = problem(get("/problems-test/required"), 400);
        assertThat(missing.path("parameter").asText()).isEqualTo("hours");
        assertThat(missing.path("reason").asText()).contains("hours");

        JsonNode broken = problem(send(HttpRequest.newBuilder(URI.create(server.getURL() + "/problems-test/body"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"a\":"))), 400);
        assertThat(broken.path("reason").asText()).startsWith("Invalid JSON: Unexpected end-of-input").endsWith("(line 1, column 6)")
                .doesNotContain("\n", "Source");
        assertThat(broken.path("detail").asText()).isEqualTo(broken.path("reason").asText());
    }

    @Test
    void theTypeIsTheTitlesSlug() {
        assertThat(Problems.type("Event stream unavailable!").toString()).isEqualTo("tag:funnelflow.io,2026:problem:event-stream-unavailable");
    }
}
