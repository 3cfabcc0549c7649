package io.funnelflow.simulator.journey;

import io.funnelflow.simulator.SimulationConfig;
import io.funnelflow.simulator.shop.Catalogue;
import io.funnelflow.simulator.shop.Channel;
import io.funnelflow.simulator.shop.Customer;
import io.funnelflow.simulator.shop.Device;
import io.funnelflow.simulator.shop.Persona;
import io.funnelflow.simulator.shop.Population;
import io.funnelflow.simulator.shop.Product;
import io.funnelflow.simulator.shop.Weighted;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Makes visits: a channel, a device, a shopper (a known customer or an anonymous visitor with a
 * persona), and a journey — landing, browsing, product views, cart adds and removes, checkout, purchase —
 * where each step happens with the configured chance times the channel's, the device's and the
 * persona's factors, and abandonment is possible at every step. Pure: the same random stream gives the
 * same visit, ids included.
 */
public final class JourneyGenerator {

    static final String SHOP = "https://shop.example";
    private static final Duration MAX_PAUSE = Duration.ofMinutes(20);

    private final SimulationConfig config;
    private final Catalogue catalogue;
    private final Population population;

    public JourneyGenerator(SimulationConfig config, Catalogue catalogue, Population population) {
        this.config = config;
        this.catalogue = catalogue;
        this.population = population;
    }

    public SimSession session(SplittableRandom random, String sessionId, Instant start) {
        Channel channel = Weighted.pick(random, config.channels(), Channel::share);
        Device device = Weighted.pick(random, config.devices(), Device::share);
        String platform = random.nextDouble() < device.appShare() ? (random.nextBoolean() ? "ios" : "android") : "web";
        Customer customer = !population.customers().isEmpty() && random.nextDouble() < config.returningShare()
                ? population.customers().get(random.nextInt(population.customers().size())) : null;
        Persona persona = customer != null ? customer.persona() : Weighted.pick(random, config.personas(), Persona::share);
        String anonymousId = customer != null ? "anon-" + customer.userId() : "anon-" + id(random).substring(0, 13);
        String category = customer != null ? customer.favouriteCategory() : null;
        double loyalty = customer != null ? Math.min(1.0, 1 + 0.03 * customer.previousPurchases()) : 1.0;
        double factor = channel.conversion() * device.conversion() * persona.propensity() * loyalty;

        Journey j = new Journey(random, start, persona);
        String landing = channel.tagged() ? SHOP + "/?utm_source=" + channel.source() + "&utm_medium=" + channel.medium()
                + "&utm_campaign=" + channel.campaign() : SHOP + "/";
        if (channel.paid()) {
            j.add("ad_click", landing, null, null, null, null, Duration.ZERO);
        }
        j.add("page_view", landing, null, null, null, null, Duration.ofSeconds(1));
        int reached = 1;
        custom(j, "page_view");
        browse(j, persona.extraPages() / 2);

        List<Product> viewed = new ArrayList<>();
        if (j.chance(step("product_view") * factor)) {
            reached = 2;
            int views = 1 + geometric(random, persona.extraPages() / 2);
            for (int i = 0; i < views; i++) {
                Product p = catalogue.pick(random, category, 0.6);
                viewed.add(p);
                j.add("product_view", SHOP + "/products/" + p.id(), p, p.price(), null, null, j.pause());
            }
            custom(j, "product_view");
        }
        BigDecimal cart = BigDecimal.ZERO;
        if (reached == 2 && j.chance(step("add_to_cart") * factor)) {
            reached = 3;
            int items = Math.min(viewed.size(), 1 + geometric(random, persona.cartItems() - 1));
            List<Product> inCart = new ArrayList<>();
            List<Integer> quantities = new ArrayList<>();
            for (int i = 0; i < items; i++) {
                Product p = viewed.get(i);
                int qty = random.nextDouble() < 0.8 ? 1 : 2;
                inCart.add(p);
                quantities.add(qty);
                j.add("add_to_cart", SHOP + "/products/" + p.id(), p, p.price(), qty, null, j.pause());
            }
            if (inCart.size() > 1 && random.nextDouble() < 0.15) {
                int last = inCart.size() - 1;
                Product p = inCart.remove(last);
                j.add("remove_from_cart", SHOP + "/cart", p, p.price(), quantities.remove(last), null, j.pause());
            }
            for (int i = 0; i < inCart.size(); i++) {
                cart = cart.add(inCart.get(i).price().multiply(BigDecimal.valueOf(quantities.get(i))));
            }
            custom(j, "add_to_cart");
        }
        BigDecimal revenue = BigDecimal.ZERO;
        if (reached == 3 && j.chance(step("checkout_start") * factor)) {
            reached = 4;
            if (customer != null) {
                j.userId = customer.userId();
                j.add("identify", SHOP + "/login", null, null, null, null, j.pause());
            }
            j.add("checkout_start", SHOP + "/checkout", null, null, null, null, j.pause());
            custom(j, "checkout_start");
            if (j.chance(step("purchase") * factor)) {
                reached = 5;
                revenue = cart;
                j.add("purchase", SHOP + "/checkout/done", null, null, null, cart, j.pause());
                custom(j, "purchase");
            }
        }
        return new SimSession(sessionId, anonymousId, j.userId, channel, device, platform, persona, List.copyOf(j.events),
                reached, revenue);
    }

    private double step(String name) {
        return config.steps().getOrDefault(name, 0.0);
    }

    private void custom(Journey j, String after) {
        for (SimulationConfig.CustomEvent e : config.customEvents()) {
            if (e.after().equals(after) && j.random.nextDouble() < e.probability()) {
                j.add(e.name(), SHOP + "/" + e.name().replace('_', '-'), null, null, null, null, j.pause());
            }
        }
    }

    private void browse(Journey j, double meanPages) {
        int pages = geometric(j.random, meanPages);
        for (int i = 0; i < pages; i++) {
            String category = catalogue.categories().get(j.random.nextInt(catalogue.categories().size()));
            j.add("page_view", SHOP + "/c/" + category, null, null, null, null, j.pause());
        }
    }

    /** A count with the given mean: 0, 1, 2 … each less likely than the one before. */
    static int geometric(SplittableRandom random, double mean) {
        if (mean <= 0) {
            return 0;
        }
        double p = 1 / (1 + mean);
        int n = 0;
        while (random.nextDouble() > p && n < 50) {
            n++;
        }
        return n;
    }

    static String id(SplittableRandom random) {
        return new UUID(random.nextLong(), random.nextLong()).toString();
    }

    /** The visit as it is being made. */
    private static final class Journey {
        final SplittableRandom random;
        final Persona persona;
        final List<SimEvent> events = new ArrayList<>();
        Instant now;
        String userId;

        Journey(SplittableRandom random, Instant start, Persona persona) {
            this.random = random;
            this.persona = persona;
            this.now = start;
        }

        boolean chance(double p) {
            return random.nextDouble() < Math.min(0.97, p);
        }

        Duration pause() {
            double seconds = -Math.log(1 - random.nextDouble()) * persona.secondsPerPage();
            return Duration.ofMillis((long) Math.min(MAX_PAUSE.toMillis(), Math.max(2000, seconds * 1000)));
        }

        void add(String type, String url, Product product, BigDecimal price, Integer quantity,
                 BigDecimal revenue, Duration after) {
            now = now.plus(after);
            Map<String, Object> metadata = product == null ? null : new LinkedHashMap<>(Map.of("category", product.category()));
            events.add(new SimEvent(id(random), type, now, userId, url, product == null ? null : product.id(),
                    product == null ? null : product.name(), price, quantity, revenue, metadata));
        }
    }
}
