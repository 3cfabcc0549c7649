package io.funnelflow.testing.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import io.funnelflow.contract.json.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Holds the Grafana dashboard ({@code deploy/grafana/funnelflow.json}) to what a service really exports: every
 * series a panel's query names, among those with the given prefixes, is in the service's {@code /metrics}.
 * A renamed meter, or a panel with a typo, fails here rather than showing an empty panel.
 */
public final class DashboardAssertions {

    public static final Path DASHBOARD = Path.of("deploy", "grafana", "funnelflow.json");
    private static final Pattern SERIES = Pattern.compile("[a-z_][a-z0-9_]*");

    private DashboardAssertions() {
    }

    /** The series the dashboard's queries name that start with one of the prefixes. */
    public static Set<String> seriesNamed(String... prefixes) {
        JsonNode dashboard = read();
        Set<String> names = new TreeSet<>();
        for (JsonNode expr : dashboard.findValues("expr")) {
            Matcher m = SERIES.matcher(expr.asText().replaceAll("\"[^\"]*\"", "\"\""));
            while (m.find()) {
                for (String prefix : prefixes) {
                    if (m.group().startsWith(prefix)) {
                        names.add(m.group());
                    }
                }
            }
        }
        return names;
    }

    public static void assertEverySeriesOfTheDashboardIsExported(Scrape scrape, String... prefixes) {
        Set<String> named = seriesNamed(prefixes);
        assertThat(named).as("series the dashboard names with " + String.join(", ", prefixes)).isNotEmpty();
        for (String series : named) {
            assertThat(scrape.samples(series)).as(series + ", which the dashboard names, in /metrics").isNotEmpty();
        }
    }

    private static JsonNode read() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve(DASHBOARD))) {
            dir = dir.getParent();
        }
        assertThat(dir).as(DASHBOARD + " above " + Path.of("").toAbsolutePath()).isNotNull();
        try {
            return Json.mapper().readTree(dir.resolve(DASHBOARD).toFile());
        } catch (IOException e) {
            throw new AssertionError("cannot read " + DASHBOARD, e);
        }
    }
}
