package io.funnelflow.simulator.truth;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.funnelflow.simulator.SimulationConfig;
import io.funnelflow.simulator.journey.SimEvent;
import io.funnelflow.simulator.journey.SimSession;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a run generated, as the numbers the platform must give back: sessions and the default funnel
 * (in order) overall and per channel and device, visitors, purchases, revenue — valid events only, each
 * once, whatever was retried, skewed, shuffled or broken on the way. Thread-safe.
 */
public final class GroundTruth {

    private Instant from;
    private Instant to;
    private Instant lastEvent;
    private long sessions;
    private long events;
    private long purchases;
    private long convertedSessions;
    private long cartSessions;
    private BigDecimal revenue = BigDecimal.ZERO;
    private final long[] funnel = new long[SimulationConfig.FUNNEL.size()];
    private final Map<String, long[]> bySource = new TreeMap<>();
    private final Map<String, long[]> byDevice = new TreeMap<>();
    private final Map<String, Long> eventsByType = new TreeMap<>();
    private final Set<String> visitors = new HashSet<>();

    public synchronized void add(SimSession s) {
        Instant start = s.events().get(0).time();
        from = from == null || start.isBefore(from) ? start : from;
        to = to == null || start.isAfter(to) ? start : to;
        Instant end = s.events().get(s.events().size() - 1).time();
        lastEvent = lastEvent == null || end.isAfter(lastEvent) ? end : lastEvent;
        sessions++;
        events += s.events().size();
        for (SimEvent e : s.events()) {
            eventsByType.merge(e.type(), 1L, Long::sum);
        }
        visitors.add(s.visitor());
        for (int k = 0; k < s.reached(); k++) {
            funnel[k]++;
            bySource.computeIfAbsent(s.channel().tagged() ? s.channel().source() : "(none)", x -> new long[funnel.length])[k]++;
            byDevice.computeIfAbsent(s.device().name(), x -> new long[funnel.length])[k]++;
        }
        if (s.purchased()) {
            purchases++;
            convertedSessions++;
            revenue = revenue.add(s.revenue());
        }
        if (s.carted()) {
            cartSessions++;
        }
    }

    /** The numbers, as written to the ground-truth file. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Numbers(Instant firstSessionStart, Instant lastSessionStart, Instant lastEventTime, long sessions, long uniqueVisitors,
                          long events, Map<String, Long> eventsByType, long purchases, long convertedSessions,
                          long cartSessions, BigDecimal revenue, long[] funnel, Map<String, long[]> funnelByUtmSource,
                          Map<String, long[]> funnelByDevice) {
    }

    public synchronized Numbers numbers() {
        return new Numbers(from, to, lastEvent, sessions, visitors.size(), events, Map.copyOf(eventsByType), purchases,
                convertedSessions, cartSessions, revenue, funnel.clone(), copy(bySource), copy(byDevice));
    }

    private static Map<String, long[]> copy(Map<String, long[]> m) {
        Map<String, long[]> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, v.clone()));
        return out;
    }
}
