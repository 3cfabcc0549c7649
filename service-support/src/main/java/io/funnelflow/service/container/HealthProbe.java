package io.funnelflow.service.container;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;

/**
 * A container's health check, for images that hold a JVM and nothing else (no shell, no curl):
 * {@code java -cp '/app/libs/*' io.funnelflow.service.container.HealthProbe http://127.0.0.1:8080/health}
 * exits 0 when the URL answers 200 within two seconds, 1 otherwise.
 */
public final class HealthProbe {

    private HealthProbe() {
    }

    public static void main(String[] args) {
        String url = args.length > 0 ? args[0] : "http://127.0.0.1:8080/health";
        System.exit(healthy(url) ? 0 : 1);
    }

    static boolean healthy(String url) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
            c.setConnectTimeout(2000);
            c.setReadTimeout(2000);
            int status = c.getResponseCode();
            try (InputStream body = status < 400 ? c.getInputStream() : c.getErrorStream()) {
                if (body != null) {
                    body.readAllBytes();
                }
            }
            return status == 200;
        } catch (IOException | IllegalArgumentException e) {
            return false;
        }
    }
}
