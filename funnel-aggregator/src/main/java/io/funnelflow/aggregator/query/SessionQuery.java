package io.funnelflow.aggregator.query;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import io.funnelflow.contract.privacy.Personal;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** One session: its summary and its events in time order. */
public final class SessionQuery {

    private final DataSource dataSource;

    public SessionQuery(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** One session; who it was ({@link Personal}) only for admin callers. The key is the visitor's id when the client sent no session id. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SessionView(String sessionId, @Personal String sessionKey, @Personal String visitorId, @Personal String userId,
                              @Personal String anonymousId, @Personal List<String> userIds, Instant start, Instant end, long durationSeconds, int events,
                              int pageViews, int productViews, int cartAdds, int cartRemoves, int checkouts, int purchases,
                              BigDecimal cartValue, BigDecimal revenue, int furthestStep, String utmSource,
                              String utmMedium, String utmCampaign, String device, String platform, String landingPage,
                              boolean closed, List<EventView> timeline) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record EventView(String eventId, String eventType, Instant eventTime, Instant receivedAt, String pageUrl,
                            String productId, String productName, BigDecimal price, Integer quantity,
                            BigDecimal revenue, String currency, @Personal @JsonRawValue String metadata) {
    }

    public Optional<SessionView> find(String sessionId) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     SELECT session_id, session_key, visitor_id, user_id, anonymous_id, user_ids, started_at, ended_at,
                            duration_seconds, events, page_views, product_views, cart_adds, cart_removes, checkouts,
                            purchases, cart_value, revenue, furthest_step, utm_source, utm_medium, utm_campaign, device,
                            platform, landing_page, closed
                     FROM sessions WHERE session_id = ?""")) {
            ps.setString(1, sessionId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Instant start = rs.getTimestamp(7).toInstant();
                Instant end = rs.getTimestamp(8).toInstant();
                List<EventView> events = events(c, rs.getString(2), start, end);
                return Optional.of(new SessionView(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), Arrays.asList((String[]) rs.getArray(6).getArray()), start, end, rs.getLong(9),
                        rs.getInt(10), rs.getInt(11), rs.getInt(12), rs.getInt(13), rs.getInt(14), rs.getInt(15),
                        rs.getInt(16), rs.getBigDecimal(17), rs.getBigDecimal(18), rs.getInt(19), rs.getString(20),
                        rs.getString(21), rs.getString(22), rs.getString(23), rs.getString(24), rs.getString(25),
                        rs.getBoolean(26), events));
            }
        }
    }

    /**
     * Session bounds are kept to the millisecond, event times to the microsecond: the end's whole millisecond
     * belongs to it. At most the first 1,000 events are shown ({@code events} counts them all).
     */
    private static List<EventView> events(Connection c, String sessionKey, Instant start, Instant end) throws SQLException {
        List<EventView> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT event_id, event_type, event_time, received_at, page_url, product_id, product_name, price, quantity,
                       revenue, currency, metadata::text
                FROM events WHERE session_key = ? AND event_time >= ?
                              AND event_time < ?::timestamptz + interval '1 millisecond'
                ORDER BY event_time, event_id LIMIT 1000""")) {
            ps.setString(1, sessionKey);
            ps.setTimestamp(2, java.sql.Timestamp.from(start));
            ps.setTimestamp(3, java.sql.Timestamp.from(end));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new EventView(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant(),
                            rs.getTimestamp(4).toInstant(), rs.getString(5), rs.getString(6), rs.getString(7),
                            rs.getBigDecimal(8), rs.getObject(9, Integer.class), rs.getBigDecimal(10), rs.getString(11), rs.getString(12)));
                }
            }
        }
        return out;
    }
}
