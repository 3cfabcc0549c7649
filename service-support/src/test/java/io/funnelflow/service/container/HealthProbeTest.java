package io.funnelflow.service.container;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The images' health check: healthy on a 200 only, unhealthy on an error status, a silent or absent server. */
class HealthProbeTest {

    HttpServer server;
    ServerSocket silent;
    String base;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/health", exchange -> answer(exchange, 200, "{\"status\":\"UP\"}"));
        server.createContext("/down", exchange -> answer(exchange, 503, "{\"status\":\"DOWN\"}"));
        server.start();
        // takes connections (the kernel's backlog) and never answers
        silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() throws IOException {
        server.stop(0);
        silent.close();
    }

    @Test
    void healthyOnlyWhenTheServiceAnswers200() {
        assertThat(HealthProbe.healthy(base + "/health")).isTrue();
        assertThat(HealthProbe.healthy(base + "/down")).isFalse();
        assertThat(HealthProbe.healthy(base + "/missing")).isFalse();
    }

    @Test
    void unhealthyWhenNothingAnswersInTime() {
        assertThat(HealthProbe.healthy("http://127.0.0.1:" + silent.getLocalPort() + "/health")).isFalse();
        assertThat(HealthProbe.healthy("http://127.0.0.1:1/health")).isFalse();
        assertThat(HealthProbe.healthy("not a url")).isFalse();
    }

    private static void answer(com.sun.net.httpserver.HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
