package io.funnelflow.insights.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.funnelflow.contract.json.Json;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local server speaking OpenAI's chat-completions protocol: {@code POST /v1/chat/completions}
 * takes the request JSON as the API defines it and answers with a {@code chat.completion} object
 * (id, object, created, model, choices[{index, message{role, content}, finish_reason}], usage) whose
 * content is the next scripted reply. It records every request, headers and body, for the test to read.
 */
final class OpenAiWireServer implements AutoCloseable {

    /** One scripted reply. */
    sealed interface Reply permits Content, Status, Hang {
    }

    /** A 200 {@code chat.completion} whose message content is {@code content}. */
    record Content(String content) implements Reply {
    }

    /** An error status with OpenAI's error object. */
    record Status(int code, String message) implements Reply {
    }

    /** No answer until the server closes: the client's timeout must end the call. */
    record Hang() implements Reply {
    }

    record Recorded(String authorization, String contentType, JsonNode body) {

        /** Every message's content, in order. */
        List<String> contents() {
            List<String> out = new ArrayList<>();
            body.path("messages").forEach(m -> out.add(m.path("content").asText()));
            return out;
        }

        String lastUserContent() {
            String last = null;
            for (JsonNode m : body.path("messages")) {
                if (m.path("role").asText().equals("user")) {
                    last = m.path("content").asText();
                }
            }
            return last;
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Deque<Reply> replies = new ArrayDeque<>();
    private final List<Recorded> requests = Collections.synchronizedList(new ArrayList<>());
    private final CountDownLatch closing = new CountDownLatch(1);
    private final AtomicInteger ids = new AtomicInteger();
    private final String model;

    OpenAiWireServer(String model) throws IOException {
        this.model = model;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/chat/completions", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    synchronized OpenAiWireServer reply(Reply... scripted) {
        replies.addAll(List.of(scripted));
        return this;
    }

    List<Recorded> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("POST")) {
                send(exchange, 405, error("method not allowed", "invalid_request_error"));
                return;
            }
            JsonNode body = Json.mapper().readTree(exchange.getRequestBody());
            requests.add(new Recorded(exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestHeaders().getFirst("Content-Type"), body));
            Reply reply;
            synchronized (this) {
                reply = replies.poll();
            }
            if (reply == null) {
                send(exchange, 500, error("no reply scripted", "server_error"));
            } else if (reply instanceof Content c) {
                send(exchange, 200, completion(body.path("model").asText(model), c.content()));
            } else if (reply instanceof Status s) {
                send(exchange, s.code(), error(s.message(), "server_error"));
            } else {
                closing.await(60, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String completion(String requestedModel, String content) throws IOException {
        ObjectNode root = Json.mapper().createObjectNode();
        root.put("id", "chatcmpl-test-" + ids.incrementAndGet());
        root.put("object", "chat.completion");
        root.put("created", System.currentTimeMillis() / 1000);
        root.put("model", requestedModel);
        ArrayNode choices = root.putArray("choices");
        ObjectNode choice = choices.addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        message.put("content", content);
        message.putNull("refusal");
        choice.putNull("logprobs");
        choice.put("finish_reason", "stop");
        ObjectNode usage = root.putObject("usage");
        usage.put("prompt_tokens", 812);
        usage.put("completion_tokens", 240);
        usage.put("total_tokens", 1052);
        root.put("system_fingerprint", "fp_test");
        return Json.mapper().writeValueAsString(root);
    }

    private static String error(String message, String type) throws IOException {
        ObjectNode root = Json.mapper().createObjectNode();
        ObjectNode error = root.putObject("error");
        error.put("message", message);
        error.put("type", type);
        error.putNull("param");
        error.putNull("code");
        return Json.mapper().writeValueAsString(root);
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
