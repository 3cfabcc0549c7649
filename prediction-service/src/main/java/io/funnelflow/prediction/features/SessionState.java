package io.funnelflow.prediction.features;

import io.funnelflow.contract.event.EventType;
import io.funnelflow.contract.session.SessionSummary;

import java.time.Instant;

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

    /** Rebuilds a session's state event by event, as the aggregator summarises it. */
    public static final class Replay {
        private final String sessionId;
        private final String visitorId;
        private final String userId;
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

        public Replay(String sessionId, String visitorId, String userId) {
            this.sessionId = sessionId;
            this.visitorId = visitorId;
            this.userId = userId;
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
            return this;
        }

        public SessionState state() {
            if (start == null) {
                throw new IllegalStateException("a session has at least one event");
            }
            return new SessionState(sessionId, visitorId, userId, start, moment, events, pageViews, productViews,
                    cartAdds, cartRemoves, checkouts, purchases, Math.max(0, cart), device, platform, utmSource,
                    utmMedium);
        }
    }
}
