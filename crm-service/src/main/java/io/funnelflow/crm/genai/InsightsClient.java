package io.funnelflow.crm.genai;

import com.fasterxml.jackson.databind.JsonNode;
import io.funnelflow.contract.json.Json;
import io.funnelflow.service.problem.Problems;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The insights-service's guarded GenAI, called with this service's token: a 2xx answer is returned; one
 * that cannot be had is our own 503 (unreachable, too slow) or 502 (it failed), with the reason.
 */
public final class InsightsClient {

    private final URI base;
    private final Duration timeout;
    private final String authorization;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public InsightsClient(String baseUrl, Duration timeout, String authorization) {
        this.base = URI.create(baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl);
        this.timeout = timeout;
        this.authorization = authorization;
    }

    public JsonNode post(String path, Object body) {
        HttpResponse<String> response;
        try {
            HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout)
                    .header("Content-Type", "application/json").header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(Json.mapper().writeValueAsString(body), StandardCharsets.UTF_8));
            if (authorization != null) {
                r.header("Authorization", authorization);
            }
            response = http.send(r.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw Problems.unavailable("service unavailable", 5).reason("insights-service did not answer within " + timeout.toSeconds()
                    + " s").with("service", "insights-service").exception();
        } catch (IOException e) {
            throw Problems.unavailable("service unavailable", 5).reason("insights-service at " + base + " is not reachable")
                    .with("service", "insights-service").exception();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Problems.unavailable("service unavailable", 5).reason("interrupted").exception();
        }
        if (response.statusCode() / 100 != 2) {
            throw Problems.of(io.micronaut.http.HttpStatus.BAD_GATEWAY, "bad gateway")
                    .reason("insights-service answered " + response.statusCode() + " to " + path).with("service", "insights-service")
                    .exception();
        }
        try {
            return Json.mapper().readTree(response.body());
        } catch (IOException e) {
            throw Problems.of(io.micronaut.http.HttpStatus.BAD_GATEWAY, "bad gateway")
                    .reason("insights-service answered what is not JSON").with("service", "insights-service").exception();
        }
    }
}
