package io.funnelflow.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.funnelflow.contract.event.RejectedEvent;
import io.funnelflow.contract.event.TrackedEvent;
import io.funnelflow.contract.json.Json;
import io.funnelflow.contract.privacy.Suppression;
import io.funnelflow.contract.topic.Topics;
import io.funnelflow.ingest.privacy.SuppressionList;
import io.funnelflow.testing.SharedKafka;
import io.funnelflow.testing.TopicReader;
import io.funnelflow.testing.metrics.DashboardAssertions;
import io.funnelflow.testing.metrics.Scrape;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.funnelflow.testing.problem.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/** Ingest through HTTP against the real broker: what is answered is what is on the topics. */
class IngestIT {

    static IngestServer server;
    static TopicReader<String, TrackedEvent> events;
    static TopicReader<String, RejectedEvent> rejected;

    @BeforeAll
    static void start() {
        server = new IngestServer(SharedKafka.bootstrapServers(), Map.of("funnelflow.ingest.url-query-allowlist", "page"));
        events = TopicReader.of(Topics.EVENTS);
        rejected = TopicReader.of(Topics.EVENTS_REJECTED);
    }

    @AfterAll
    static void stop() {
        events.close();
        rejected.close();
        server.close();
    }

    static String session() {
        return "s-" + UUID.randomUUID();
    }

    static List<ConsumerRecord<String, TrackedEvent>> eventsOf(String session) {
        return events.readToEnd().stream().filter(r -> session.equals(r.key())).toList();
    }

    static List<RejectedEvent> rejectedOf(String session) {
        return rejected.readToEnd().stream()
                .filter(r -> session.equals(r.key()) || r.value().payload() != null && r.value().payload().toString().contains(session))
                .map(ConsumerRecord::value).toList();
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return Json.mapper().readTree(r.body());
    }

