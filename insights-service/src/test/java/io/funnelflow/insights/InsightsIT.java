package io.funnelflow.insights;

import com.fasterxml.jackson.databind.JsonNode;
import io.funnelflow.contract.event.TrackedEvent;
import io.funnelflow.contract.json.Json;
import io.funnelflow.contract.topic.Topics;
import io.funnelflow.launcher.Ports;
import io.funnelflow.launcher.ServiceProcess;
import io.funnelflow.testing.RouteAccess;
import io.funnelflow.testing.SharedKafka;
import io.funnelflow.testing.SharedPostgres;
import io.funnelflow.testing.TestAccess;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With no LLM configured, insights over real numbers: shoppers' events go through the real broker
 * into the real aggregator (its jar, as a child process, on the real PostgreSQL), and the insights
 * service answers from the aggregator's query API with rule-based insights whose figures are the
 * ones computed here from the same shoppers.
 */
class InsightsIT {

    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final List<String> FUNNEL = List.of("page_view", "product_view", "add_to_cart", "checkout_start", "purchase");

    /** One shopper: how far down the funnel they went, where from, on what, and what they paid. */
    record Shopper(String session, int steps, String source, String device, String revenue, Instant start) {
    }

    static final Instant NOW = Instant.now();
    static final Instant RECENT = NOW.minus(Duration.ofHours(3)).truncatedTo(ChronoUnit.MINUTES);
    static final Instant EARLIER = NOW.minus(Duration.ofHours(30)).truncatedTo(ChronoUnit.MINUTES);

    static final List<Shopper> PREVIOUS_DAY = List.of(
            new Shopper("p1", 5, "google", "mobile", "40.00", EARLIER),
            new Shopper("p2", 2, "google", "desktop", null, EARLIER.plusSeconds(600)));

    static final List<Shopper> LAST_DAY = List.of(
            new Shopper("s1", 5, "google", "mobile", "50.00", RECENT),
            new Shopper("s2", 2, "google", "mobile", null, RECENT.plusSeconds(120)),
            new Shopper("s3", 3, "google", "mobile", null, RECENT.plusSeconds(240)),
            new Shopper("s4", 5, "facebook", "desktop", "80.00", RECENT.plusSeconds(360)),
            new Shopper("s5", 5, "facebook", "desktop", "20.00", RECENT.plusSeconds(3700)),
            new Shopper("s6", 1, "facebook", "desktop", null, RECENT.plusSeconds(3820)),
            new Shopper("s7", 4, "newsletter", "tablet", null, RECENT.plusSeconds(3940)));

    static ServiceProcess aggregator;
    static EmbeddedServer insights;
    static KafkaProducer<String, TrackedEvent> producer;
    static String readToken;

    @BeforeAll
    static void start() throws Exception {
        String bootstrap = SharedKafka.bootstrapServers();
        String jdbcUrl = SharedPostgres.newDatabase("insights_it");
        int port = Ports.free();
        Path jar = Path.of("..", "funnel-aggregator", "target", "funnel-aggregator.jar").toAbsolutePath().normalize();
        readToken = TestAccess.readToken();
        Map<String, String> env = new HashMap<>(Map.of("FUNNELFLOW_KAFKA_BOOTSTRAP", bootstrap, "FUNNELFLOW_JDBC_URL", jdbcUrl,
                "FUNNELFLOW_JDBC_USER", SharedPostgres.user(), "FUNNELFLOW_JDBC_PASSWORD", SharedPostgres.password(),
                "FUNNELFLOW_AGGREGATOR_PORT", String.valueOf(port),
                "FUNNELFLOW_DATA_DIR", Files.createTempDirectory("insights-it-aggregator").toString()));
        env.putAll(TestAccess.environment());
        aggregator = ServiceProcess.start("funnel-aggregator", jar, "http://127.0.0.1:" + port, env,
                "384m", Path.of("target", "it-logs", "funnel-aggregator.log"), Duration.ofSeconds(180));

        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producer = new KafkaProducer<>(props, Topics.EVENTS.keySerde().serializer(), Topics.EVENTS.valueSerde().serializer());

        Map<String, Object> config = new HashMap<>();
        config.put("micronaut.server.port", -1);
        config.put("micronaut.http.services.aggregator.url", aggregator.url());
        config.put("funnelflow.llm.model", "");
        config.putAll(TestAccess.properties());
        insights = ApplicationContext.run(EmbeddedServer.class, config);
    }

