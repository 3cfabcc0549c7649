package io.funnelflow.prediction.features;

import io.funnelflow.contract.session.SessionSummary;
import io.funnelflow.contract.session.SessionTally;
import io.funnelflow.contract.session.TallyEvent;

import java.math.BigDecimal;
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

    /**
     * Rebuilds a session's state event by event with the contract's {@link SessionTally} — the very rules
     * the aggregator summarises sessions with, so training and serving cannot drift apart — including who
     * the visitor is at each moment: the latest user id to appear, else the first anonymous id, else the
     * session key, so a snapshot taken before a login knows only the anonymous visitor.
     */
    public static final class Replay {
        private final String sessionId;
        private final String sessionKey;
        private final SessionTally tally = new SessionTally();

        public Replay(String sessionId, String sessionKey) {
            this.sessionId = sessionId;
            this.sessionKey = sessionKey;
        }

        /** Adds the session's next event, in time order. */
        public Replay add(SessionEvent e) {
            tally.add(new TallyEvent() {
                @Override
                public String type() {
                    return e.type();
                }

                @Override
                public long time() {
                    return e.time().toEpochMilli();
                }

                @Override
                public String userId() {
                    return e.userId();
                }

                @Override
                public String anonymousId() {
                    return e.anonymousId();
                }

                @Override
                public String pageUrl() {
                    return null;
                }

                @Override
                public String utmSource() {
                    return e.utmSource();
                }

                @Override
                public String utmMedium() {
                    return e.utmMedium();
                }

                @Override
                public String utmCampaign() {
                    return null;
                }

                @Override
                public String device() {
                    return e.device();
                }

                @Override
                public String platform() {
                    return e.platform();
                }

                @Override
                public BigDecimal price() {
                    return BigDecimal.valueOf(e.lineValue());
                }

                @Override
                public Integer quantity() {
                    return 1;
                }

                @Override
                public BigDecimal revenue() {
                    return null;
                }
            });
            return this;
        }

        public SessionState state() {
            return new SessionState(sessionId, tally.visitorId(sessionKey), tally.userId(), Instant.ofEpochMilli(tally.first()),
                    Instant.ofEpochMilli(tally.last()), tally.events(), tally.pageViews(), tally.productViews(), tally.cartAdds(),
                    tally.cartRemoves(), tally.checkouts(), tally.purchases(), tally.cartValue().doubleValue(), tally.device(),
                    tally.platform(), tally.utmSource(), tally.utmMedium());
        }
    }
}