    @Test
    void anAcceptedEventIsOnTheTopicAsSentWithItsTimeCorrectedForClockSkew() throws Exception {
        String session = session();
        // the client's clock is one hour behind: it stamped the event 2 s before sending it
        Instant clientNow = Instant.now().minus(Duration.ofHours(1));
        String body = """
                {"event_id":"evt-%s","event_type":"add_to_cart","session_id":"%s","user_id":"u-7","anonymous_id":"a-7",
                 "timestamp":"%s","sent_at":"%s","page_url":"https://shop.example/p/42","referrer":"https://google.com/",
                 "utm_source":"google","utm_medium":"cpc","utm_campaign":"winter","platform":"web","device":"mobile",
                 "product_id":"p-42","product_name":"Wool socks","price":12.50,"quantity":2,"currency":"EUR",
                 "metadata":{"color":"red","size":42}}
                """.formatted(session, session, clientNow.minusSeconds(2), clientNow);
        Instant before = Instant.now();
        HttpResponse<String> r = server.post("/api/track", body);
        Instant after = Instant.now();

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(r).get("event_id").asText()).isEqualTo("evt-" + session);
        List<ConsumerRecord<String, TrackedEvent>> on = eventsOf(session);
        assertThat(on).hasSize(1);
        assertThat(on.get(0).key()).isEqualTo(session);
        TrackedEvent e = on.get(0).value();
        assertThat(e.eventId()).isEqualTo("evt-" + session);
        assertThat(e.eventType()).isEqualTo("add_to_cart");
        assertThat(e.userId()).isEqualTo("u-7");
        assertThat(e.anonymousId()).isEqualTo("a-7");
        assertThat(e.pageUrl()).isEqualTo("https://shop.example/p/42");
        assertThat(e.referrer()).isEqualTo("https://google.com/");
        assertThat(List.of(e.utmSource(), e.utmMedium(), e.utmCampaign(), e.platform(), e.device()))
                .containsExactly("google", "cpc", "winter", "web", "mobile");
        assertThat(e.productId()).isEqualTo("p-42");
        assertThat(e.productName()).isEqualTo("Wool socks");
        assertThat(e.price()).isEqualByComparingTo("12.50");
        assertThat(e.quantity()).isEqualTo(2);
        assertThat(e.currency()).isEqualTo("EUR");
        assertThat(e.metadata()).containsEntry("color", "red").containsEntry("size", 42);
        assertThat(e.timestamp()).isEqualTo(clientNow.minusSeconds(2));
        assertThat(e.sentAt()).isEqualTo(clientNow);
        assertThat(e.receivedAt()).isBetween(before, after);
        // corrected = timestamp + (received_at - sent_at): 2 s before the server received it
        assertThat(e.eventTime()).isEqualTo(e.receivedAt().minusSeconds(2));
    }

    @Test
    void aBatchPublishesExactlyTheValidEventsAndAnswersEachInvalidOne() throws Exception {
        String session = session();
        Instant t = Instant.now().minusSeconds(30);
        String body = """
                {"events":[
                  {"event_id":"%1$s-0","event_type":"page_view","session_id":"%1$s","timestamp":"%2$s"},
                  {"event_id":"%1$s-1","event_type":"product_view","session_id":"%1$s","timestamp":"%2$s","price":-3},
                  {"event_id":"%1$s-2","event_type":"purchase","session_id":"%1$s","timestamp":"%2$s"},
                  {"event_id":"%1$s-3","event_type":"add_to_cart","session_id":"%1$s","timestamp":"%2$s","quantity":"many"},
                  {"event_type":"product_view","session_id":"%1$s","timestamp":"%2$s","product_id":"p-1"},
                  "not an object",
                  {"event_id":"%1$s-6","event_type":"purchase","session_id":"%1$s","timestamp":"%2$s","revenue":"99.90"}
                ]}
                """.formatted(session, t);
        HttpResponse<String> r = server.post("/api/batch", body);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(207);
        JsonNode answer = json(r);
        assertThat(answer.get("accepted").asInt()).isEqualTo(3);
        assertThat(answer.get("rejected")).hasSize(4);
        assertThat(answer.get("rejected").get(0).toString()).contains("\"index\":1", "\"event_id\":\"" + session + "-1\"",
                "\"field\":\"price\"", "must not be negative");
        assertThat(answer.get("rejected").get(1).toString()).contains("\"index\":2", "\"field\":\"revenue\"", "required for a purchase");
        assertThat(answer.get("rejected").get(2).toString()).contains("\"index\":3", "\"field\":\"quantity\"", "whole number");
        assertThat(answer.get("rejected").get(3).toString()).contains("\"index\":5", "\"field\":\"event\"");
        String generated = answer.get("generated_ids").get(0).get("event_id").asText();
        assertThat(answer.get("generated_ids").get(0).get("index").asInt()).isEqualTo(4);

        assertThat(eventsOf(session)).extracting(rec -> rec.value().eventId())
                .containsExactlyInAnyOrder(session + "-0", generated, session + "-6");
        assertThat(eventsOf(session)).filteredOn(rec -> rec.value().eventId().equals(session + "-6"))
                .singleElement().satisfies(rec -> assertThat(rec.value().revenue()).isEqualByComparingTo(new BigDecimal("99.90")));
        List<RejectedEvent> refused = rejectedOf(session);
        assertThat(refused).extracting(RejectedEvent::field).containsExactlyInAnyOrder("price", "revenue", "quantity");
        assertThat(refused).allSatisfy(x -> {
            assertThat(x.stage()).isEqualTo("ingest");
            assertThat(x.reason()).isNotBlank();
            assertThat(x.payload().get("session_id").asText()).isEqualTo(session);
        });
    }

    @Test
    void aRefusedEventIsAProblemWithFieldReasonAndEventId() throws Exception {
        String session = session();
        JsonNode single = assertProblem(server.post("/api/track", """
                {"event_id":"%1$s-bad","event_type":"product_view","session_id":"%1$s","price":-3}""".formatted(session)), 400);
        assertThat(single.path("title").asText()).isEqualTo("invalid event");
        assertThat(single.path("field").asText()).isEqualTo("price");
        assertThat(single.path("event_id").asText()).isEqualTo(session + "-bad");
        assertThat(single.path("reason").asText()).contains("must not be negative");

        // a batch in which no event is valid lists each, as the answer to a partly valid one does
        JsonNode batch = assertProblem(server.post("/api/batch", """
                {"events":[{"event_type":"purchase","session_id":"%s"},"not an event"]}""".formatted(session)), 400);
        assertThat(batch.path("title").asText()).isEqualTo("invalid events");
        assertThat(batch.path("accepted").asInt()).isZero();
        assertThat(batch.path("rejected")).hasSize(2);
        assertThat(batch.path("rejected").get(0).path("field").asText()).isEqualTo("revenue");
        assertThat(batch.path("rejected").get(1).path("index").asInt()).isEqualTo(1);
        assertThat(eventsOf(session)).isEmpty();
    }

    @Test
    void metricsCountWhatWasAcceptedAndRefusedBesideTheJvmHttpAndProducerSeries() throws Exception {
        Scrape before = Scrape.of(server.url(""));
        String session = session();
        HttpResponse<String> r = server.post("/api/batch", """
                {"events":[
                  {"event_id":"%1$s-0","event_type":"page_view","session_id":"%1$s"},
                  {"event_id":"%1$s-1","event_type":"product_view","session_id":"%1$s"},
                  {"event_id":"%1$s-2","event_type":"product_view","session_id":"%1$s","price":-1}
                ]}""".formatted(session));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(207);
        server.post("/api/track", "{\"event_type\": oops}");

        Scrape after = Scrape.of(server.url(""));
        assertThat(after.value("funnelflow_ingest_events_accepted_total") - before.value("funnelflow_ingest_events_accepted_total"))
                .isEqualTo(2);
        assertThat(after.value("funnelflow_ingest_events_rejected_total", "field", "price")
                - before.samples("funnelflow_ingest_events_rejected_total", "field", "price").stream().mapToDouble(Scrape.Sample::value).sum())
                .isEqualTo(1);
        assertThat(after.value("funnelflow_ingest_requests_refused_total", "reason", "invalid_body")).isPositive();
        // the HTTP server records a request as its answer completes, which may be just after the client has it
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Scrape.of(server.url(""))
                .value("http_server_requests_seconds_count", "uri", "/api/batch", "status", "207")).isPositive());
        assertThat(after.value("jvm_memory_used_bytes", "service", "ingest-service")).isPositive();
        assertThat(after.value("kafka_producer_record_send_total")).isGreaterThanOrEqualTo(2);
        DashboardAssertions.assertEverySeriesOfTheDashboardIsExported(after, "funnelflow_ingest_", "kafka_producer_");
    }

    @Test
    void aRetriedEventWithoutIdGetsTheSameGeneratedId() throws Exception {
        String session = session();
        String body = """
                {"event_type":"page_view","session_id":"%s","timestamp":"%s"}""".formatted(session, Instant.now());
        String first = json(server.post("/api/track", body)).get("event_id").asText();
        String retry = json(server.post("/api/track", body)).get("event_id").asText();
        assertThat(retry).isEqualTo(first);
        assertThat(eventsOf(session)).extracting(rec -> rec.value().eventId()).containsExactly(first, first);
    }

    @Test
    void withoutAValidWriteKeyNothingIsPublished() throws Exception {
        String session = session();
        String event = """
                {"event_type":"page_view","session_id":"%s"}""".formatted(session);
        byte[] bytes = event.getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> missing = server.post("/api/track", bytes, Map.of());
        HttpResponse<String> wrong = server.post("/api/track", bytes, Map.of("Authorization", IngestServer.basic("stolen")));
        HttpResponse<String> wrongInBody = server.post("/api/batch",
                ("{\"write_key\":\"nope\",\"events\":[" + event + "]}").getBytes(StandardCharsets.UTF_8), Map.of());
        HttpResponse<String> rightInBody = server.post("/api/batch",
                ("{\"write_key\":\"other-site-key\",\"events\":[" + event + "]}").getBytes(StandardCharsets.UTF_8), Map.of());

        assertThat(List.of(missing.statusCode(), wrong.statusCode(), wrongInBody.statusCode())).containsOnly(401);
        assertThat(missing.headers().firstValue("WWW-Authenticate")).isPresent();
        assertThat(json(missing).get("field").asText()).isEqualTo("write_key");
        assertThat(json(missing).get("reason").asText()).contains("write key is required");
        assertThat(rightInBody.statusCode()).isEqualTo(200);
        assertThat(eventsOf(session)).hasSize(1);
        assertThat(rejectedOf(session)).isEmpty();
    }

    @Test
    void malformedAndOversizedBodiesAreRefusedWholeWithTheReason() throws Exception {
        HttpResponse<String> notJson = server.post("/api/track", "{\"event_type\": \"page_view\", oops}");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(json(notJson).get("field").asText()).isEqualTo("body");
        assertThat(json(notJson).get("reason").asText()).contains("not valid JSON", "line 1");

        HttpResponse<String> noEvents = server.post("/api/batch", "{\"evnts\":[]}");
        assertThat(noEvents.statusCode()).isEqualTo(400);
        assertThat(json(noEvents).get("field").asText()).isEqualTo("events");

        StringBuilder many = new StringBuilder("{\"events\":[");
        for (int i = 0; i < 501; i++) {
            many.append(i == 0 ? "" : ",").append("{\"event_type\":\"page_view\",\"session_id\":\"x\"}");
        }
        HttpResponse<String> tooMany = server.post("/api/batch", many.append("]}").toString());
        assertThat(tooMany.statusCode()).isEqualTo(413);
        assertThat(json(tooMany).get("reason").asText()).contains("501", "500");

        String huge = "{\"events\":[{\"event_type\":\"page_view\",\"session_id\":\"x\",\"metadata\":{\"pad\":\"" + "x".repeat(1_100_000) + "\"}}]}";
        assertThat(server.post("/api/batch", huge).statusCode()).isEqualTo(413);
        HttpResponse<String> hugeGzip = server.post("/api/batch", IngestServer.gzip(huge),
                Map.of("Authorization", IngestServer.basic(IngestServer.WRITE_KEY), "Content-Encoding", "gzip"));
        assertThat(hugeGzip.statusCode()).as(hugeGzip.body()).isEqualTo(413);
    }

    @Test
    void segmentCallsLandAsStandardEvents() throws Exception {
        String anon = "anon-" + UUID.randomUUID();
        Instant ts = Instant.now().minusSeconds(10);
        // as analytics-node / analytics-python send it: gzip, HTTP Basic with the write key as user
        String batch = """
                {"batch":[
                  {"type":"page","messageId":"%1$s-m1","anonymousId":"%1$s","timestamp":"%2$s","name":"Home",
                   "context":{"page":{"url":"https://shop.example/?utm_source=newsletter&utm_medium=email&utm_campaign=nov",
                     "referrer":"https://mail.example/"},
                     "userAgent":"Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148"}},
                  {"type":"track","event":"Product Viewed","messageId":"%1$s-m2","anonymousId":"%1$s","timestamp":"%2$s",
                   "properties":{"product_id":"sku-9","name":"Rain jacket","price":"89.00","category":"outerwear"},
                   "context":{"campaign":{"source":"facebook","medium":"social","name":"autumn"}}},
                  {"type":"track","event":"Product Added","messageId":"%1$s-m3","anonymousId":"%1$s","timestamp":"%2$s",
                   "properties":{"product_id":"sku-9","name":"Rain jacket","price":89,"quantity":1,"currency":"eur"}},
                  {"type":"track","event":"Checkout Started","messageId":"%1$s-m4","anonymousId":"%1$s","timestamp":"%2$s"},
                  {"type":"track","event":"Order Completed","messageId":"%1$s-m5","anonymousId":"%1$s","userId":"cust-1",
                   "timestamp":"%2$s","properties":{"order_id":"o-1","currency":"EUR",
                   "products":[{"product_id":"sku-9","price":89,"quantity":2},{"product_id":"sku-1","price":5.5}]}},
                  {"type":"track","event":"Video Played","messageId":"%1$s-m6","anonymousId":"%1$s","timestamp":"%2$s",
                   "properties":{"name":"Lookbook"}},
                  {"type":"identify","messageId":"%1$s-m7","anonymousId":"%1$s","userId":"cust-1","traits":{"plan":"gold"}},
                  {"type":"mystery","messageId":"%1$s-m8","anonymousId":"%1$s"}
                ],"sentAt":"%3$s"}
                """.formatted(anon, ts, ts.plusSeconds(1));
        HttpResponse<String> r = server.post("/v1/batch", IngestServer.gzip(batch),
                Map.of("Authorization", IngestServer.basic(IngestServer.WRITE_KEY), "Content-Encoding", "gzip"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(207);
        assertThat(json(r).get("rejected").get(0).get("field").asText()).isEqualTo("type");

        List<TrackedEvent> on = eventsOf(anon).stream().map(ConsumerRecord::value).toList();
        assertThat(on).extracting(TrackedEvent::eventId).containsExactlyInAnyOrder(
                anon + "-m1", anon + "-m2", anon + "-m3", anon + "-m4", anon + "-m5", anon + "-m6", anon + "-m7");
        TrackedEvent page = find(on, anon + "-m1");
        assertThat(page.eventType()).isEqualTo("page_view");
        assertThat(List.of(page.utmSource(), page.utmMedium(), page.utmCampaign())).containsExactly("newsletter", "email", "nov");
        assertThat(page.referrer()).isEqualTo("https://mail.example/");
        assertThat(page.device()).isEqualTo("mobile");
        assertThat(page.platform()).isEqualTo("web");
        assertThat(page.eventTime()).isCloseTo(page.receivedAt().minusSeconds(1), within(Duration.ofMillis(1)));
        TrackedEvent view = find(on, anon + "-m2");
        assertThat(view.eventType()).isEqualTo("product_view");
        assertThat(view.productName()).isEqualTo("Rain jacket");
        assertThat(view.price()).isEqualByComparingTo("89.00");
        assertThat(view.utmSource()).isEqualTo("facebook");
        assertThat(view.utmCampaign()).isEqualTo("autumn");
        assertThat(view.metadata()).containsEntry("category", "outerwear");
        TrackedEvent add = find(on, anon + "-m3");
        assertThat(add.eventType()).isEqualTo("add_to_cart");
        assertThat(add.quantity()).isEqualTo(1);
        assertThat(add.currency()).isEqualTo("EUR");
        assertThat(find(on, anon + "-m4").eventType()).isEqualTo("checkout_start");
        TrackedEvent order = find(on, anon + "-m5");
        assertThat(order.eventType()).isEqualTo("purchase");
        assertThat(order.revenue()).isEqualByComparingTo("183.50");
        assertThat(order.userId()).isEqualTo("cust-1");
        TrackedEvent custom = find(on, anon + "-m6");
        assertThat(custom.eventType()).isEqualTo("Video Played");
        assertThat(custom.metadata()).containsEntry("name", "Lookbook");
        TrackedEvent identify = find(on, anon + "-m7");
        assertThat(identify.eventType()).isEqualTo("identify");
        assertThat(identify.metadata()).containsEntry("plan", "gold");
    }

    @Test
    void pageUrlsArePublishedWithoutTheirQueryButCampaignAndAllowedParametersAndRefusalsKeepWhatWasSent() throws Exception {
        String session = session();
        Instant ts = Instant.now().minusSeconds(5);
        String sent = "https://shop.example/p/42?email=ann%40example.com&utm_source=news&page=2&reset=tok-9#reviews";
        HttpResponse<String> r = server.post("/api/track", """
                {"event_id":"%1$s-url","event_type":"page_view","session_id":"%1$s","timestamp":"%2$s",
                 "page_url":"%3$s","referrer":"https://ann:pw@mail.example/inbox?msg=77"}""".formatted(session, ts, sent));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        TrackedEvent published = eventsOf(session).get(0).value();
        assertThat(published.pageUrl()).isEqualTo("https://shop.example/p/42?utm_source=news&page=2");
        assertThat(published.referrer()).isEqualTo("https://mail.example/inbox");

        // Segment's page call: the URL, the referrer and its search property alike
        String anon = "anon-" + UUID.randomUUID();
        HttpResponse<String> page = server.post("/v1/page", """
                {"messageId":"%1$s-p","anonymousId":"%1$s","timestamp":"%2$s","name":"Search",
                 "properties":{"url":"https://shop.example/search?q=ann%%40example.com&utm_campaign=nov",
                   "search":"?q=ann%%40example.com&utm_campaign=nov","referrer":"https://shop.example/?sid=1"}}""".formatted(anon, ts));
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        TrackedEvent segment = eventsOf(anon).get(0).value();
        assertThat(segment.pageUrl()).isEqualTo("https://shop.example/search?utm_campaign=nov");
        assertThat(segment.referrer()).isEqualTo("https://shop.example/");
        assertThat(segment.metadata()).containsEntry("search", "?utm_campaign=nov");
        assertThat(segment.utmCampaign()).isEqualTo("nov");

        // a refused event is kept as it was sent, for whoever must find out what went wrong
        String refusedSession = session();
        HttpResponse<String> refused = server.post("/api/track", """
                {"event_id":"%1$s-bad","session_id":"%1$s","timestamp":"%2$s","page_url":"%3$s"}""".formatted(refusedSession, ts, sent));
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).doesNotContain("ann%40example.com");
        assertThat(rejectedOf(refusedSession)).singleElement()
                .satisfies(x -> assertThat(x.payload().path("page_url").asText()).isEqualTo(sent));
    }

    @Test
    void anErasedPersonsLaterEventsAreTakenButPublishedNowhere() throws Exception {
        String user = "u-" + UUID.randomUUID();
        String anon = "a-" + UUID.randomUUID();
        try (KafkaProducer<String, Suppression> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers()),
                Topics.SUPPRESSIONS.keySerde().serializer(), Topics.SUPPRESSIONS.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(Topics.SUPPRESSIONS.name(), user, new Suppression(user, List.of(anon), Instant.now())))
                    .get(30, TimeUnit.SECONDS);
        }
        // ingest follows the topic (in a running service, within a poll)
        SuppressionList list = server.context().getBean(SuppressionList.class);
        await().atMost(Duration.ofSeconds(30)).until(() -> list.suppresses(user, null));

        String session = session();
        Instant ts = Instant.now().minusSeconds(5);
        HttpResponse<String> single = server.post("/api/track", """
                {"event_id":"%1$s-1","event_type":"page_view","session_id":"%1$s","user_id":"%2$s","timestamp":"%3$s"}"""
                .formatted(session, user, ts));
        assertThat(single.statusCode()).as(single.body()).isEqualTo(200);
        assertThat(json(single).get("success").asBoolean()).isTrue();
        assertThat(json(single).get("suppressed").asInt()).isEqualTo(1);

        String other = session();
        HttpResponse<String> batch = server.post("/api/batch", """
                {"events":[
                  {"event_id":"%1$s-2","event_type":"page_view","session_id":"%1$s","anonymous_id":"%3$s","timestamp":"%4$s"},
                  {"event_id":"%1$s-3","event_type":"product_view","session_id":"%1$s","user_id":"%5$s","price":-1,"timestamp":"%4$s"},
                  {"event_id":"%2$s-4","event_type":"page_view","session_id":"%2$s","user_id":"someone-else","timestamp":"%4$s"}
                ]}""".formatted(session, other, anon, ts, user));
        assertThat(batch.statusCode()).as(batch.body()).isEqualTo(200);
        assertThat(json(batch).get("accepted").asInt()).isEqualTo(1);
        assertThat(json(batch).get("suppressed").asInt()).isEqualTo(2);
        assertThat(json(batch).has("rejected")).isFalse();

        // the other person's event is on the topic (so the topic was read past the erased ones), theirs are not
        assertThat(eventsOf(other)).hasSize(1);
        assertThat(eventsOf(session)).isEmpty();
        assertThat(rejectedOf(session)).isEmpty();
    }

    @Test
    void segmentSingleCallsTakeTheWriteKeyFromTheBody() throws Exception {
        String anon = "anon-" + UUID.randomUUID();
        String track = """
                {"writeKey":"%s","event":"Order Completed","messageId":"%s-x","anonymousId":"%s",
                 "properties":{"total":"42.00","currency":"USD"}}""".formatted(IngestServer.WRITE_KEY, anon, anon);
        HttpResponse<String> r = server.post("/v1/track", track.getBytes(StandardCharsets.UTF_8), Map.of());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(r).get("success").asBoolean()).isTrue();
        HttpResponse<String> page = server.post("/v1/page", """
                {"writeKey":"%s","anonymousId":"%s","properties":{"url":"https://shop.example/"}}""".formatted(IngestServer.WRITE_KEY, anon)
                .getBytes(StandardCharsets.UTF_8), Map.of());
        assertThat(page.statusCode()).isEqualTo(200);
        HttpResponse<String> badTrack = server.post("/v1/track", """
                {"writeKey":"%s","anonymousId":"%s"}""".formatted(IngestServer.WRITE_KEY, anon).getBytes(StandardCharsets.UTF_8), Map.of());
        assertThat(badTrack.statusCode()).isEqualTo(400);
        assertThat(json(badTrack).get("field").asText()).isEqualTo("event");

        List<TrackedEvent> on = eventsOf(anon).stream().map(ConsumerRecord::value).toList();
        assertThat(on).extracting(TrackedEvent::eventType).containsExactlyInAnyOrder("purchase", "page_view");
        assertThat(find(on, anon + "-x").revenue()).isEqualByComparingTo("42.00");
    }

    /** The RudderStack Node SDK's requests as it sends them: gzip, form content type, the key as Basic user. */
    @Test
    void theRudderStackNodeSdksRequestsAreAcceptedAsTheySendThem() throws Exception {
        JsonNode captured;
        try (var in = IngestIT.class.getResourceAsStream("/fixtures/rudderstack/rudder-sdk-node-3.0.13.requests.json")) {
            captured = Json.mapper().readTree(in);
        }
        assertThat(captured).hasSize(2);
        for (JsonNode request : captured) {
            Map<String, String> headers = new java.util.LinkedHashMap<>();
            JsonNode raw = request.get("rawHeaders");
            for (int i = 0; i < raw.size(); i += 2) {
                String name = raw.get(i).asText();
                if (!List.of("host", "content-length", "connection").contains(name.toLowerCase(java.util.Locale.ROOT))) {
                    headers.put(name, raw.get(i + 1).asText());
                }
            }
            assertThat(headers).containsEntry("Content-Type", "application/x-www-form-urlencoded").containsEntry("Content-Encoding", "gzip");
            // nothing changed but the credentials: our write key instead of the one it was captured with
            headers.put("Authorization", IngestServer.basic(IngestServer.WRITE_KEY));
            byte[] body = java.util.Base64.getDecoder().decode(request.get("body_base64").asText());
            HttpResponse<String> r = server.post(request.get("path").asText(), body, headers, "application/x-www-form-urlencoded");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        }
        List<TrackedEvent> on = eventsOf("anon-rs-1").stream().map(ConsumerRecord::value).toList();
        assertThat(on).extracting(TrackedEvent::eventId).contains("rs-fixture-1", "rs-fixture-2");
        TrackedEvent view = find(on, "rs-fixture-1");
        assertThat(view.eventType()).isEqualTo("product_view");
        assertThat(view.price()).isEqualByComparingTo("12.5");
        assertThat(view.utmSource()).isEqualTo("google");
        assertThat(find(on, "rs-fixture-2").revenue()).isEqualByComparingTo("25");
    }

    @Test
    void anyContentTypeIsReadAsJsonOnTheSegmentEndpoints() throws Exception {
        String anon = "anon-" + UUID.randomUUID();
        String track = """
                {"type":"track","event":"Signed Up","messageId":"%1$s-ct","anonymousId":"%1$s"}""".formatted(anon);
        for (String type : new String[]{"application/x-www-form-urlencoded", "application/octet-stream", "text/html"}) {
            HttpResponse<String> r = server.post("/v1/track", IngestServer.gzip(track),
                    Map.of("Authorization", IngestServer.basic(IngestServer.WRITE_KEY)), type);
            assertThat(r.statusCode()).as(type + " " + r.body()).isEqualTo(200);
            HttpResponse<String> plain = server.post("/v1/batch", ("{\"batch\":[" + track.replace("-ct", "-" + type.length()) + "]}")
                    .getBytes(StandardCharsets.UTF_8), Map.of("Authorization", IngestServer.basic(IngestServer.WRITE_KEY)), type);
            assertThat(plain.statusCode()).as(type + " " + plain.body()).isEqualTo(200);
        }
        assertThat(eventsOf(anon)).hasSize(6);
    }

    /**
     * A wrong key with a body whose mapping would never end (a product price of 1e100000000 summed into an
     * order total) is answered 401 at once: the key is found and checked before anything is mapped.
     */
    @Test
    void aWrongKeyWithAHostileBodyIsAnsweredAtOnce() throws Exception {
        String hostile = """
                {"writeKey":"not-a-key","event":"Order Completed","anonymousId":"a",
                 "properties":{"products":[{"price":1e100000000,"quantity":1e100000000}]}}""";
        HttpResponse<String> inBody = server.post("/v1/track", hostile.getBytes(StandardCharsets.UTF_8), Map.of(),
                "application/json", Duration.ofSeconds(5));
        assertThat(inBody.statusCode()).isEqualTo(401);
        assertThat(json(inBody).get("field").asText()).isEqualTo("write_key");
        HttpResponse<String> inHeader = server.post("/v1/batch", ("{\"batch\":[" + hostile + "]}").getBytes(StandardCharsets.UTF_8),
                Map.of("Authorization", IngestServer.basic("not-a-key")), "application/json", Duration.ofSeconds(5));
        assertThat(inHeader.statusCode()).isEqualTo(401);
        // and with the right key, the same body is refused with the field and reason, also at once
        HttpResponse<String> rightKey = server.post("/v1/track", hostile.replace("not-a-key", IngestServer.WRITE_KEY)
                .getBytes(StandardCharsets.UTF_8), Map.of(), "application/json", Duration.ofSeconds(5));
        assertThat(rightKey.statusCode()).isEqualTo(400);
        assertThat(json(rightKey).get("field").asText()).isEqualTo("properties.products[0].price");
        assertThat(json(rightKey).get("reason").asText()).isEqualTo("has more than 15 integer digits");
    }

    /**
     * A refused event of nearly a megabyte used to be put on the rejected topic whole. JSON writers escape
     * every character beyond the Basic Multilingual Plane as two \\u escapes, 12 bytes for 4, so its copy
     * passed Kafka's record limit: the send failed and the client was told 503, an outage, for its own bad input.
     */
    @Test
    void aRefusedEventOfNearlyAMegabyteIsA400NotAnOutage() throws Exception {
        String session = session();
        String body = """
                {"event_type":"page_view","session_id":"%s","page_url":"https://shop.example/%s"}""".formatted(session, "\uD83D\uDC5F".repeat(250_000));
        assertThat(body.getBytes(StandardCharsets.UTF_8).length).isLessThan(1 << 20);
        HttpResponse<String> r = server.post("/api/track", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(json(r).get("field").asText()).isEqualTo("page_url");
        assertThat(rejectedOf(session)).singleElement().satisfies(x -> {
            assertThat(x.field()).isEqualTo("page_url");
            assertThat(x.payload()).isNull();
            assertThat(x.rawText()).startsWith("{\"event_type\":\"page_view\"").hasSizeLessThan(70_000);
        });
    }

    /** Found by HostileInputIT: the HTTP server's own decompression answered broken gzip with a 500. */
    @Test
    void brokenGzipIsA400WithTheReasonWhateverTheHeadersSay() throws Exception {
        byte[] gzip = IngestServer.gzip("{\"batch\":[{\"type\":\"track\",\"event\":\"x\",\"anonymousId\":\"a\"}]}");
        byte[] truncated = java.util.Arrays.copyOf(gzip, gzip.length / 2);
        byte[] corrupt = gzip.clone();
        corrupt[gzip.length - 6] ^= 0x5a;
        for (byte[] body : List.of(truncated, corrupt)) {
            for (Map<String, String> headers : List.of(Map.of("Content-Encoding", "gzip"), Map.<String, String>of())) {
                Map<String, String> h = new java.util.HashMap<>(headers);
                h.put("Authorization", IngestServer.basic(IngestServer.WRITE_KEY));
                HttpResponse<String> r = server.post("/v1/batch", body, h);
                assertThat(r.statusCode()).as(headers + " " + r.body()).isEqualTo(400);
                assertThat(json(r).get("field").asText()).isEqualTo("body");
                assertThat(json(r).get("reason").asText()).contains("gzip");
            }
        }
    }

    /** Seed 001's own test of {@code POST /api/track}, exactly as documented, and its seed script's request. */
    @Test
    void theSeedTrackersRequestIsAnsweredWithOkAndId() throws Exception {
        HttpResponse<String> r = server.post("/api/track", """
                {"event_type": "page_view", "session_id": "test-session-123", "page_url": "/test", "metadata": {"test": true}}""");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode answer = json(r);
        assertThat(answer.get("ok").asBoolean()).isTrue();
        assertThat(answer.get("id").asText()).isNotBlank().isEqualTo(answer.get("event_id").asText());
        assertThat(answer.get("success").asBoolean()).as("today's fields are still there").isTrue();

        // scripts/seed_events.py: a Python datetime.utcnow().isoformat() timestamp, without offset
        String session = session();
        String naive = java.time.LocalDateTime.now(java.time.ZoneOffset.UTC).minusHours(3).toString();
        HttpResponse<String> seeded = server.post("/api/track", """
                {"event_type": "ad_click", "session_id": "%s", "timestamp": "%s", "utm_source": "google",
                 "device": "mobile", "metadata": {}}""".formatted(session, naive));
        assertThat(seeded.statusCode()).as(seeded.body()).isEqualTo(200);
        assertThat(json(seeded).get("ok").asBoolean()).isTrue();
        assertThat(eventsOf(session)).singleElement().satisfies(rec ->
                assertThat(rec.value().timestamp()).isEqualTo(java.time.LocalDateTime.parse(naive).toInstant(java.time.ZoneOffset.UTC)));
    }

    @Test
    void browserTrackersOnOtherSitesMayPost() throws Exception {
        var preflight = java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.url("/api/batch")))
                .method("OPTIONS", java.net.http.HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://shop.example")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type")
                .build();
        HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(preflight, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://shop.example");
    }

    @Test
    void healthIsUp() {
        HttpResponse<String> r = server.get("/health");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"kafka\"", "\"brokers\":1", "UP");
    }

    static TrackedEvent find(List<TrackedEvent> events, String id) {
        return events.stream().filter(e -> id.equals(e.eventId())).findFirst().orElseThrow(() -> new AssertionError("no event " + id));
    }
}
