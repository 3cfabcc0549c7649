package io.funnelflow.testing.metrics;

import io.funnelflow.testing.TestAccess;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** One read of a service's {@code /metrics} (Prometheus' text format), and its samples. */
public final class Scrape {

    /** One sample: {@code name{labels} value}. */
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern LINE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)(?: \\d+)?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

    private final List<Sample> samples;
    private final String text;

    private Scrape(String text) {
        this.text = text;
        List<Sample> parsed = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                throw new AssertionError("not a Prometheus sample: " + line);
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(2) != null) {
                Matcher l = LABEL.matcher(m.group(2));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2));
                }
            }
            parsed.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(3))));
        }
        this.samples = List.copyOf(parsed);
    }

    /** Reads {@code baseUrl + "/metrics"}: 200, in Prometheus' text format. */
    public static Scrape of(String baseUrl) {
        try {
            HttpResponse<String> r = HTTP.send(TestAccess.request(URI.create(baseUrl + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as("GET /metrics").isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
            return new Scrape(r.body());
        } catch (IOException e) {
            throw new AssertionError("GET " + baseUrl + "/metrics failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The samples of this name (exactly) whose labels include every {@code label, value} pair given. */
    public List<Sample> samples(String name, String... labelValuePairs) {
        return samples.stream().filter(s -> s.name().equals(name) && matches(s.labels(), labelValuePairs)).toList();
    }

    /** The sum of those samples; fails when there is none. */
    public double value(String name, String... labelValuePairs) {
        List<Sample> found = samples(name, labelValuePairs);
        assertThat(found).as(name + " " + String.join(",", labelValuePairs) + " in /metrics").isNotEmpty();
        return found.stream().mapToDouble(Sample::value).sum();
    }

    /** Whether any sample's name starts with {@code prefix}. */
    public boolean hasSeriesStartingWith(String prefix) {
        return samples.stream().anyMatch(s -> s.name().startsWith(prefix));
    }

    public String text() {
        return text;
    }

    private static boolean matches(Map<String, String> labels, String... pairs) {
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            if (!pairs[i + 1].equals(labels.get(pairs[i]))) {
                return false;
            }
        }
        return true;
    }
}
