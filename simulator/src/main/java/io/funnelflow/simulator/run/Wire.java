package io.funnelflow.simulator.run;

import io.funnelflow.contract.event.TrackedEvent;
import io.funnelflow.simulator.SimulationConfig;
import io.funnelflow.simulator.journey.SimEvent;
import io.funnelflow.simulator.journey.SimSession;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * A visit as a real client sends it: a visitor's clock may be wrong (by the same amount in
 * {@code timestamp} and {@code sent_at}, so the platform can correct it), events may leave shuffled, and
 * now and then a broken event comes along — an extra one, so the visit itself stays whole.
 */
final class Wire {

    /** An event ready to go but for its send time, and the clock error of the client sending it. */
    record Outgoing(TrackedEvent event, Duration skew) {
        TrackedEvent at(Instant now) {
            TrackedEvent e = event;
            return new TrackedEvent(e.eventId(), e.eventType(), e.timestamp(), now.plus(skew), null, null, e.sessionId(),
                    e.userId(), e.anonymousId(), e.pageUrl(), e.referrer(), e.utmSource(), e.utmMedium(), e.utmCampaign(),
                    e.platform(), e.device(), e.productId(), e.productName(), e.price(), e.quantity(), e.revenue(),
                    e.currency(), e.metadata());
        }
    }

    /** A prepared visit: its valid events (in the order they will leave) and the broken one, if any. */
    record Prepared(List<Outgoing> events, Outgoing malformed, boolean shuffled, boolean skewed) {
    }

    private final SimulationConfig.Realism realism;
    private final long seed;

    Wire(SimulationConfig.Realism realism, long seed) {
        this.realism = realism;
        this.seed = seed;
    }

    Prepared prepare(SimSession s, SplittableRandom random) {
        Duration skew = skew(s.anonymousId());
        List<Outgoing> out = new ArrayList<>(s.events().size());
        for (SimEvent e : s.events()) {
            out.add(new Outgoing(event(s, e, skew), skew));
        }
        boolean shuffled = random.nextDouble() < realism.outOfOrderShare() && out.size() > 1;
        if (shuffled) {
            Collections.shuffle(out, new java.util.Random(random.nextLong()));
        }
        Outgoing malformed = null;
        if (random.nextDouble() < realism.malformedShare()) {
            SimEvent first = s.events().get(0);
            TrackedEvent broken = random.nextBoolean()
                    ? new TrackedEvent(new UUID(random.nextLong(), random.nextLong()).toString(), " ", first.time().plus(skew),
                            null, null, null, s.sessionId(), null, s.anonymousId(), first.pageUrl(), null, null, null, null,
                            null, null, null, null, null, null, null, null, null)
                    : new TrackedEvent(new UUID(random.nextLong(), random.nextLong()).toString(), "product_view",
                            first.time().plus(skew), null, null, null, s.sessionId(), null, s.anonymousId(), first.pageUrl(),
                            null, null, null, null, null, null, "sku-1", null, new BigDecimal("-1.00"), null, null, null, null);
            malformed = new Outgoing(broken, skew);
        }
        return new Prepared(out, malformed, shuffled, !skew.isZero());
    }

    /** A visitor's clock error: none for most, between 1 minute and 2 hours either way for some; fixed per visitor. */
    Duration skew(String visitor) {
        SplittableRandom r = new SplittableRandom(seed * 31 + visitor.hashCode());
        if (r.nextDouble() >= realism.clockSkewShare()) {
            return Duration.ZERO;
        }
        long seconds = 60 + r.nextLong(7200 - 60);
        return Duration.ofSeconds(r.nextBoolean() ? seconds : -seconds);
    }

    static TrackedEvent event(SimSession s, SimEvent e, Duration skew) {
        boolean tagged = s.channel().tagged();
        return new TrackedEvent(e.eventId(), e.type(), e.time().plus(skew), null, null, null, s.sessionId(), e.userId(),
                s.anonymousId(), e.pageUrl(), null, tagged ? s.channel().source() : null, tagged ? s.channel().medium() : null,
                tagged ? s.channel().campaign() : null, s.platform(), s.device().name(), e.productId(), e.productName(),
                e.price(), e.quantity(), e.revenue(), e.price() != null || e.revenue() != null ? "EUR" : null, e.metadata());
    }
}
