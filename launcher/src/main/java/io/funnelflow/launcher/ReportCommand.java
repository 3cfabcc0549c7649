package io.funnelflow.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import io.funnelflow.contract.json.Json;
import io.funnelflow.launcher.StackConfig.Service;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code funnelflow report}: a numbered summary of the last hours from the query API —
 * {@code funnel_summary_NNN.txt} (the funnel with step conversion and drop-off, the key figures, cart
 * abandonment, the peak of the week, the top channels) and {@code funnel_summary_NNN.csv} beside it (the
 * funnel's steps as the API exports them), NNN the next number free in the directory.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Writes the next funnel_summary_NNN.txt and funnel_summary_NNN.csv from the running aggregator's query API.",
                "The token is --token, else FUNNELFLOW_API_TOKEN, else the local stack's admin token."})
public final class ReportCommand implements Callable<Integer> {

    /** The most reports one directory numbers. */
    public static final int MAX_NUMBER = 999;
    static final int MAX_HOURS = 24 * 366 * 3;
    private static final Pattern NAME = Pattern.compile("funnel_summary_(\\d{3})\\.(txt|csv)");

    @Option(names = "--hours", description = "the range: the last N hours (default ${DEFAULT-VALUE})", defaultValue = "24")
    int hours;

    @Option(names = "--out", description = "the directory (default ${DEFAULT-VALUE}, made if missing)", defaultValue = "reports")
    Path out;

    @Option(names = "--url", description = "the aggregator (default: the local stack's)")
    String url;

    @Option(names = "--token", description = "an API token with read scope")
    String token;

    PrintStream console = System.out;

    /** The two files written. */
    public record Written(int number, Path text, Path csv) {
    }

    @Override
    public Integer call() throws Exception {
        if (hours < 1 || hours > MAX_HOURS) {
            System.err.println("funnelflow report: --hours must be between 1 and " + MAX_HOURS);
            return 2;
        }
        Map<String, String> env = System.getenv();
        StackConfig config = StackConfig.fromEnvironment(env);
        String base = url != null ? url : env.getOrDefault("FUNNELFLOW_AGGREGATOR_URL", config.serviceUrl(Service.AGGREGATOR));
        String bearer = token != null ? token : env.get("FUNNELFLOW_API_TOKEN");
        if (bearer == null && Files.isReadable(config.adminTokenFile())) {
            bearer = Files.readString(config.adminTokenFile()).trim();
        }
        if (bearer == null || bearer.isBlank()) {
            System.err.println("funnelflow report: no token: pass --token, set FUNNELFLOW_API_TOKEN, or start the local stack");
            return 2;
        }
        try {
            Written w = write(base, bearer, hours, out, Instant.now());
            console.println("Wrote " + w.text() + " and " + w.csv());
            return 0;
        } catch (ReportException e) {
            System.err.println("funnelflow report: " + e.getMessage());
            return 1;
        }
    }

    /** Thrown when the API cannot answer or the directory has no free number. */
    public static final class ReportException extends Exception {
        ReportException(String message) {
            super(message);
        }
    }

    /** Reads the reports of the last {@code hours} and writes them under the next free number in {@code dir}. */
    public static Written write(String base, String token, int hours, Path dir, Instant now) throws IOException, InterruptedException, ReportException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String range = "hours=" + hours;
        JsonNode funnel = Json.mapper().readTree(get(http, base, token, "/api/funnel?" + range, "application/json"));
        JsonNode kpis = Json.mapper().readTree(get(http, base, token, "/api/analytics?" + range, "application/json"));
        JsonNode heat = Json.mapper().readTree(get(http, base, token, "/api/trends?interval=weekday_hour&" + range, "application/json"));
        String csv = get(http, base, token, "/api/funnel?format=csv&" + range, "text/csv");
        String text = text(funnel, kpis, heat, hours, now);

