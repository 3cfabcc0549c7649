package io.funnelflow.bench;

import io.funnelflow.contract.event.EventType;
import io.funnelflow.contract.event.TrackedEvent;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

/** Events of realistic size and variety (about 300 bytes of JSON each) for throughput runs. */
final class SampleEvents {

    private static final String[] SOURCES = {"google", "facebook", "newsletter", "direct", "linkedin"};
    private static final String[] DEVICES = {"desktop", "mobile", "tablet"};
    private static final EventType[] TYPES = {EventType.PAGE_VIEW, EventType.PRODUCT_VIEW, EventType.PRODUCT_VIEW,
            EventType.ADD_TO_CART, EventType.CHECKOUT_START, EventType.PURCHASE};

    private SampleEvents() {
    }

    static List<TrackedEvent> generate(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Instant now = Instant.now();
        List<TrackedEvent> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            EventType type = TYPES[random.nextInt(TYPES.length)];
            String product = "p-" + random.nextInt(500);
            BigDecimal price = BigDecimal.valueOf(500 + random.nextInt(20_000), 2);
            out.add(new TrackedEvent(UUID.randomUUID().toString(), type.wireName(), now.minusMillis(random.nextInt(60_000)),
                    null, null, null, "s-" + random.nextInt(100_000), null, "a-" + random.nextInt(100_000),
                    "https://shop.example/products/" + product, null, SOURCES[random.nextInt(SOURCES.length)], "cpc",
                    "winter-sale", "web", DEVICES[random.nextInt(DEVICES.length)], product, "Product " + product, price,
                    1 + random.nextInt(3), type == EventType.PURCHASE ? price : null, "EUR", Map.of("ab", "v2")));
        }
        return out;
    }
}
