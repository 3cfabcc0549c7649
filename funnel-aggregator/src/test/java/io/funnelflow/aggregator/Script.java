package io.funnelflow.aggregator;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A scripted set of shoppers and what the platform must make of them, computed here independently of
 * the platform's code: the default funnel in order, the KPIs, the hourly trend.
 */
final class Script {

    record Step(String eventId, String session, String anonymousId, String userId, String type, Instant at,
                String utmSource, String device, BigDecimal price, Integer quantity, BigDecimal revenue) {

        String json() {
            StringBuilder b = new StringBuilder("{");
            field(b, "event_id", eventId);
            field(b, "event_type", type);
            field(b, "session_id", session);
            field(b, "anonymous_id", anonymousId);
            field(b, "user_id", userId);
            field(b, "timestamp", at.toString());
            field(b, "utm_source", utmSource);
            field(b, "utm_medium", "cpc");
            field(b, "utm_campaign", "script");
            field(b, "device", device);
            field(b, "platform", "web");
            if (price != null) {
                b.append("\"product_id\":\"p-1\",\"price\":").append(price).append(",\"quantity\":").append(quantity).append(',');
            }
            if (revenue != null) {
                b.append("\"revenue\":").append(revenue).append(',');
            }
            b.setLength(b.length() - 1);
            return b.append('}').toString();
        }

        private static void field(StringBuilder b, String name, String value) {
            if (value != null) {
                b.append('"').append(name).append("\":\"").append(value).append("\",");
            }
        }
    }

    static final List<String> FUNNEL = List.of("page_view", "product_view", "add_to_cart", "checkout_start", "purchase");
    static final Duration GAP = Duration.ofMinutes(30);

    final Instant base;
    final List<Step> steps = new ArrayList<>();
    private int counter;

    Script(Instant base) {
        this.base = base.truncatedTo(ChronoUnit.HOURS);
    }

    Step step(String session, String user, String type, double minutes, String source, String device) {
        BigDecimal price = type.equals("add_to_cart") ? new BigDecimal("20.00") : null;
        BigDecimal revenue = type.equals("purchase") ? new BigDecimal(10 + 15 * (counter % 7) + ".50") : null;
        Step s = new Step(session + "-e" + (++counter), session, "anon-" + session, user, type,
                base.plusMillis((long) (minutes * 60_000)), source, device, price, price == null ? null : 2, revenue);
        steps.add(s);
        return s;
    }

    /** The sessions the platform should find: per session key, split at 30 minutes of silence. */
    Map<String, List<Step>> sessions() {
        Map<String, List<Step>> byKey = new LinkedHashMap<>();
        for (Step s : steps) {
            byKey.computeIfAbsent(s.session(), k -> new ArrayList<>()).add(s);
        }
        Map<String, List<Step>> out = new LinkedHashMap<>();
        byKey.forEach((key, list) -> {
            list.sort(Comparator.comparing(Step::at).thenComparing(Step::eventId));
            int n = 0;
            List<Step> current = new ArrayList<>();
            for (Step s : list) {
                if (!current.isEmpty() && Duration.between(current.get(current.size() - 1).at(), s.at()).compareTo(GAP) >= 0) {
                    out.put(n == 0 ? key : key + "#" + (n + 1), current);
                    n++;
                    current = new ArrayList<>();
                }
                current.add(s);
            }
            out.put(n == 0 ? key : key + "#" + (n + 1), current);
        });
        return out;
    }

    /** How many sessions reach each step of the default funnel in order (earliest match, other events allowed). */
    long[] funnel() {
        long[] counts = new long[FUNNEL.size()];
        for (List<Step> session : sessions().values()) {
            int reached = 0;
            Instant last = Instant.MIN;
            int position = -1;
            for (int k = 0; k < FUNNEL.size(); k++) {
                boolean found = false;
                for (int i = position + 1; i < session.size(); i++) {
                    Step s = session.get(i);
                    if (s.type().equals(FUNNEL.get(k)) && !s.at().isBefore(last)) {
                        last = s.at();
                        position = i;
                        found = true;
                        break;
                    }
                }
                if (!found) {
                    break;
                }
                reached++;
            }
            for (int k = 0; k < reached; k++) {
                counts[k]++;
            }
        }
        return counts;
    }

    long purchases() {
        return steps.stream().filter(s -> s.type().equals("purchase")).count();
    }

    BigDecimal revenue() {
        return steps.stream().filter(s -> s.revenue() != null).map(Step::revenue).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    long visitors() {
        Set<String> visitors = new HashSet<>();
        sessions().values().forEach(list -> {
            String user = list.stream().map(Step::userId).filter(u -> u != null).reduce((a, b) -> b).orElse(null);
            visitors.add(user != null ? user : list.get(0).anonymousId());
        });
        return visitors.size();
    }

    long convertedSessions() {
        return sessions().values().stream().filter(l -> l.stream().anyMatch(s -> s.type().equals("purchase"))).count();
    }

    long cartSessions() {
        return sessions().values().stream().filter(l -> l.stream().anyMatch(s -> s.type().equals("add_to_cart"))).count();
    }

    long abandonedCarts() {
        return sessions().values().stream().filter(l -> l.stream().anyMatch(s -> s.type().equals("add_to_cart"))
                && l.stream().noneMatch(s -> s.type().equals("purchase"))).count();
    }

    /** Events per hour of event time. */
    Map<Instant, Long> hourly() {
        Map<Instant, Long> out = new TreeMap<>();
        steps.forEach(s -> out.merge(s.at().truncatedTo(ChronoUnit.HOURS), 1L, Long::sum));
        return out;
    }

    Map<String, Long> byType() {
        Map<String, Long> out = new HashMap<>();
        steps.forEach(s -> out.merge(s.type(), 1L, Long::sum));
        return out;
    }
}
