package io.funnelflow.testing.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.funnelflow.contract.json.Json;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** Checks that an answer is the services' one error shape: an RFC 7807 problem ({@code io.funnelflow.service.problem.Problems}). */
public final class ProblemAssertions {

    private ProblemAssertions() {
    }

    /**
     * The answer has this status, {@code Content-Type: application/problem+json}, and a body with the same
     * {@code status} and a {@code title}; a 4xx or 503 also says why ({@code detail} and {@code reason}).
     * Returns the body for further checks.
     */
    public static JsonNode assertProblem(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).as("Content-Type of " + response.body())
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode body = read(response.body());
        assertThat(body.path("status").asInt()).as(response.body()).isEqualTo(status);
        assertThat(body.path("title").asText()).as(response.body()).isNotBlank();
        if (status < 500 || status == 503) {
            assertThat(body.path("detail").asText()).as(response.body()).isNotBlank();
            assertThat(body.path("reason").asText()).as(response.body()).isEqualTo(body.path("detail").asText());
        }
        return body;
    }

    /** {@link FailureRoutes#UNEXPECTED}'s answer: a 500 problem that says nothing of the exception behind it. */
    public static JsonNode assertServerFailureLeaksNothing(HttpResponse<String> response) {
        JsonNode body = assertProblem(response, 500);
        assertThat(body.path("title").asText()).isEqualTo("Internal Server Error");
        assertThat(response.body()).doesNotContain("10.9.8.7", "jdbc", "postgresql", "hunter2", "password", "io.funnelflow",
                "IllegalState", "IOException", "Exception", "java.", "stackTrace", "cause", "\tat ");
        return body;
    }

    /** {@link FailureRoutes#UNAVAILABLE}'s answer: a 503 problem with Retry-After. */
    public static JsonNode assertUnavailable(HttpResponse<String> response) {
        JsonNode body = assertProblem(response, 503);
        assertThat(response.headers().firstValue("Retry-After")).as("Retry-After").isPresent();
        return body;
    }

    private static JsonNode read(String body) {
        try {
            return Json.mapper().readTree(body);
        } catch (JsonProcessingException e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }
}
