package io.funnelflow.contract.session;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * The events of one type and one combination of campaign, device and platform within one minute of
 * event time: an absolute count and revenue, so the latest value of a bucket replaces the earlier ones.
 * Absent dimensions are the empty string, so that every bucket has one key.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MinuteCount(
        Instant minute,
        String eventType,
        String utmSource,
        String utmMedium,
        String utmCampaign,
        String device,
        String platform,
        long events,
        BigDecimal revenue) {

    /** The bucket key: the minute and every dimension, in one string. */
    public String bucketKey() {
        return String.join("\u001f", String.valueOf(minute.toEpochMilli()), eventType, utmSource, utmMedium,
                utmCampaign, device, platform);
    }
}