    @AfterAll
    static void stop() {
        if (insights != null) {
            insights.close();
        }
        if (producer != null) {
            producer.close();
        }
        if (aggregator != null) {
            aggregator.close();
        }
    }

    @Test
    void withoutAnLlmTheRulesExplainTheMeasuredFunnel() throws Exception {
        send(PREVIOUS_DAY);
        send(LAST_DAY);
        List<Shopper> sent = new ArrayList<>(PREVIOUS_DAY);
        sent.addAll(LAST_DAY);
        awaitCounted(sent);

        HttpResponse<String> response = post("{\"hours\": 24, \"breakdown\": \"utm_source\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode answer = Json.mapper().readTree(response.body());
        assertThat(answer.path("analyst").path("kind").asText()).isEqualTo("rules");
        assertThat(answer.path("analyst").path("reason").asText()).contains("no LLM is configured");
        assertThat(answer.path("range").path("hours").asInt()).isEqualTo(24);
        assertThat(answer.path("observations").size()).isBetween(3, 5);
        assertThat(answer.path("recommendations").size()).isEqualTo(answer.path("observations").size());

        // the expected figures, computed here from the shoppers sent
        long[] reached = new long[FUNNEL.size()];
        LAST_DAY.forEach(s -> {
            for (int i = 0; i < s.steps(); i++) {
                reached[i]++;
            }
        });
        int worst = 1;
        for (int i = 1; i < reached.length; i++) {
            if ((reached[i - 1] - reached[i]) * reached[worst - 1] > (reached[worst - 1] - reached[worst]) * reached[i - 1]) {
                worst = i;
            }
        }
        String dropRate = percent(reached[worst - 1] - reached[worst], reached[worst - 1]);
        String fromStep = worst == 1 ? "landing" : FUNNEL.get(worst - 1);
        Map<String, JsonNode> facts = new LinkedHashMap<>();
        answer.path("facts").forEach(f -> facts.put(f.path("id").asText(), f));

        JsonNode drop = facts.get("funnel.largest_drop");
        assertThat(drop.path("figures").path("drop_off_rate").path("text").asText()).isEqualTo(dropRate);
        assertThat(drop.path("figures").path("sessions_lost").path("value").asLong()).isEqualTo(reached[worst - 1] - reached[worst]);
        assertThat(answer.path("observations").get(0).path("text").asText())
                .contains("from " + fromStep + " to " + FUNNEL.get(worst), dropRate);
        assertThat(answer.path("observations").get(0).path("fact_ids").get(0).asText()).isEqualTo("funnel.largest_drop");

        assertThat(facts.get("overview").path("figures").path("sessions").path("value").asLong()).isEqualTo(LAST_DAY.size());
        BigDecimal revenue = LAST_DAY.stream().filter(s -> s.revenue() != null).map(s -> new BigDecimal(s.revenue()))
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(facts.get("overview").path("figures").path("revenue").path("value").decimalValue()).isEqualByComparingTo(revenue);

        // by channel: conversion of each, and the gap between the best and the worst
        Map<String, long[]> channels = new LinkedHashMap<>();
        LAST_DAY.forEach(s -> {
            long[] c = channels.computeIfAbsent(s.source(), k -> new long[2]);
            c[0]++;
            c[1] += s.steps() == FUNNEL.size() ? 1 : 0;
        });
        channels.forEach((source, c) -> assertThat(facts.get("utm_source." + source + ".conversion").path("figures")
                .path("conversion_rate").path("text").asText()).as(source).isEqualTo(percent(c[1], c[0])));
        assertThat(facts.get("utm_source.gap").path("subject").asText()).isEqualTo("facebook / newsletter");
        assertThat(facts.get("device.gap")).isNotNull();

        // revenue per channel comes from the aggregator's revenue by utm_source
        assertThat(facts.get("revenue.top_channel").path("subject").asText()).isEqualTo("facebook");
        assertThat(facts.get("revenue.top_channel").path("figures").path("revenue").path("text").asText()).isEqualTo("100.00");

        // against the day before: sessions and revenue
        assertThat(facts.get("change.sessions").path("figures").path("previous").path("value").asLong()).isEqualTo(PREVIOUS_DAY.size());
        assertThat(facts.get("change.revenue").path("figures").path("previous").path("text").asText()).isEqualTo("40.00");

        // the busiest hour of the day, from the events
        Map<Integer, Long> byHour = new HashMap<>();
        for (Shopper s : LAST_DAY) {
            for (int i = 0; i < s.steps(); i++) {
                byHour.merge(s.start().plusSeconds(10L * i).atZone(ZoneOffset.UTC).getHour(), 1L, Long::sum);
            }
        }
        long peak = byHour.values().stream().mapToLong(Long::longValue).max().orElseThrow();
        assertThat(facts.get("traffic.peak_hour").path("figures").path("events").path("value").asLong()).isEqualTo(peak);

        // asked again over the same data: the cached answer
        JsonNode again = Json.mapper().readTree(post("{\"hours\": 24, \"breakdown\": \"utm_source\"}").body());
        assertThat(again.path("id").asText()).isEqualTo(answer.path("id").asText());

        // new data is a new data version, and a new answer
        Shopper late = new Shopper("s8", 5, "newsletter", "tablet", "30.00", NOW.minus(Duration.ofMinutes(30)));
        send(List.of(late));
        sent.add(late);
        awaitCounted(sent);
        JsonNode fresh = Json.mapper().readTree(post("{\"hours\": 24, \"breakdown\": \"utm_source\"}").body());
        assertThat(fresh.path("id").asText()).isNotEqualTo(answer.path("id").asText());
        assertThat(fresh.path("range").path("data_version").asText()).isNotEqualTo(answer.path("range").path("data_version").asText());
    }

    static String percent(long part, long whole) {
        return BigDecimal.valueOf(part * 100.0 / whole).setScale(1, RoundingMode.HALF_UP) + "%";
    }

    static void send(List<Shopper> shoppers) throws Exception {
        for (Shopper s : shoppers) {
            for (int i = 0; i < s.steps(); i++) {
                Instant at = s.start().plusSeconds(10L * i);
                String type = FUNNEL.get(i);
                boolean purchase = type.equals("purchase");
                TrackedEvent e = new TrackedEvent(s.session() + "-" + i, type, at, at, at, at, s.session(), null,
                        "anon-" + s.session(), "https://shop.example/" + type, null, s.source(), "cpc", "autumn", "web",
                        s.device(), purchase || type.equals("add_to_cart") ? "p-1" : null, null,
                        type.equals("add_to_cart") ? new BigDecimal("20.00") : null, type.equals("add_to_cart") ? 1 : null,
                        purchase ? new BigDecimal(s.revenue()) : null, purchase ? "EUR" : null, null);
                producer.send(new ProducerRecord<>(Topics.EVENTS.name(), s.session(), e)).get();
            }
        }
    }

    /** Until the aggregator has every session, purchase and event of the shoppers sent. */
    static void awaitCounted(List<Shopper> sent) {
        long purchases = sent.stream().filter(s -> s.steps() == FUNNEL.size()).count();
        long events = sent.stream().mapToLong(Shopper::steps).sum();
        await().atMost(120, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            HttpResponse<String> r = HTTP.send(TestAccess.request(aggregator.url() + "/api/analytics?hours=48").build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode kpis = Json.mapper().readTree(r.body());
            long counted = 0;
            for (JsonNode n : kpis.path("events_by_type")) {
                counted += n.asLong();
            }
            assertThat(kpis.path("sessions").asLong()).as(r.body()).isEqualTo(sent.size());
            assertThat(kpis.path("purchases").asLong()).as(r.body()).isEqualTo(purchases);
            assertThat(counted).as(r.body()).isEqualTo(events);
        });
    }

    @Test
    void everyRouteButHealthNeedsATokenAndAskingTheAnalystNeedsAdmin() {
        Set<String> open = Set.of("/health", "/health/**");
        assertThat(RouteAccess.violations(insights.getApplicationContext(), insights.getURL().toString(), readToken, open)).isEmpty();
        assertThat(RouteAccess.publicRoutes(insights.getApplicationContext(), open))
                .containsExactlyInAnyOrder("GET /health", "HEAD /health", "GET /health/{selector}", "HEAD /health/{selector}");
        assertThat(RouteAccess.needsAdmin(RouteAccess.routes(insights.getApplicationContext()).stream()
                .filter(r -> r.getUriMatchTemplate().toString().equals("/api/insights")).findFirst().orElseThrow())).isTrue();
        assertThat(RouteAccess.health(insights.getURL().toString(), null).body()).matches("\\{\"status\":\"(UP|DOWN)\"}");
    }

    static HttpResponse<String> post(String body) throws Exception {
        return HTTP.send(TestAccess.request(insights.getURL() + "/api/insights")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
