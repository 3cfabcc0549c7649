package io.funnelflow.prediction;

import io.funnelflow.prediction.features.History;
import io.funnelflow.prediction.features.SessionEvent;
import io.funnelflow.prediction.model.LabelledSession;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded synthetic sessions for fast model tests: intent is hidden, and shows in what a shopper does
 * (product views, cart adds, checkouts) and in their past purchases, the way the simulator's shoppers
 * behave. The integration test trains on the simulator's own history instead.
 */
public final class Shoppers {

    private Shoppers() {
    }

    public static List<LabelledSession> generate(int sessions, long seed, Instant from) {
        SplittableRandom random = new SplittableRandom(seed);
        List<LabelledSession> out = new ArrayList<>(sessions);
        String[] devices = {"mobile", "desktop", "tablet"};
        String[] sources = {"google", "newsletter", "facebook", null};
        for (int i = 0; i < sessions; i++) {
            Instant start = from.plus(Duration.ofMinutes(i * 7L));
            int previousPurchases = random.nextInt(10) < 2 ? 1 + random.nextInt(4) : 0;
            History history = new History(previousPurchases + random.nextInt(3), previousPurchases);
            double intent = 0.15 + 0.2 * Math.min(previousPurchases, 2) + 0.3 * random.nextDouble();
            String device = devices[random.nextInt(devices.length)];
            String source = sources[random.nextInt(sources.length)];
            List<SessionEvent> events = new ArrayList<>();
            Instant t = start;
            events.add(new SessionEvent("page_view", t, 0, device, "web", source, source == null ? null : "cpc"));
            int views = 1 + random.nextInt(6);
            for (int v = 0; v < views; v++) {
                t = t.plusSeconds(20 + random.nextInt(90));
                events.add(new SessionEvent("product_view", t, 0, device, "web", null, null));
            }
            if (random.nextDouble() < intent + 0.1) {
                t = t.plusSeconds(10 + random.nextInt(60));
                events.add(new SessionEvent("add_to_cart", t, 10 + random.nextInt(120), device, "web", null, null));
                if (random.nextDouble() < intent + 0.25) {
                    t = t.plusSeconds(30 + random.nextInt(60));
                    events.add(new SessionEvent("checkout_start", t, 0, device, "web", null, null));
                    if (random.nextDouble() < intent + 0.35) {
                        t = t.plusSeconds(30 + random.nextInt(120));
                        events.add(new SessionEvent("purchase", t, 0, device, "web", null, null));
                    }
                }
            }
            if (random.nextInt(4) == 0) {
                t = t.plusSeconds(15);
                events.add(new SessionEvent("page_view", t, 0, device, "web", null, null));
            }
            out.add(new LabelledSession("s" + i, "v" + random.nextInt(sessions / 3 + 1), null, start, history, events));
        }
        return out;
    }
}
