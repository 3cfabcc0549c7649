package io.funnelflow.bench;

import io.funnelflow.aggregator.aggregate.Dimension;
import io.funnelflow.aggregator.aggregate.FunnelAggregate;
import io.funnelflow.aggregator.aggregate.Granularity;
import io.funnelflow.aggregator.aggregate.SessionAggregate;
import io.funnelflow.aggregator.funnel.FunnelMode;
import io.funnelflow.contract.topic.Topics;
import io.funnelflow.launcher.LocalKafka;
import io.funnelflow.launcher.LocalPostgres;
import io.funnelflow.launcher.Ports;
import io.funnelflow.launcher.ServiceProcess;
import io.funnelflow.launcher.StackConfig;
import org.flywaydb.core.Flyway;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/**
 * The query side at the scale of a real shop: {@code --days} days of {@code --sessions-per-day}
 * sessions, written in bulk (session rows, and the stream's bucket rows for them: six partitions'
 * shares per bucket, with their sketches), then every report endpoint of the aggregator, started from
 * its jar with its production heap, asked over that whole range in alternating rounds beside a plain
 * {@code SELECT count(*)} over the same range's sessions in the same run. Latencies are HTTP round trips,
 * JSON included. The aggregator's heap after the rounds is printed too.
 */
@Command(name = "query", mixinStandardHelpOptions = true,
        description = "Funnel, analytics and trends over a month of a busy shop, beside SELECT count(*) over the same sessions.")
final class QueryBenchmark implements Callable<Integer> {

    @Option(names = "--days", defaultValue = "30", description = "days of history (default ${DEFAULT-VALUE})")
    int days;

    @Option(names = "--sessions-per-day", defaultValue = "1000000", description = "sessions a day (default ${DEFAULT-VALUE})")
    int perDay;

    @Option(names = "--rounds", defaultValue = "5", description = "alternating rounds (default ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--queries", defaultValue = "20", description = "queries of each kind per round (default ${DEFAULT-VALUE})")
    int queries;

    @Option(names = "--heap", defaultValue = "256m", description = "the aggregator's heap (default ${DEFAULT-VALUE}, as ./funnelflow up)")
    String heap;

