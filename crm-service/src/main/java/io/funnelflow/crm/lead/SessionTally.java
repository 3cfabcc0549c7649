package io.funnelflow.crm.lead;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.funnelflow.contract.session.SessionSummary;

import java.math.BigDecimal;
import java.time.Instant;

/** What a lead's rules need of one of its sessions (or of several older ones, summed). */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record SessionTally(String sessionId, Instant start, Instant end, int sessions, int pageViews, int productViews,
                           int cartAdds, int checkouts, int purchases, BigDecimal revenue, String utmSource) {

    public static SessionTally of(SessionSummary s) {
        return new SessionTally(s.sessionId(), s.start(), s.end(), 1, s.pageViews(), s.productViews(), s.cartAdds(),
                s.checkouts(), s.purchases(), s.revenue() == null ? BigDecimal.ZERO : s.revenue(), s.utmSource());
    }

    public static SessionTally zero() {
        return new SessionTally(null, null, null, 0, 0, 0, 0, 0, 0, BigDecimal.ZERO, null);
    }

    public SessionTally plus(SessionTally o) {
        return new SessionTally(null, min(start, o.start), max(end, o.end), sessions + o.sessions, pageViews + o.pageViews,
                productViews + o.productViews, cartAdds + o.cartAdds, checkouts + o.checkouts, purchases + o.purchases,
                revenue.add(o.revenue), utmSource != null ? utmSource : o.utmSource);
    }

    static Instant min(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isBefore(b) ? a : b;
    }

    static Instant max(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
    }
}
