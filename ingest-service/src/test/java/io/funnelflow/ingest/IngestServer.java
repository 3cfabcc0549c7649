package io.funnelflow.ingest;

import io.funnelflow.testing.TestAccess;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/** A running ingest-service on a free port, and a plain HTTP client for it. */
final class IngestServer implements AutoCloseable {

    static final String WRITE_KEY = "test-write-key";

    private final EmbeddedServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    IngestServer(String bootstrap, Map<String, Object> extra) {
        Map<String, Object> props = new HashMap<>();
        props.put("micronaut.server.port", -1);
        props.put("funnelflow.kafka.bootstrap", bootstrap);
        props.put("funnelflow.ingest.write-keys", WRITE_KEY + ",other-site-key");
        props.putAll(TestAccess.properties(bootstrap));
        props.putAll(extra);
        server = ApplicationContext.run(EmbeddedServer.class, props);
    }

    EmbeddedServer embedded() {
        return server;
    }

    ApplicationContext context() {
        return server.getApplicationContext();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getPort() + path;
    }

    static String basic(String key) {
        return "Basic " + Base64.getEncoder().encodeToString((key + ":").getBytes(StandardCharsets.UTF_8));
    }

    HttpResponse<String> post(String path, String json) {
        return post(path, json.getBytes(StandardCharsets.UTF_8), Map.of("Authorization", basic(WRITE_KEY)));
    }

    HttpResponse<String> post(String path, byte[] body, Map<String, String> headers) {
        return post(path, body, headers, "application/json");
    }

    HttpResponse<String> post(String path, byte[] body, Map<String, String> headers, String contentType) {
        return post(path, body, headers, contentType, Duration.ofSeconds(30));
    }

    /** A request that must be answered within {@code timeout} (the test fails on a hang instead of waiting for it). */
    HttpResponse<String> post(String path, byte[] body, Map<String, String> headers, String contentType, Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getPort() + path))
                .header("Content-Type", contentType)
                .timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach((name, value) -> {
            if (!name.equalsIgnoreCase("Content-Type")) {
                request.header(name, value);
            }
        });
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A GET with the tests' admin token. */
    HttpResponse<String> get(String path) {
        try {
            return http.send(TestAccess.request("http://127.0.0.1:" + server.getPort() + path).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static byte[] gzip(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(s.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    @Override
    public void close() {
        server.getApplicationContext().close();
    }
}
