package io.funnelflow.aggregator.session;

import io.funnelflow.aggregator.funnel.FunnelEvaluator;
import io.funnelflow.aggregator.funnel.FunnelMode;
import io.funnelflow.aggregator.funnel.FunnelSession;
import io.funnelflow.contract.event.EventType;
import io.funnelflow.contract.funnel.FunnelDefinition;
import io.funnelflow.contract.session.SessionSummary;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Splits a timeline into sessions and summarises each: a new session starts when an event comes at
 * least the inactivity gap after the one before it. The first session of a key is named by the key,
 * the next ones {@code key#2}, {@code key#3} …, so ids only change when an earlier session appears.
 */
public final class SessionBuilder {

    private final long gapMillis;

    public SessionBuilder(Duration inactivityGap) {
        this.gapMillis = inactivityGap.toMillis();
    }

    public List<SessionSummary> sessions(String key, Timeline timeline, long now) {
        List<TimelineEvent> events = timeline.events();
        List<SessionSummary> out = new ArrayList<>();
        int start = 0;
        for (int i = 1; i <= events.size(); i++) {
            if (i == events.size() || events.get(i).time() - events.get(i - 1).time() >= gapMillis) {
                if (i > start) {
                    String id = out.isEmpty() ? key : key + "#" + (out.size() + 1);
                    out.add(summarise(id, key, events.subList(start, i), now));
                }
                start = i;
            }
        }
        return out;
    }

    /** Whether the session that ends at {@code end} is over at wall-clock time {@code now}. */
    public boolean closed(long end, long now) {
        return now - end >= gapMillis;
    }

    SessionSummary summarise(String id, String key, List<TimelineEvent> events, long now) {
        int pageViews = 0;
        int productViews = 0;
        int cartAdds = 0;
        int cartRemoves = 0;
        int checkouts = 0;
        int purchases = 0;
        BigDecimal cart = BigDecimal.ZERO;
        BigDecimal revenue = BigDecimal.ZERO;
        String utmSource = null;
        String utmMedium = null;
        String utmCampaign = null;
        String device = null;
        String platform = null;
        String landingPage = null;
        String anonymousId = null;
        Set<String> userIds = new LinkedHashSet<>();
        List<String> types = new ArrayList<>(events.size());
        List<Long> times = new ArrayList<>(events.size());
        for (TimelineEvent e : events) {
            types.add(e.type());
            times.add(e.time());
            EventType type = EventType.fromWireName(e.type()).orElse(null);
            if (type == EventType.PAGE_VIEW) {
                pageViews++;
                if (landingPage == null) {
                    landingPage = e.pageUrl();
                }
            } else if (type == EventType.PRODUCT_VIEW) {
                productViews++;
            } else if (type == EventType.ADD_TO_CART) {
                cartAdds++;
                cart = cart.add(lineValue(e));
            } else if (type == EventType.REMOVE_FROM_CART) {
                cartRemoves++;
                cart = cart.subtract(lineValue(e));
            } else if (type == EventType.CHECKOUT_START) {
                checkouts++;
            } else if (type == EventType.PURCHASE) {
                purchases++;
                revenue = revenue.add(e.revenue() == null ? BigDecimal.ZERO : e.revenue());
                cart = BigDecimal.ZERO;
            }
            utmSource = utmSource != null ? utmSource : e.utmSource();
            utmMedium = utmMedium != null ? utmMedium : e.utmMedium();
            utmCampaign = utmCampaign != null ? utmCampaign : e.utmCampaign();
            device = device != null ? device : e.device();
            platform = platform != null ? platform : e.platform();
            anonymousId = anonymousId != null ? anonymousId : e.anonymousId();
            if (e.userId() != null) {
                userIds.add(e.userId());
            }
        }
        long first = events.get(0).time();
        long last = events.get(events.size() - 1).time();
        String userId = userIds.isEmpty() ? null : List.copyOf(userIds).get(userIds.size() - 1);
        long[] timeArray = times.stream().mapToLong(Long::longValue).toArray();
        int furthest = FunnelEvaluator.match(FunnelDefinition.DEFAULT, FunnelMode.ORDERED,
                new FunnelSession(null, types, timeArray)).depth();
        String visitor = userId != null ? userId : anonymousId != null ? anonymousId : key;
        return new SessionSummary(id, key, visitor, Instant.ofEpochMilli(first),
                Instant.ofEpochMilli(last), (last - first) / 1000, events.size(), pageViews, productViews, cartAdds,
                cartRemoves, checkouts, purchases, cart.max(BigDecimal.ZERO), revenue, furthest, utmSource, utmMedium,
                utmCampaign, device, platform, landingPage, userId, anonymousId, List.copyOf(userIds), types, times,
                closed(last, now));
    }

    private static BigDecimal lineValue(TimelineEvent e) {
        BigDecimal price = e.price() == null ? BigDecimal.ZERO : e.price();
        return price.multiply(BigDecimal.valueOf(e.quantity() == null ? 1 : e.quantity()));
    }
}
