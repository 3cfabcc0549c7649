package io.funnelflow.simulator;

import io.funnelflow.simulator.shop.Channel;
import io.funnelflow.simulator.shop.Device;
import io.funnelflow.simulator.shop.Persona;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * How the simulated shop behaves. Every value has a default that gives a plausible shop; a YAML or
 * properties file overrides any of them (see {@code simulator.example.yml}).
 *
 * @param steps          the chance of reaching each funnel step once the previous one is reached, before
 *                       the channel, device and persona factors (defaults give about 100/70/50/30/20 %)
 * @param customEvents   extra events of the shop's own, each with its chance and the step it follows
 * @param customers      how many known customers there are
 * @param returningShare the share of visits made by known customers
 */
public record SimulationConfig(
        Map<String, Double> steps,
        List<CustomEvent> customEvents,
        List<Channel> channels,
        List<Device> devices,
        List<Persona> personas,
        int customers,
        double returningShare,
        Realism realism,
        double[] hourWeights,
        double[] weekdayWeights) {

    /** An event of the shop's own: after {@code after} is reached, it happens with {@code probability}. */
    public record CustomEvent(String name, double probability, String after) {
    }

    /**
     * What real clients do to the data.
     *
     * @param clockSkewShare  share of visitors whose clock is wrong (by 1 minute to 2 hours)
     * @param retryShare      share of requests sent twice (a lost response, say)
     * @param outOfOrderShare share of sessions whose events arrive shuffled
     * @param malformedShare  share of sessions that also send one broken event
     */
    public record Realism(double clockSkewShare, double retryShare, double outOfOrderShare, double malformedShare) {
    }

    public static final List<String> FUNNEL = List.of("page_view", "product_view", "add_to_cart", "checkout_start", "purchase");

    public static SimulationConfig defaults() {
        Map<String, Double> steps = new LinkedHashMap<>();
        steps.put("product_view", 0.70);
        steps.put("add_to_cart", 0.714);
        steps.put("checkout_start", 0.60);
        steps.put("purchase", 0.667);
        return new SimulationConfig(steps,
                List.of(new CustomEvent("newsletter_signup", 0.04, "page_view"),
                        new CustomEvent("coupon_applied", 0.25, "checkout_start")),
                List.of(new Channel("google", "cpc", "winter_sale", 0.32, 1.05, true),
                        new Channel("facebook", "social", "lookbook", 0.18, 0.85, true),
                        new Channel("linkedin", "social", "b2b_gifts", 0.05, 0.75, true),
                        new Channel("twitter", "social", "flash_deal", 0.05, 0.80, true),
                        new Channel("newsletter", "email", "weekly_digest", 0.12, 1.25, false),
                        new Channel("direct", "none", "none", 0.28, 1.05, false)),
                List.of(new Device("desktop", 0.45, 1.10, 0.0),
                        new Device("mobile", 0.45, 0.85, 0.3),
                        new Device("tablet", 0.10, 1.00, 0.2)),
                List.of(new Persona("vip_loyalist", 0.08, 1.35, 2.0, 35, 2.5),
                        new Persona("research_shopper", 0.20, 0.95, 6.0, 70, 1.5),
                        new Persona("quick_buyer", 0.15, 1.25, 0.5, 20, 1.2),
                        new Persona("browser", 0.32, 0.85, 4.0, 45, 1.1),
                        new Persona("casual_visitor", 0.25, 0.90, 1.0, 30, 1.0)),
                150, 0.35,
                new Realism(0.10, 0.02, 0.15, 0.01),
                // a shop's day: quiet at night, a lunch peak, the evening peak
                new double[]{0.6, 0.4, 0.3, 0.25, 0.25, 0.3, 0.5, 0.8, 1.0, 1.1, 1.2, 1.4, 1.6, 1.4, 1.2, 1.2, 1.3, 1.5,
                        1.8, 2.1, 2.2, 1.9, 1.4, 0.9},
                // Monday .. Sunday
                new double[]{0.95, 0.9, 0.95, 1.0, 1.1, 1.2, 1.15});
    }

    /** The defaults with whatever {@code file} (.yml/.yaml or .properties) says instead. */
    @SuppressWarnings("unchecked")
    public static SimulationConfig load(Path file) throws IOException {
        Map<String, Object> values = new LinkedHashMap<>();
        if (file.toString().endsWith(".properties")) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(file)) {
                p.load(r);
            }
            for (String key : p.stringPropertyNames()) {
                values.put(key, p.getProperty(key));
            }
        } else {
            try (Reader r = Files.newBufferedReader(file)) {
                Object root = new Yaml().load(r);
                if (root instanceof Map<?, ?> map) {
                    flatten("", (Map<String, Object>) map, values);
                }
            }
        }
        return defaults().with(values, file.toString());
    }

    @SuppressWarnings("unchecked")
    private static void flatten(String prefix, Map<String, Object> map, Map<String, Object> out) {
        map.forEach((k, v) -> {
            if (v instanceof Map<?, ?> nested) {
                flatten(prefix + k + ".", (Map<String, Object>) nested, out);
            } else {
                out.put(prefix + k, v);
            }
        });
    }

    /** Overrides by flat keys: {@code steps.add_to_cart}, {@code customers}, {@code returning_share}, {@code realism.*}, {@code custom_events}. */
    @SuppressWarnings("unchecked")
    SimulationConfig with(Map<String, Object> values, String source) {
        Map<String, Double> newSteps = new LinkedHashMap<>(steps);
        int newCustomers = customers;
        double newReturning = returningShare;
        Realism r = realism;
        List<CustomEvent> newCustom = customEvents;
        for (Map.Entry<String, Object> e : values.entrySet()) {
            String key = e.getKey();
            Object v = e.getValue();
            if (key.startsWith("steps.")) {
                String step = key.substring(6);
                if (!FUNNEL.contains(step) || step.equals("page_view")) {
                    throw new IllegalArgumentException(source + ": steps." + step + ": not a step that follows another (product_view, add_to_cart, checkout_start, purchase)");
                }
                newSteps.put(step, probability(source, key, v));
            } else if (key.equals("customers")) {
                newCustomers = (int) number(source, key, v);
            } else if (key.equals("returning_share")) {
                newReturning = probability(source, key, v);
            } else if (key.equals("realism.clock_skew_share")) {
                r = new Realism(probability(source, key, v), r.retryShare(), r.outOfOrderShare(), r.malformedShare());
            } else if (key.equals("realism.retry_share")) {
                r = new Realism(r.clockSkewShare(), probability(source, key, v), r.outOfOrderShare(), r.malformedShare());
            } else if (key.equals("realism.out_of_order_share")) {
                r = new Realism(r.clockSkewShare(), r.retryShare(), probability(source, key, v), r.malformedShare());
            } else if (key.equals("realism.malformed_share")) {
                r = new Realism(r.clockSkewShare(), r.retryShare(), r.outOfOrderShare(), probability(source, key, v));
            } else if (key.equals("custom_events") && v instanceof List<?> list) {
                List<CustomEvent> parsed = new ArrayList<>();
                for (Object item : list) {
                    Map<String, Object> m = (Map<String, Object>) item;
                    String after = String.valueOf(m.getOrDefault("after", "page_view"));
                    if (!FUNNEL.contains(after)) {
                        throw new IllegalArgumentException(source + ": custom_events.after: must be one of " + FUNNEL);
                    }
                    parsed.add(new CustomEvent(String.valueOf(m.get("name")), probability(source, "custom_events.probability",
                            m.get("probability")), after));
                }
                newCustom = List.copyOf(parsed);
            } else {
                throw new IllegalArgumentException(source + ": unknown setting '" + key + "'");
            }
        }
        return new SimulationConfig(newSteps, newCustom, channels, devices, personas, newCustomers, newReturning, r,
                hourWeights, weekdayWeights);
    }

    private static double probability(String source, String key, Object v) {
        double d = number(source, key, v);
        if (d < 0 || d > 1) {
            throw new IllegalArgumentException(source + ": " + key + ": must be between 0 and 1");
        }
        return d;
    }

    private static double number(String source, String key, Object v) {
        try {
            return v instanceof Number n ? n.doubleValue() : Double.parseDouble(String.valueOf(v).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(source + ": " + key + ": must be a number, not '" + v + "'");
        }
    }
}
