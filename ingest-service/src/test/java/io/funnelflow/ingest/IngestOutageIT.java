package io.funnelflow.ingest;

import io.funnelflow.contract.event.TrackedEvent;
import io.funnelflow.contract.topic.Topics;
import io.funnelflow.launcher.LocalKafka;
import io.funnelflow.testing.TopicReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.funnelflow.testing.problem.ProblemAssertions.assertProblem;
import static io.funnelflow.testing.problem.ProblemAssertions.assertUnavailable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A broker outage: while Kafka is down every request gets 503 with Retry-After, never a 2xx; when it
 * is back, ingestion resumes by itself. Uses its own broker, in a child JVM, so that it can be stopped.
 */
class IngestOutageIT {

    @TempDir
    Path dir;

    @Test
    void whileKafkaIsDownRequestsGet503AndIngestionResumesWhenItReturns() throws Exception {
        String session = "outage-" + UUID.randomUUID();
        try (LocalKafka kafka = LocalKafka.onFreePorts(dir)) {
            kafka.start();
            kafka.createTopics(1);
            try (IngestServer server = new IngestServer(kafka.bootstrapServers(),
                    Map.of("funnelflow.kafka.delivery-timeout", "3s"))) {
                assertThat(server.post("/api/track", event(session, "before")).statusCode()).isEqualTo(200);

                kafka.stop();
                HttpResponse<String> during = server.post("/api/track", event(session, "during"));
                assertThat(assertUnavailable(during).path("title").asText()).isEqualTo("event stream unavailable");
                assertThat(during.headers().firstValue("Retry-After")).hasValue("5");
                HttpResponse<String> batchDuring = server.post("/api/batch", "{\"events\":[" + event(session, "during-batch") + "]}");
                assertThat(batchDuring.statusCode()).isEqualTo(503);
                HttpResponse<String> health = server.get("/health");
                assertThat(health.statusCode()).isEqualTo(503);
                assertThat(health.body()).contains("kafka", "DOWN");

                kafka.start();
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                        .until(() -> server.post("/api/track", event(session, "after")).statusCode() == 200);

                try (TopicReader<String, TrackedEvent> events = new TopicReader<>(kafka.bootstrapServers(), Topics.EVENTS)) {
                    List<String> ids = events.readToEnd().stream().map(ConsumerRecord::value)
                            .filter(e -> session.equals(e.sessionId())).map(TrackedEvent::eventId).distinct().toList();
                    assertThat(ids).contains(session + "-before", session + "-after").doesNotContain(session + "-during");
                }
            }
        }
    }

    @Test
    void aWriteKeyOverItsRateIsAnswered429WithRetryAfter() throws Exception {
        String session = "limited-" + UUID.randomUUID();
        try (IngestServer server = new IngestServer(io.funnelflow.testing.SharedKafka.bootstrapServers(),
                Map.of("funnelflow.ingest.rate-limit.events-per-second", 1, "funnelflow.ingest.rate-limit.burst", 3))) {
            StringBuilder three = new StringBuilder("{\"events\":[");
            for (int i = 0; i < 3; i++) {
                three.append(i == 0 ? "" : ",").append(event(session, "b" + i));
            }
            assertThat(server.post("/api/batch", three.append("]}").toString()).statusCode()).isEqualTo(200);
            HttpResponse<String> limited = server.post("/api/track", event(session, "over"));
            assertThat(assertProblem(limited, 429).path("title").asText()).isEqualTo("rate limited");
            assertThat(limited.headers().firstValue("Retry-After")).hasValueSatisfying(s -> assertThat(Integer.parseInt(s)).isPositive());
            try (TopicReader<String, TrackedEvent> events = TopicReader.of(Topics.EVENTS)) {
                assertThat(events.valuesToEnd(r -> session.equals(r.key()))).extracting(TrackedEvent::eventId)
                        .containsExactlyInAnyOrder(session + "-b0", session + "-b1", session + "-b2");
            }
        }
    }

    @Test
    void oneAddressOverItsRateIsAnswered429WhileOthersWithTheSameKeyGoOn() throws Exception {
        String session = "by-address-" + UUID.randomUUID();
        // behind a trusted proxy (the test's loopback), the client is the right-most untrusted X-Forwarded-For address
        try (IngestServer server = new IngestServer(io.funnelflow.testing.SharedKafka.bootstrapServers(),
                Map.of("funnelflow.ingest.rate-limit.per-address.events-per-second", 1,
                        "funnelflow.ingest.rate-limit.per-address.burst", 2,
                        "funnelflow.security.trusted-proxies", "127.0.0.1"))) {
            Map<String, String> first = Map.of("Authorization", IngestServer.basic(IngestServer.WRITE_KEY),
                    "X-Forwarded-For", "198.51.100.1, 203.0.113.7");
            // the left-most entry is whatever the client wrote: changing it does not make a new client
            Map<String, String> spoofing = Map.of("Authorization", IngestServer.basic(IngestServer.WRITE_KEY),
                    "X-Forwarded-For", "192.0.2.99, 203.0.113.7");
            Map<String, String> other = Map.of("Authorization", IngestServer.basic(IngestServer.WRITE_KEY),
                    "X-Forwarded-For", "203.0.113.8");
            assertThat(server.post("/api/track", bytes(event(session, "a1")), first).statusCode()).isEqualTo(200);
            assertThat(server.post("/api/track", bytes(event(session, "a2")), first).statusCode()).isEqualTo(200);

            HttpResponse<String> limited = server.post("/api/track", bytes(event(session, "a3")), spoofing);
            assertThat(assertProblem(limited, 429).path("reason").asText()).contains("this address");
            assertThat(limited.headers().firstValue("Retry-After")).isPresent();
            assertThat(server.post("/api/track", bytes(event(session, "b1")), other).statusCode()).isEqualTo(200);
            try (TopicReader<String, TrackedEvent> events = TopicReader.of(Topics.EVENTS)) {
                assertThat(events.valuesToEnd(r -> session.equals(r.key()))).extracting(TrackedEvent::eventId)
                        .containsExactlyInAnyOrder(session + "-a1", session + "-a2", session + "-b1");
            }
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    static String event(String session, String name) {
        return """
                {"event_id":"%s-%s","event_type":"page_view","session_id":"%s"}""".formatted(session, name, session);
    }
}
