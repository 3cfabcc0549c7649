package io.funnelflow.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.funnelflow.contract.event.TrackedEvent;
import io.funnelflow.contract.json.Json;
import io.funnelflow.contract.topic.Topics;
import io.funnelflow.testing.SharedKafka;
import io.funnelflow.testing.TopicReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The browser side of ingest against the real broker: the tracker script and the demo store are served
 * as browsers need them, and the request the tracker itself makes (produced by running funnelflow.js
 * under Node) lands on {@code funnelflow.events}.
 */
class TrackerIT {

    static final String SHOP = "https://shop.example";
    static IngestServer server;
    static TopicReader<String, TrackedEvent> events;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        // only the shop's own pages may post events; the script itself is for any site
        server = new IngestServer(SharedKafka.bootstrapServers(),
                Map.of("micronaut.server.cors.configurations.trackers.allowed-origins-regex", "https://shop\\.example"));
        events = TopicReader.of(Topics.EVENTS);
    }

    @AfterAll
    static void stop() {
        events.close();
        server.close();
    }

    HttpResponse<String> get(String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url(path)));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theTrackerScriptIsServedToAnySiteAsCacheableJavaScript() throws Exception {
        HttpResponse<String> r = get("/funnelflow.js", Map.of("Origin", "https://any-other-site.example"));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("public, max-age=300");
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://any-other-site.example");
        assertThat(r.body()).isEqualTo(resource("tracker/funnelflow.js")).contains("createTracker");

        String etag = r.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> again = get("/funnelflow.js", Map.of("If-None-Match", etag));
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
    }

    @Test
    void theDemoStoreIsServedWithItsWriteKey() throws Exception {
        HttpResponse<String> page = get("/demo/", Map.of());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(page.body()).contains("data-testid=\"place-order\"", "<script src=\"/funnelflow.js\"></script>",
                "<link rel=\"icon\" href=\"data:,\">");

        HttpResponse<String> store = get("/demo/store.js", Map.of());
        assertThat(store.statusCode()).isEqualTo(200);
        assertThat(store.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("javascript"));
        HttpResponse<String> css = get("/demo/store.css", Map.of());
        assertThat(css.statusCode()).isEqualTo(200);
        assertThat(css.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/css"));

        HttpResponse<String> config = get("/demo/config.js", Map.of());
        assertThat(config.statusCode()).isEqualTo(200);
        assertThat(config.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
        assertThat(config.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(config.body()).isEqualTo("window.FUNNELFLOW_DEMO = {\"write_key\":\"" + IngestServer.WRITE_KEY + "\"};\n");

        assertThat(get("/demo", Map.of()).body()).isEqualTo(page.body());
        assertThat(get("/demo/missing.js", Map.of()).statusCode()).isEqualTo(404);
    }

    @Test
    void theRequestTheTrackerMakesLandsOnTheEventsTopic() throws Exception {
        JsonNode made = trackerRequest(IngestServer.WRITE_KEY);
        assertThat(made.get("url").asText()).endsWith("/api/batch");
        JsonNode body = Json.mapper().readTree(made.get("body").asText());
        String session = body.get("events").get(0).get("session_id").asText();

        // as a browser sends it from the shop's page: text/plain, no Authorization, the key in the body
        HttpRequest post = HttpRequest.newBuilder(URI.create(server.url("/api/batch")))
                .header("Content-Type", made.get("content_type").asText())
                .header("Origin", SHOP)
                .POST(HttpRequest.BodyPublishers.ofString(made.get("body").asText()))
                .build();
        HttpResponse<String> r = http.send(post, HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(Json.mapper().readTree(r.body()).get("accepted").asInt()).isEqualTo(7);
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue(SHOP);

        List<TrackedEvent> on = events.readToEnd().stream()
                .filter(rec -> session.equals(rec.key())).map(ConsumerRecord::value).toList();
        assertThat(on).extracting(TrackedEvent::eventType).containsExactly(
                "page_view", "product_view", "add_to_cart", "remove_from_cart", "checkout_start", "identify", "purchase");
        List<String> sentIds = body.get("events").findValuesAsText("event_id");
        assertThat(on).extracting(TrackedEvent::eventId).containsExactlyElementsOf(sentIds);
        assertThat(on).allSatisfy(e -> {
            assertThat(e.anonymousId()).isEqualTo(body.get("events").get(0).get("anonymous_id").asText());
            assertThat(List.of(e.utmSource(), e.utmMedium(), e.utmCampaign())).containsExactly("google", "cpc", "winter_sale");
            assertThat(List.of(e.platform(), e.device())).containsExactly("web", "mobile");
            assertThat(e.sentAt()).isNotNull();
            assertThat(e.eventTime()).isNotNull();
            assertThat(e.referrer()).isEqualTo("https://www.google.com/");
        });
        TrackedEvent add = on.get(2);
        assertThat(add.productId()).isEqualTo("p-104");
        assertThat(add.productName()).isEqualTo("Hiking socks (3 pairs)");
        assertThat(add.price()).isEqualByComparingTo("19.9");
        assertThat(add.quantity()).isEqualTo(2);
        assertThat(add.currency()).isEqualTo("EUR");
        TrackedEvent purchase = on.get(6);
        assertThat(purchase.revenue()).isEqualByComparingTo("19.9");
        assertThat(purchase.userId()).isEqualTo("cust-42");
        assertThat(purchase.metadata()).containsEntry("order_id", "o-1");
        assertThat(on.get(5).metadata()).containsEntry("plan", "gold");
    }

    @Test
    void aPageOfAnotherSiteGetsNoCorsPermissionToPostEvents() throws Exception {
        HttpRequest preflight = HttpRequest.newBuilder(URI.create(server.url("/api/batch")))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://elsewhere.example")
                .header("Access-Control-Request-Method", "POST")
                .build();
        HttpResponse<String> r = http.send(preflight, HttpResponse.BodyHandlers.ofString());
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    /** Runs funnelflow.js under Node and returns the request it made for one shopper's visit. */
    static JsonNode trackerRequest(String writeKey) throws IOException, InterruptedException {
        Process node = new ProcessBuilder("node", Path.of("src/test/js/tracker-request.cjs").toAbsolutePath().toString(), writeKey)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        byte[] out = node.getInputStream().readAllBytes();
        assertThat(node.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(node.exitValue()).isZero();
        return Json.mapper().readTree(out);
    }

    static String resource(String name) throws IOException {
        try (InputStream in = TrackerIT.class.getClassLoader().getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
