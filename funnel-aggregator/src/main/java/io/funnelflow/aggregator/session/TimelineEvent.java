package io.funnelflow.aggregator.session;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.funnelflow.contract.event.TrackedEvent;

import java.math.BigDecimal;

/** What the sessionizer keeps of one event: enough to summarise a session, nothing more. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TimelineEvent(
        String eventId,
        String type,
        long time,
        String userId,
        String anonymousId,
        String pageUrl,
        String utmSource,
        String utmMedium,
        String utmCampaign,
        String device,
        String platform,
        BigDecimal price,
        Integer quantity,
        BigDecimal revenue) implements Comparable<TimelineEvent> {

    public static TimelineEvent of(TrackedEvent e) {
        return new TimelineEvent(e.eventId(), e.eventType(), e.eventTime().toEpochMilli(), e.userId(), e.anonymousId(),
                e.pageUrl(), e.utmSource(), e.utmMedium(), e.utmCampaign(), e.device(), e.platform(), e.price(),
                e.quantity(), e.revenue());
    }

    /** Time order, ties broken by event id, so that any arrival order gives the same sequence. */
    @Override
    public int compareTo(TimelineEvent o) {
        int byTime = Long.compare(time, o.time);
        return byTime != 0 ? byTime : eventId.compareTo(o.eventId);
    }
}
