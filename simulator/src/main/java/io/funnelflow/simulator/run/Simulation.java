package io.funnelflow.simulator.run;

import io.funnelflow.simulator.SimulationConfig;
import io.funnelflow.simulator.journey.JourneyGenerator;
import io.funnelflow.simulator.journey.Schedule;
import io.funnelflow.simulator.journey.SimEvent;
import io.funnelflow.simulator.journey.SimSession;
import io.funnelflow.simulator.shop.Catalogue;
import io.funnelflow.simulator.shop.Population;
import io.funnelflow.simulator.target.EventTarget;
import io.funnelflow.simulator.truth.GroundTruth;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * A run of the simulated shop against a target. The same seed makes the same visits, events and ids;
 * only the wall-clock times of a live run differ.
 */
public final class Simulation {

    /** The least time between two events of a live visit, whatever the speed. */
    static final Duration MIN_GAP = Duration.ofSeconds(2);

    private final SimulationConfig config;
    private final long seed;
    private final JourneyGenerator generator;
    private final Wire wire;
    private final boolean progress;
    private final GroundTruth truth = new GroundTruth();
    private long malformed;
    private long shuffled;
    private long skewed;

    public Simulation(SimulationConfig config, long seed, boolean progress) {
        this.config = config;
        this.seed = seed;
        Catalogue catalogue = Catalogue.generate(seed);
        this.generator = new JourneyGenerator(config, catalogue,
                Population.generate(config.customers(), config.personas(), catalogue.categories(), seed));
        this.wire = new Wire(config.realism(), seed);
        this.progress = progress;
    }

