package io.funnelflow.simulator.target;

import com.fasterxml.jackson.databind.JsonNode;
import io.funnelflow.contract.event.TrackedEvent;
import io.funnelflow.contract.json.Json;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** {@code POST /api/batch}, as FunnelFlow's own tracker sends it. */
public class HttpTarget implements EventTarget {

    protected final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    protected final URI uri;
    protected final String authorization;

    public HttpTarget(String baseUrl, String writeKey) {
        this(baseUrl, "/api/batch", writeKey);
    }

    protected HttpTarget(String baseUrl, String path, String writeKey) {
        this.uri = URI.create(baseUrl.replaceAll("/+$", "") + path);
        this.authorization = "Basic " + Base64.getEncoder().encodeToString((writeKey + ":").getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public Outcome send(List<TrackedEvent> events) throws Exception {
        return post(Json.mapper().writeValueAsBytes(Map.of("events", events)), null, events.size());
    }

    protected Outcome post(byte[] body, String encoding, int count) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("Authorization", authorization)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (encoding != null) {
            request.header("Content-Encoding", encoding);
        }
        long t0 = System.nanoTime();
        HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        long nanos = System.nanoTime() - t0;
        if (r.statusCode() / 100 != 2 && r.statusCode() != 400) {
            return new Outcome(r.statusCode(), 0, 0, nanos);
        }
        JsonNode answer = Json.mapper().readTree(r.body());
        int rejected = answer.path("rejected").isArray() ? answer.path("rejected").size() : (r.statusCode() == 400 ? count : 0);
        return new Outcome(r.statusCode(), count - rejected, rejected, nanos);
    }
}