    static final int PARTS = Topics.DEFAULT_PARTITIONS;
    static final String TOKEN = "bench-query-token";
    static final String[][] VALUES = {
            {"google", "facebook", "newsletter", "direct", "instagram", "linkedin"},
            {"cpc", "social", "email", "(none)", "referral"},
            {"winter-sale", "brand", "retargeting", "launch", "black-friday", "spring", "newsletter-12", "always-on", "vip", "(none)"},
            {"desktop", "mobile", "tablet"},
            {"web", "app"}};
    static final double[] FUNNEL_RATES = {1.0, 0.7, 0.5, 0.3, 0.2};
    static final String[] EVENT_TYPES = {"page_view", "product_view", "add_to_cart", "remove_from_cart", "checkout_start",
            "purchase", "ad_click", "identify"};

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Override
    public Integer call() throws Exception {
        Path dir = Files.createTempDirectory("funnelflow-bench-query");
        StackConfig stack = StackConfig.fromEnvironment(System.getenv());
        Instant to = Instant.now().truncatedTo(ChronoUnit.DAYS);
        Instant from = to.minus(Duration.ofDays(days));
        try (LocalKafka kafka = new LocalKafka(dir.resolve("kafka"), Ports.free(), Ports.free(), "512m").start();
             LocalPostgres pg = LocalPostgres.start(dir.resolve("pg"), 0, "funnelflow")) {
            kafka.createTopics(PARTS);
            Flyway.configure().dataSource(pg.jdbcUrl(), pg.user(), "").locations("classpath:db/migration").load().migrate();
            long t0 = System.nanoTime();
            System.out.printf(Locale.ROOT, "Writing %d days × %,d sessions a day and their bucket rows …%n", days, perDay);
            long[] rows;
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), "")) {
                rows = load(c, from);
                try (Statement s = c.createStatement()) {
                    s.execute("VACUUM ANALYZE");
                }
            }
            System.out.printf(Locale.ROOT, "  %,d session rows, %,d bucket rows in %.0f s%n", rows[0], rows[1], (System.nanoTime() - t0) / 1e9);

            int port = Ports.free();
            Map<String, String> env = Map.of(
                    "FUNNELFLOW_KAFKA_BOOTSTRAP", kafka.bootstrapServers(),
                    "FUNNELFLOW_AGGREGATOR_PORT", String.valueOf(port),
                    "FUNNELFLOW_JDBC_URL", pg.jdbcUrl(),
                    "FUNNELFLOW_JDBC_USER", pg.user(),
                    "FUNNELFLOW_API_TOKENS", TOKEN,
                    "FUNNELFLOW_DATA_DIR", dir.toString());
            try (ServiceProcess aggregator = ServiceProcess.start("funnel-aggregator", stack.serviceJar(StackConfig.Service.AGGREGATOR),
                    "http://127.0.0.1:" + port, env, heap, dir.resolve("aggregator.log"), Duration.ofSeconds(180));
                 Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), "")) {
                String range = "from=" + from + "&to=" + to;
                Map<String, String> endpoints = new LinkedHashMap<>();
                endpoints.put("funnel", "/api/funnel?" + range);
                endpoints.put("funnel by utm_source", "/api/funnel?breakdown=utm_source&" + range);
                endpoints.put("funnel by utm_campaign, strict, events", "/api/funnel?breakdown=utm_campaign&mode=strict&count=events&" + range);
                endpoints.put("analytics", "/api/analytics?" + range);
                endpoints.put("trends by hour", "/api/trends?interval=hour&" + range);
                endpoints.put("trends by weekday", "/api/trends?interval=weekday&" + range);
                endpoints.put("trends by weekday and hour (heatmap)", "/api/trends?interval=weekday_hour&" + range);
                endpoints.put("funnel by utm_source as CSV", "/api/funnel?breakdown=utm_source&format=csv&" + range);
                Map<String, List<Long>> latencies = new LinkedHashMap<>();
                latencies.put("SELECT count(*) FROM sessions (baseline)", new ArrayList<>());
                endpoints.keySet().forEach(k -> latencies.put(k, new ArrayList<>()));
                // warm-up, not measured
                for (int i = 0; i < 5; i++) {
                    count(c, from, to);
                    for (String path : endpoints.values()) {
                        get(aggregator.url() + path);
                    }
                }
                for (int round = 0; round < rounds; round++) {
                    for (int q = 0; q < queries; q++) {
                        long t = System.nanoTime();
                        count(c, from, to);
                        latencies.get("SELECT count(*) FROM sessions (baseline)").add(System.nanoTime() - t);
                    }
                    for (Map.Entry<String, String> e : endpoints.entrySet()) {
                        for (int q = 0; q < queries; q++) {
                            long t = System.nanoTime();
                            get(aggregator.url() + e.getValue());
                            latencies.get(e.getKey()).add(System.nanoTime() - t);
                        }
                    }
                }
                double baseline = Stats.percentile(Stats.sorted(latencies.values().iterator().next().stream()
                        .mapToLong(Long::longValue).toArray()), 50);
                System.out.printf(Locale.ROOT, "%nOver %d days (%,d sessions), %d rounds × %d queries each:%n", days,
                        (long) days * perDay, rounds, queries);
                latencies.forEach((name, list) -> {
                    long[] sorted = Stats.sorted(list.stream().mapToLong(Long::longValue).toArray());
                    System.out.printf(Locale.ROOT, "  %-42s p50 %8.1f ms   p99 %8.1f ms   p50 / baseline %.3f%n", name,
                            Stats.percentile(sorted, 50) / 1e6, Stats.percentile(sorted, 99) / 1e6,
                            Stats.percentile(sorted, 50) / baseline);
                });
                System.out.printf(Locale.ROOT, "%nThe aggregator's heap (max %s) after the rounds: %s%n", heap, heapInfo(aggregator.pid()));
            }
        }
        return 0;
    }

    private static long count(Connection c, Instant from, Instant to) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM sessions WHERE started_at >= ? AND started_at < ?")) {
            ps.setTimestamp(1, Timestamp.from(from));
            ps.setTimestamp(2, Timestamp.from(to));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private void get(String url) throws Exception {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + TOKEN).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + new String(r.body(), StandardCharsets.UTF_8));
        }
    }

    private static String heapInfo(long pid) {
        try {
            Process p = new ProcessBuilder("jcmd", String.valueOf(pid), "GC.heap_info").redirectErrorStream(true).start();
            StringBuilder out = new StringBuilder();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.contains("total") || line.contains("used")) {
                        out.append(line.trim()).append("; ");
                    }
                }
            }
            p.waitFor();
            return out.length() == 0 ? "(jcmd gave nothing)" : out.toString();
        } catch (Exception e) {
            return "(jcmd not available: " + e.getMessage() + ")";
        }
    }

    // ---- the data ------------------------------------------------------------------------------------

    /** Writes the session rows and, per hour and day, each partition's share of every bucket. */
    private long[] load(Connection c, Instant from) throws Exception {
        SplittableRandom random = new SplittableRandom(42);
        PGConnection pg = c.unwrap(PGConnection.class);
        long sessions = 0;
        long buckets = 0;
        HexFormat hex = HexFormat.of();
        for (int day = 0; day < days; day++) {
            Instant dayStart = from.plus(Duration.ofDays(day));
            int[] perHour = diurnal(random, perDay);
            // session rows
            CopyIn copy = pg.getCopyAPI().copyIn("COPY sessions (session_id, session_key, visitor_id, user_ids, started_at, ended_at,"
                    + " duration_seconds, events, page_views, product_views, cart_adds, cart_removes, checkouts, purchases, cart_value,"
                    + " revenue, furthest_step, utm_source, utm_medium, utm_campaign, device, platform, landing_page, last_event_type,"
                    + " truncated, closed, final) FROM STDIN");
            StringBuilder sb = new StringBuilder(1 << 20);
            for (int h = 0; h < 24; h++) {
                for (int i = 0; i < perHour[h]; i++) {
                    long start = dayStart.plus(Duration.ofHours(h)).toEpochMilli() + random.nextInt(3_600_000);
                    int depth = depth(random);
                    int duration = 30 + random.nextInt(900);
                    String id = "s" + day + "-" + h + "-" + i;
                    sb.append(id).append('\t').append(id).append('\t').append("v").append(random.nextInt(perDay)).append("\t{}\t")
                            .append(Instant.ofEpochMilli(start)).append('\t').append(Instant.ofEpochMilli(start + duration * 1000L)).append('\t')
                            .append(duration).append('\t').append(depth + random.nextInt(4)).append("\t1\t").append(Math.max(0, depth - 1))
                            .append('\t').append(depth >= 3 ? 1 : 0).append("\t0\t").append(depth >= 4 ? 1 : 0).append('\t')
                            .append(depth >= 5 ? 1 : 0).append("\t0\t").append(depth >= 5 ? "49.90" : "0").append('\t').append(depth)
                            .append('\t').append(VALUES[0][random.nextInt(6)]).append('\t').append(VALUES[1][random.nextInt(5)])
                            .append('\t').append(VALUES[2][random.nextInt(10)]).append('\t').append(VALUES[3][random.nextInt(3)])
                            .append('\t').append(VALUES[4][random.nextInt(2)]).append("\t/\tpage_view\tf\tt\tf\n");
                    if (sb.length() > (1 << 20) - 1024) {
                        byte[] b = sb.toString().getBytes(StandardCharsets.UTF_8);
                        copy.writeToCopy(b, 0, b.length);
                        sb.setLength(0);
                    }
                    sessions++;
                }
            }
            byte[] b = sb.toString().getBytes(StandardCharsets.UTF_8);
            copy.writeToCopy(b, 0, b.length);
            copy.endCopy();
            buckets += loadBuckets(pg, hex, random, dayStart, perHour);
            System.out.printf(Locale.ROOT, "  day %d of %d written%n", day + 1, days);
        }
        return new long[]{sessions, buckets};
    }

    private long loadBuckets(PGConnection pg, HexFormat hex, SplittableRandom random, Instant dayStart, int[] perHour) throws Exception {
        long rows = 0;
        CopyIn sessions = pg.getCopyAPI().copyIn("COPY session_buckets (granularity, bucket_start, dimension, value, part, gen, sessions,"
                + " converted, purchases, revenue, duration_seconds, carts, abandoned, landed, visitors) FROM STDIN");
        StringBuilder s = new StringBuilder();
        StringBuilder f = new StringBuilder();
        StringBuilder e = new StringBuilder();
        int dayTotal = 0;
        for (int h = 0; h <= 24; h++) {
            Granularity g = h < 24 ? Granularity.HOUR : Granularity.DAY;
            Instant start = h < 24 ? dayStart.plus(Duration.ofHours(h)) : dayStart;
            int n = h < 24 ? perHour[h] : dayTotal;
            dayTotal += h < 24 ? n : 0;
            SessionAggregate visitorsOfAll = new SessionAggregate();
            for (int v = 0; v < Math.min(n, 40_000); v++) {
                visitorsOfAll.addVisitor("v" + random.nextInt(perDay));
            }
            String visitors = "\\\\x" + hex.formatHex(visitorsOfAll.visitorBytes());
            for (Dimension d : Dimension.values()) {
                String[] values = d == Dimension.ALL ? new String[]{""} : VALUES[d.ordinal() - 1];
                for (String value : values) {
                    int share = d == Dimension.ALL ? n : n / values.length;
                    for (int part = 0; part < PARTS; part++) {
                        int m = share / PARTS;
                        long converted = Math.round(m * 0.2);
                        s.append(g.code()).append('\t').append(start).append('\t').append(d.code()).append('\t').append(value).append('\t')
                                .append(part).append("\t1\t").append(m).append('\t').append(converted).append('\t').append(converted).append('\t')
                                .append(BigDecimal.valueOf(converted * 4990L, 2)).append('\t').append(m * 300L).append('\t')
                                .append(Math.round(m * 0.5)).append('\t').append(Math.round(m * 0.3)).append('\t').append(m).append('\t')
                                .append(visitors).append('\n');
                        rows++;
                        FunnelAggregate a = funnel(random, m);
                        String sessionsArray = array(a.sessions);
                        String eventsArray = array(a.events);
                        String durations = "\\\\x" + hex.formatHex(a.encodeDurations());
                        for (FunnelMode mode : FunnelMode.values()) {
                            f.append(0).append('\t').append(mode.wireName()).append('\t').append(g.code()).append('\t').append(start)
                                    .append('\t').append(d.code()).append('\t').append(value).append('\t').append(part).append("\t1\t")
                                    .append(sessionsArray).append('\t').append(eventsArray).append('\t').append(durations).append('\n');
                            rows++;
                        }
                    }
                }
            }
            for (String type : EVENT_TYPES) {
                for (int part = 0; part < PARTS; part++) {
                    e.append(g.code()).append('\t').append(start).append('\t').append(type).append('\t').append(part).append("\t1\t")
                            .append(n * 4L / PARTS / EVENT_TYPES.length + random.nextInt(10)).append("\t0\t0\n");
                    rows++;
                }
            }
        }
        write(sessions, s);
        write(pg.getCopyAPI().copyIn("COPY funnel_buckets (funnel_id, mode, granularity, bucket_start, dimension, value, part, gen,"
                + " sessions, events, durations) FROM STDIN"), f);
        write(pg.getCopyAPI().copyIn("COPY event_buckets (granularity, bucket_start, event_type, part, gen, events, revenue, late)"
                + " FROM STDIN"), e);
        return rows;
    }

    private static void write(CopyIn copy, StringBuilder rows) throws Exception {
        byte[] b = rows.toString().getBytes(StandardCharsets.UTF_8);
        copy.writeToCopy(b, 0, b.length);
        copy.endCopy();
    }

    /** A bucket's funnel: the default funnel's step rates, and step times drawn from a spread of a few seconds to an hour. */
    private static FunnelAggregate funnel(SplittableRandom random, int sessions) {
        FunnelAggregate a = new FunnelAggregate(FUNNEL_RATES.length);
        for (int k = 0; k < FUNNEL_RATES.length; k++) {
            a.sessions[k] = Math.round(sessions * FUNNEL_RATES[k]);
            a.events[k] = Math.round(sessions * FUNNEL_RATES[k] * 1.6);
        }
        int samples = Math.min(sessions, 200);
        for (int k = 0; k + 1 < FUNNEL_RATES.length && samples > 0; k++) {
            long weight = Math.max(1, a.sessions[k + 1] / samples);
            for (int i = 0; i < samples; i++) {
                a.durations[k].add(Math.exp(8 + 2.5 * random.nextDouble()), weight);
            }
        }
        return a;
    }

    private static String array(long[] values) {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < values.length; i++) {
            sb.append(i == 0 ? "" : ",").append(values[i]);
        }
        return sb.append('}').toString();
    }

    private static int depth(SplittableRandom random) {
        double r = random.nextDouble();
        int depth = 0;
        while (depth < FUNNEL_RATES.length && r < FUNNEL_RATES[depth]) {
            depth++;
        }
        return Math.max(1, depth);
    }

    /** Sessions per hour of a day: quiet at night, busiest in the afternoon and evening. */
    private static int[] diurnal(SplittableRandom random, int total) {
        double[] weight = new double[24];
        double sum = 0;
        for (int h = 0; h < 24; h++) {
            weight[h] = 0.3 + Math.max(0, Math.sin((h - 6) / 24.0 * 2 * Math.PI)) + 0.05 * random.nextDouble();
            sum += weight[h];
        }
        int[] out = new int[24];
        for (int h = 0; h < 24; h++) {
            out[h] = (int) Math.round(total * weight[h] / sum);
        }
        return out;
    }
}