    /** {@code days} days of history before today, {@code sessionsPerDay} visits a day on average, as fast as the target takes it. */
    public RunSummary backfill(EventTarget target, String targetName, int days, int sessionsPerDay, Instant now) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        List<Instant> starts = new Schedule(config.hourWeights(), config.weekdayWeights()).history(random, now, days, sessionsPerDay);
        long t0 = System.nanoTime();
        try (Delivery delivery = new Delivery(target, config.realism().retryShare(), 4, seed);
             ProgressBar bar = bar("backfill", starts.size())) {
            List<Wire.Outgoing> pending = new ArrayList<>(500);
            for (int i = 0; i < starts.size(); i++) {
                SimSession session = generator.session(random, sessionId(i), starts.get(i));
                pending.addAll(prepare(session, random));
                // a request holds at most 500 events: flush well before a visit could push it over
                if (pending.size() >= 400) {
                    delivery.submit(List.copyOf(pending));
                    pending.clear();
                }
                bar.step();
            }
            if (!pending.isEmpty()) {
                delivery.submit(List.copyOf(pending));
            }
            delivery.drain();
            return summary("backfill", targetName, delivery, t0);
        }
    }

    /**
     * Visits as they happen: new visits start at the pace that gives {@code rate} events a second, and each
     * event leaves when it happens, {@code speed} times faster than real shoppers (so a visit of ten minutes
     * takes a minute at speed 10). Stops starting visits after {@code duration} or {@code maxSessions}.
     */
    public RunSummary live(EventTarget target, String targetName, double rate, Duration duration, long maxSessions,
                           double speed) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        double eventsPerSession = meanEvents();
        double sessionsPerSecond = rate / eventsPerSession;
        record Due(long at, Wire.Outgoing event) {
        }
        PriorityQueue<Due> queue = new PriorityQueue<>((a, b) -> Long.compare(a.at, b.at));
        long t0 = System.nanoTime();
        long started = 0;
        long stopStarting = duration == null ? Long.MAX_VALUE : t0 + duration.toNanos();
        try (Delivery delivery = new Delivery(target, config.realism().retryShare(), 8, seed);
             ProgressBar bar = bar("live", maxSessions > 0 ? maxSessions : (long) (sessionsPerSecond * duration.toSeconds()))) {
            while (true) {
                long now = System.nanoTime();
                long due = (long) ((now - t0) / 1e9 * sessionsPerSecond) + 1;
                while (started < due && now < stopStarting && (maxSessions <= 0 || started < maxSessions)) {
                    Instant wallStart = Instant.now();
                    SimSession real = generator.session(random, sessionId(started), wallStart);
                    SimSession session = compress(real, wallStart, speed);
                    boolean outOfOrder = random.nextDouble() < config.realism().outOfOrderShare();
                    for (Wire.Outgoing o : prepare(session, random)) {
                        long at = now + Duration.between(wallStart, o.event().timestamp().minus(o.skew())).toNanos();
                        if (outOfOrder) {
                            at += random.nextLong(2_000_000_000L);
                        }
                        queue.add(new Due(at, o));
                    }
                    started++;
                    bar.step();
                }
                List<Wire.Outgoing> batch = new ArrayList<>();
                while (!queue.isEmpty() && queue.peek().at <= now) {
                    batch.add(queue.poll().event);
                    if (batch.size() == 100) {
                        delivery.submit(batch);
                        batch = new ArrayList<>();
                    }
                }
                if (!batch.isEmpty()) {
                    delivery.submit(batch);
                }
                boolean doneStarting = now >= stopStarting || maxSessions > 0 && started >= maxSessions;
                if (doneStarting && queue.isEmpty()) {
                    break;
                }
                Thread.sleep(20);
            }
            delivery.drain();
            return summary("live", targetName, delivery, t0);
        }
    }

    private List<Wire.Outgoing> prepare(SimSession session, SplittableRandom random) {
        truth.add(session);
        Wire.Prepared p = wire.prepare(session, random);
        List<Wire.Outgoing> out = new ArrayList<>(p.events());
        if (p.malformed() != null) {
            out.add(random.nextInt(out.size() + 1), p.malformed());
            malformed++;
        }
        shuffled += p.shuffled() ? 1 : 0;
        skewed += p.skewed() ? 1 : 0;
        return out;
    }

    /**
     * The visit with its times brought {@code speed} times closer to its start, but never less than
     * {@link #MIN_GAP} between two of its events: no shopper clicks faster, and events closer than the
     * jitter of a request's transit could swap places once the server corrects for clock skew.
     */
    static SimSession compress(SimSession s, Instant start, double speed) {
        List<SimEvent> events = new ArrayList<>(s.events().size());
        Instant previous = null;
        for (SimEvent e : s.events()) {
            Instant t = start.plusNanos((long) (Duration.between(start, e.time()).toNanos() / speed));
            if (previous != null && t.isBefore(previous.plus(MIN_GAP))) {
                t = previous.plus(MIN_GAP);
            }
            previous = t;
            events.add(new SimEvent(e.eventId(), e.type(), t, e.userId(), e.pageUrl(), e.productId(), e.productName(),
                    e.price(), e.quantity(), e.revenue(), e.metadata()));
        }
        return new SimSession(s.sessionId(), s.anonymousId(), s.userId(), s.channel(), s.device(), s.platform(), s.persona(),
                List.copyOf(events), s.reached(), s.revenue());
    }

    private double meanEvents() {
        SplittableRandom sample = new SplittableRandom(seed ^ 0xabcdefL);
        double total = 0;
        for (int i = 0; i < 500; i++) {
            total += generator.session(sample, "sample", Instant.EPOCH).events().size();
        }
        return total / 500;
    }

    private String sessionId(long n) {
        return "sim-" + Long.toHexString(seed) + "-" + n;
    }

    private ProgressBar bar(String task, long max) {
        ProgressBarBuilder b = new ProgressBarBuilder().setTaskName(task).setInitialMax(max).setUnit(" sessions", 1)
                .setStyle(ProgressBarStyle.ASCII).showSpeed();
        if (!progress) {
            b.setConsumer(new me.tongfei.progressbar.DelegatingProgressBarConsumer(line -> { }));
        }
        return b.build();
    }

    private RunSummary summary(String mode, String targetName, Delivery d, long t0) {
        if (d.firstFailure() != null && d.accepted.get() == 0) {
            throw new IllegalStateException("Nothing was accepted: " + d.firstFailure().getMessage(), d.firstFailure());
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        GroundTruth.Numbers numbers = truth.numbers();
        long[] lat = d.latenciesSorted();
        return new RunSummary(mode, seed, targetName, numbers.sessions(), numbers.events(), d.requests.get(),
                d.accepted.get(), d.rejected.get(), d.retriedRequests.get(), malformed, shuffled, skewed,
                d.failedRequests.get(), seconds, numbers.events() / seconds, percentile(lat, 50), percentile(lat, 99), numbers);
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.max(0, (int) Math.ceil(p / 100 * sorted.length) - 1)] / 1e6;
    }

    public GroundTruth truth() {
        return truth;
    }
}