        Files.createDirectories(dir);
        for (int attempt = 0; attempt < 10; attempt++) {
            int number = next(dir);
            Path textFile = dir.resolve(String.format(Locale.ROOT, "funnel_summary_%03d.txt", number));
            Path csvFile = dir.resolve(String.format(Locale.ROOT, "funnel_summary_%03d.csv", number));
            try {
                // CREATE_NEW: a report written meanwhile by another run takes its number, never overwritten
                Files.writeString(textFile, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (FileAlreadyExistsException e) {
                continue;
            }
            Files.writeString(csvFile, csv, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            return new Written(number, textFile, csvFile);
        }
        throw new ReportException("could not take a free number in " + dir);
    }

    /** One more than the highest number a report in the directory has (001 for none). */
    static int next(Path dir) throws IOException, ReportException {
        int highest = 0;
        try (Stream<Path> files = Files.list(dir)) {
            for (Iterator<Path> it = files.iterator(); it.hasNext(); ) {
                Matcher m = NAME.matcher(it.next().getFileName().toString());
                if (m.matches()) {
                    highest = Math.max(highest, Integer.parseInt(m.group(1)));
                }
            }
        }
        if (highest >= MAX_NUMBER) {
            throw new ReportException(dir + " holds funnel_summary_" + MAX_NUMBER + " already: use another --out");
        }
        return highest + 1;
    }

    private static String get(HttpClient http, String base, String token, String path, String accept)
            throws IOException, InterruptedException, ReportException {
        HttpResponse<String> r;
        try {
            r = http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + token).header("Accept", accept).GET().build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ReportException("the aggregator at " + base + " did not answer (" + e.getMessage() + "); is the stack up?");
        }
        if (r.statusCode() != 200) {
            String reason = r.body().length() > 300 ? r.body().substring(0, 300) : r.body();
            throw new ReportException(path + " answered " + r.statusCode() + ": " + reason);
        }
        return r.body();
    }

    /** The text report: fixed-width tables, numbers as the API gives them. */
    static String text(JsonNode funnel, JsonNode kpis, JsonNode heat, int hours, Instant now) {
        StringBuilder b = new StringBuilder();
        JsonNode range = kpis.path("range");
        b.append("FunnelFlow funnel summary\n");
        b.append(String.format(Locale.ROOT, "Range: the last %d hours, %s to %s (whole hours, UTC)%n", hours,
                range.path("from").asText(kpis.path("from").asText()), range.path("to").asText(kpis.path("to").asText())));
        b.append("Written: ").append(now).append("\n\n");

        b.append("Funnel '").append(funnel.path("funnel").asText()).append("' (").append(funnel.path("mode").asText())
                .append(", ").append(funnel.path("count").asText()).append(")\n");
        b.append(String.format(Locale.ROOT, "  %-4s %-22s %10s %14s %11s %10s %9s%n", "step", "event", "sessions",
                "from previous", "from start", "drop-off", "drop %"));
        for (JsonNode s : funnel.path("steps")) {
            b.append(String.format(Locale.ROOT, "  %-4d %-22s %10d %14s %11s %10d %9s%n", s.path("index").asInt(),
                    s.path("label").asText(), s.path("count").asLong(), pct(s.path("conversion_from_previous")),
                    pct(s.path("conversion_from_start")), s.path("drop_off").asLong(), pct(s.path("drop_off_rate"))));
        }
        if (funnel.hasNonNull("status") && !"complete".equals(funnel.path("status").asText())) {
            b.append("  (").append(funnel.path("status").asText()).append(": ").append(funnel.path("status_reason").asText()).append(")\n");
        }

        b.append("\nKey figures\n");
        row(b, "sessions", kpis.path("sessions").asText());
        row(b, "unique visitors (estimate)", kpis.path("unique_visitors").asText());
        row(b, "converted sessions", kpis.path("converted_sessions").asText());
        row(b, "conversion rate", pct(kpis.path("conversion_rate")));
        row(b, "purchases", kpis.path("purchases").asText());
        row(b, "revenue", kpis.path("revenue").asText());
        row(b, "average order value", kpis.path("average_order_value").asText());
        row(b, "average session (s)", kpis.path("average_session_seconds").asText());

        b.append("\nCart abandonment\n");
        row(b, "sessions with a cart", kpis.path("cart_sessions").asText());
        row(b, "abandonment rate", pct(kpis.path("cart_abandonment_rate")));

        b.append("\nPeak time\n");
        JsonNode peak = heat.path("peak");
        row(b, "busiest hour of the week", peak.isMissingNode() || peak.isNull() ? "no events in the range"
                : peak.path("label").asText() + " (" + peak.path("events").asLong() + " events)");

        b.append("\nTop channels by revenue\n");
        Iterator<Map.Entry<String, JsonNode>> sources = kpis.path("revenue_by_source").fields();
        int shown = 0;
        while (sources.hasNext() && shown < 5) {
            Map.Entry<String, JsonNode> e = sources.next();
            row(b, e.getKey(), e.getValue().asText());
            shown++;
        }
        if (shown == 0) {
            b.append("  (no revenue in the range)\n");
        }
        return b.toString();
    }

    private static void row(StringBuilder b, String name, String value) {
        b.append(String.format(Locale.ROOT, "  %-28s %s%n", name, value));
    }

    private static String pct(JsonNode ratio) {
        return ratio.isNumber() ? String.format(Locale.ROOT, "%.1f%%", ratio.asDouble() * 100) : "–";
    }
}
