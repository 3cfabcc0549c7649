package io.funnelflow.contract.event;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;

/**
 * One thing a visitor did, as it travels on {@code funnelflow.events}.
 *
 * <p>{@code timestamp} and {@code sent_at} are the client's clock, {@code received_at} the server's.
 * {@code event_time} is the time the platform counts by: the client time corrected for clock skew,
 * {@code timestamp + (received_at - sent_at)}, as Segment and Snowplow do.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrackedEvent(
        String eventId,
        String eventType,
        Instant timestamp,
        Instant sentAt,
        Instant receivedAt,
        Instant eventTime,
        String sessionId,
        String userId,
        String anonymousId,
        String pageUrl,
        String referrer,
        String utmSource,
        String utmMedium,
        String utmCampaign,
        String platform,
        String device,
        String productId,
        String productName,
        BigDecimal price,
        Integer quantity,
        BigDecimal revenue,
        String currency,
        Map<String, Object> metadata) {

    /** The standard type, empty for a custom event. */
    public Optional<EventType> standardType() {
        return EventType.fromWireName(eventType);
    }

    public boolean is(EventType type) {
        return type.wireName().equals(eventType);
    }

    /**
     * The key of the session this event belongs to: the client's {@code session_id} when given,
     * otherwise the visitor ({@code anonymous_id}, else {@code user_id}). It is the Kafka key.
     */
    @JsonIgnore
    public String sessionKey() {
        if (notBlank(sessionId)) {
            return sessionId;
        }
        if (notBlank(anonymousId)) {
            return anonymousId;
        }
        return notBlank(userId) ? userId : null;
    }

    /**
     * The client time corrected for clock skew: {@code timestamp + (receivedAt - sentAt)}, to the
     * microsecond. A raw time outside the range any clock can show ({@link EventValidator#RAW_EARLIEST}
     * to {@link EventValidator#RAW_LATEST}) is not corrected: the validator refuses it by name.
     */
    public static Instant correctedTime(Instant timestamp, Instant sentAt, Instant receivedAt) {
        if (timestamp == null) {
            return micros(receivedAt);
        }
        if (sentAt == null || receivedAt == null || !plausible(timestamp) || !plausible(sentAt) || !plausible(receivedAt)) {
            return micros(timestamp);
        }
        return micros(timestamp.plus(Duration.between(sentAt, receivedAt)));
    }

    private static boolean plausible(Instant t) {
        return !t.isBefore(EventValidator.RAW_EARLIEST) && t.isBefore(EventValidator.RAW_LATEST);
    }

    /**
     * The platform's own times have microseconds at most, the precision PostgreSQL stores: JDBC rounds
     * finer ones to the nearest microsecond, which can carry a time into the next millisecond, while the
     * stream counts by the millisecond it truncates to. Truncating once, here, keeps the two agreeing.
     */
    private static Instant micros(Instant t) {
        return t == null ? null : t.truncatedTo(ChronoUnit.MICROS);
    }

    /**
     * This event as the server accepts it: its id (given or generated), the server's receive time
     * and the skew-corrected event time, both to the microsecond.
     */
    public TrackedEvent accepted(String id, Instant received, Instant effectiveSentAt) {
        Instant sent = sentAt != null ? sentAt : effectiveSentAt;
        return new TrackedEvent(id, eventType, timestamp, sent, micros(received), correctedTime(timestamp, sent, received),
                sessionId, userId, anonymousId, pageUrl, referrer, utmSource, utmMedium, utmCampaign, platform, device,
                productId, productName, price, quantity, revenue, currency, metadata);
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }

    /** A builder, instead of 23 positional arguments. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this event's fields. */
    public Builder toBuilder() {
        return new Builder().eventId(eventId).eventType(eventType).timestamp(timestamp).sentAt(sentAt).receivedAt(receivedAt)
                .eventTime(eventTime).sessionId(sessionId).userId(userId).anonymousId(anonymousId).pageUrl(pageUrl)
                .referrer(referrer).utmSource(utmSource).utmMedium(utmMedium).utmCampaign(utmCampaign).platform(platform)
                .device(device).productId(productId).productName(productName).price(price).quantity(quantity)
                .revenue(revenue).currency(currency).metadata(metadata);
    }

    /** Builds a {@link TrackedEvent} field by field; unset fields are null. */
    public static final class Builder {
        private String eventId;
        private String eventType;
        private Instant timestamp;
        private Instant sentAt;
        private Instant receivedAt;
        private Instant eventTime;
        private String sessionId;
        private String userId;
        private String anonymousId;
        private String pageUrl;
        private String referrer;
        private String utmSource;
        private String utmMedium;
        private String utmCampaign;
        private String platform;
        private String device;
        private String productId;
        private String productName;
        private BigDecimal price;
        private Integer quantity;
        private BigDecimal revenue;
        private String currency;
        private Map<String, Object> metadata;

        public Builder eventId(String v) { eventId = v; return this; }
        public Builder eventType(String v) { eventType = v; return this; }
        public Builder timestamp(Instant v) { timestamp = v; return this; }
        public Builder sentAt(Instant v) { sentAt = v; return this; }
        public Builder receivedAt(Instant v) { receivedAt = v; return this; }
        public Builder eventTime(Instant v) { eventTime = v; return this; }
        public Builder sessionId(String v) { sessionId = v; return this; }
        public Builder userId(String v) { userId = v; return this; }
        public Builder anonymousId(String v) { anonymousId = v; return this; }
        public Builder pageUrl(String v) { pageUrl = v; return this; }
        public Builder referrer(String v) { referrer = v; return this; }
        public Builder utmSource(String v) { utmSource = v; return this; }
        public Builder utmMedium(String v) { utmMedium = v; return this; }
        public Builder utmCampaign(String v) { utmCampaign = v; return this; }
        public Builder platform(String v) { platform = v; return this; }
        public Builder device(String v) { device = v; return this; }
        public Builder productId(String v) { productId = v; return this; }
        public Builder productName(String v) { productName = v; return this; }
        public Builder price(BigDecimal v) { price = v; return this; }
        public Builder quantity(Integer v) { quantity = v; return this; }
        public Builder revenue(BigDecimal v) { revenue = v; return this; }
        public Builder currency(String v) { currency = v; return this; }
        public Builder metadata(Map<String, Object> v) { metadata = v; return this; }

        /** Sets the client time and, when they are not set, the receive and event times to the same instant. */
        public Builder at(Instant v) {
            timestamp = v;
            if (receivedAt == null) {
                receivedAt = v;
            }
            if (eventTime == null) {
                eventTime = v;
            }
            return this;
        }

        public TrackedEvent build() {
            return new TrackedEvent(eventId, eventType, timestamp, sentAt, receivedAt, eventTime, sessionId, userId,
                    anonymousId, pageUrl, referrer, utmSource, utmMedium, utmCampaign, platform, device, productId,
                    productName, price, quantity, revenue, currency, metadata);
        }
    }
}
