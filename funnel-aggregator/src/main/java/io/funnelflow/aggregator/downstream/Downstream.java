package io.funnelflow.aggregator.downstream;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Another FunnelFlow service the dashboard reaches through the aggregator, so that the page has one
 * origin. {@link #get} and {@link #post} return the service's own answer when it gave one that makes
 * sense to pass on (2xx, 4xx but 404), and throw {@link DownstreamException} — with a status for our own
 * answer (503 unreachable or too slow; 502 failed, lacks the endpoint or answered what is not JSON) — when
 * it did not.
 */
public final class Downstream {

    /** The largest answer passed on. */
    static final int MAX_ANSWER_BYTES = 4 * 1024 * 1024;

    private final String name;
    private final URI base;
    private final Duration timeout;
    private final HttpClient http;
    private final String authorization;

    /** A JSON answer of the service: status, content type ({@code application/json} or a problem's) and body, passed on as they are. */
    public record Answer(int status, String contentType, String body) {
    }

    public Downstream(String name, String baseUrl, Duration timeout) {
        this(name, baseUrl, timeout, null);
    }

    /** @param authorization the {@code Authorization} header sent with every call (this service's token), or null */
    public Downstream(String name, String baseUrl, Duration timeout, String authorization) {
        this.authorization = authorization;
        this.name = Objects.requireNonNull(name);
        this.base = URI.create(baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl);
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    }

    public String name() {
        return name;
    }

    public URI base() {
        return base;
    }

    public Answer get(String path, Map<String, String> query) throws InterruptedException {
        return send(path, HttpRequest.newBuilder(uri(path, query)).GET());
    }

    public Answer post(String path, String jsonBody) throws InterruptedException {
        return send(path, HttpRequest.newBuilder(uri(path, Map.of()))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(jsonBody, StandardCharsets.UTF_8)));
    }

    /** A DELETE carrying a JSON body (what to delete, beyond the path). */
    public Answer delete(String path, String jsonBody) throws InterruptedException {
        return send(path, HttpRequest.newBuilder(uri(path, Map.of()))
                .header("Content-Type", "application/json")
                .method("DELETE", HttpRequest.BodyPublishers.ofString(jsonBody, StandardCharsets.UTF_8)));
    }

    private Answer send(String path, HttpRequest.Builder request) throws InterruptedException {
        HttpResponse<java.io.InputStream> response;
        String body;
        try {
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            response = http.send(request.timeout(timeout).header("Accept", "application/json, application/problem+json").build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            // an answer is read only up to a bound: a service gone wrong cannot fill this one's heap
            try (java.io.InputStream in = response.body()) {
                byte[] bytes = in.readNBytes(MAX_ANSWER_BYTES + 1);
                if (bytes.length > MAX_ANSWER_BYTES) {
                    throw new DownstreamException(502, name, base, "answered more than " + MAX_ANSWER_BYTES / (1024 * 1024) + " MiB");
                }
                body = new String(bytes, StandardCharsets.UTF_8);
            }
        } catch (HttpConnectTimeoutException | ConnectException e) {
            throw new DownstreamException(503, name, base, "is not reachable (" + describe(e) + ")");
        } catch (HttpTimeoutException e) {
            throw new DownstreamException(503, name, base, "did not answer within " + timeout.toSeconds() + " s");
        } catch (IOException e) {
            throw new DownstreamException(503, name, base, "is not reachable (" + describe(e) + ")");
        }
        int status = response.statusCode();
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        boolean json = contentType.startsWith("application/json") || contentType.startsWith("application/problem+json");
        if (status == 503) {
            // away for now (its database, say): the caller is told the same, and to come back
            throw new DownstreamException(503, name, base, "is unavailable for now (status 503" + reasonIn(body) + ")");
        }
        if (status >= 500) {
            throw new DownstreamException(502, name, base, "failed with status " + status);
        }
        if (status == 404) {
            // the paths passed on name no resource of their own: a 404 means the service lacks the endpoint
            throw new DownstreamException(502, name, base, "does not offer " + path + " (status 404): is it an older version?");
        }
        if (!json) {
            throw new DownstreamException(502, name, base, "answered status " + status + " without JSON: is "
                    + base + " really the " + name + "?");
        }
        return new Answer(status, contentType, body);
    }

    private static String reasonIn(String body) {
        try {
            com.fasterxml.jackson.databind.JsonNode reason = io.funnelflow.contract.json.Json.mapper().readTree(body).path("reason");
            return reason.isTextual() ? ": " + reason.asText() : "";
        } catch (IOException | RuntimeException notJson) {
            return "";
        }
    }

    private URI uri(String path, Map<String, String> query) {
        String q = query.entrySet().stream()
                .map(e -> e.getKey() + "=" + java.net.URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return URI.create(base + path + (q.isEmpty() ? "" : "?" + q));
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
