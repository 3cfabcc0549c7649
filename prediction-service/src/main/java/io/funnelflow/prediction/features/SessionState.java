package io.funnelflow.prediction.features;

import io.funnelflow.contract.event.EventType;
import io.funnelflow.contract.session.SessionSummary;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What is known of a session at one moment: the counts and the cart as they stand after the session's
 * latest event, and the first device, platform and campaign seen. A live session's state comes from its
 * summary; a training snapshot's is replayed from its first events with {@link Replay}, with the same
 * rules the aggregator uses, so that the model sees the same numbers in training and in service.
 *
 * @param moment the time of the latest event known, the moment the state describes
 */
public record SessionState(
        String sessionId,
        String visitorId,
        String userId,
        Instant start,
        Instant moment,
        int events,
        int pageViews,
        int productViews,
        int cartAdds,
        int cartRemoves,
        int checkouts,
        int purchases,
        double cartValue,
        String device,
        String platform,
        String utmSource,
        String utmMedium) {

    public static SessionState of(SessionSummary s) {
        return new SessionState(s.sessionId(), s.visitorId(), s.userId(), s.start(), s.end(), s.events(),
                s.pageViews(), s.productViews(), s.cartAdds(), s.cartRemoves(), s.checkouts(), s.purchases(),
                s.cartValue() == null ? 0 : s.cartValue().doubleValue(), s.device(), s.platform(), s.utmSource(),
                s.utmMedium());
    }

    public long timeOnSiteSeconds() {
        return (moment.toEpochMilli() - start.toEpochMilli()) / 1000;
    }

    /**
     * Rebuilds a session's state event by event, as the aggregator summarises it, including who the
     * visitor is at each moment: the latest user id to appear, else the first anonymous id, else the
     * session key — so a snapshot taken before a login knows only the anonymous visitor.
     */
    public static final class Replay {
        private final String sessionId;
        private final String sessionKey;
        private final Set<String> userIds = new LinkedHashSet<>();
        private String anonymousId;
        private Instant start;
        private Instant moment;
        private int events;
        private int pageViews;
        private int productViews;
        private int cartAdds;
        private int cartRemoves;
        private int checkouts;
        private int purchases;
        private double cart;
        private String device;
        private String platform;
        private String utmSource;
        private String utmMedium;

        public Replay(String sessionId, String sessionKey) {
            this.sessionId = sessionId;
            this.sessionKey = sessionKey;
        }

        /** Adds the session's next event, in time order. */
        public Replay add(SessionEvent e) {
            if (start == null) {
                start = e.time();
            }
            moment = e.time();
            events++;
            EventType type = EventType.fromWireName(e.type()).orElse(null);
            if (type == EventType.PAGE_VIEW) {
                pageViews++;
            } else if (type == EventType.PRODUCT_VIEW) {
                productViews++;
            } else if (type == EventType.ADD_TO_CART) {
                cartAdds++;
                cart += e.lineValue();
            } else if (type == EventType.REMOVE_FROM_CART) {
                cartRemoves++;
                cart -= e.lineValue();
            } else if (type == EventType.CHECKOUT_START) {
                checkouts++;
            } else if (type == EventType.PURCHASE) {
                purchases++;
                cart = 0;
            }
            device = device != null ? device : e.device();
            platform = platform != null ? platform : e.platform();
            utmSource = utmSource != null ? utmSource : e.utmSource();
            utmMedium = utmMedium != null ? utmMedium : e.utmMedium();
            anonymousId = anonymousId != null ? anonymousId : e.anonymousId();
            if (e.userId() != null) {
                userIds.add(e.userId());
            }
            return this;
        }

        public SessionState state() {
            if (start == null) {
                throw new IllegalStateException("a session has at least one event");
            }
            String userId = userIds.isEmpty() ? null : List.copyOf(userIds).get(userIds.size() - 1);
            String visitorId = userId != null ? userId : anonymousId != null ? anonymousId : sessionKey;
            return new SessionState(sessionId, visitorId, userId, start, moment, events, pageViews, productViews,
                    cartAdds, cartRemoves, checkouts, purchases, Math.max(0, cart), device, platform, utmSource,
                    utmMedium);
        }
    }
}
