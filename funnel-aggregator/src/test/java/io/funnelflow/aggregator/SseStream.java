package io.funnelflow.aggregator;

import com.fasterxml.jackson.databind.JsonNode;
import io.funnelflow.contract.json.Json;
import io.funnelflow.testing.TestAccess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/** A Server-Sent Events client for tests: reads a stream in the background and keeps every event. */
final class SseStream implements AutoCloseable {

    record Event(String name, String id, JsonNode data) {
    }

    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final CompletableFuture<HttpResponse<Stream<String>>> response;
    private volatile String contentType;

    /** A stream read with the tests' admin token. */
    SseStream(HttpClient http, URI uri) {
        this(http, TestAccess.request(uri));
    }

    /** A stream of this request (its credentials: a token, or a session cookie). */
    SseStream(HttpClient http, HttpRequest.Builder request) {
        response = http.sendAsync(request.header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofLines());
        response.thenAcceptAsync(r -> {
            contentType = r.headers().firstValue("Content-Type").orElse("");
            String name = "message";
            String id = null;
            StringBuilder data = new StringBuilder();
            try (Stream<String> lines = r.body()) {
                for (String line : (Iterable<String>) lines::iterator) {
                    if (line.isEmpty()) {
                        if (!data.isEmpty()) {
                            events.add(new Event(name, id, parse(data.toString())));
                        }
                        name = "message";
                        id = null;
                        data.setLength(0);
                    } else if (line.startsWith("event:")) {
                        name = line.substring(6).trim();
                    } else if (line.startsWith("id:")) {
                        id = line.substring(3).trim();
                    } else if (line.startsWith("data:")) {
                        data.append(data.isEmpty() ? "" : "\n").append(line.substring(5).stripLeading());
                    }
                }
            } catch (UncheckedIOException closed) {
                // the stream was closed
            }
        });
    }

    private static JsonNode parse(String text) {
        try {
            return Json.mapper().readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<Event> events() {
        return List.copyOf(events);
    }

    List<Event> named(String name) {
        return events.stream().filter(e -> e.name().equals(name)).toList();
    }

    /** The answer's status, once its headers are in. */
    int status() throws Exception {
        return response.get(30, java.util.concurrent.TimeUnit.SECONDS).statusCode();
    }

        String contentType() {
        return contentType;
    }

    @Override
    public void close() {
        response.thenAccept(r -> r.body().close());
        response.cancel(true);
    }
}
