package io.funnelflow.aggregator.stream;

import io.funnelflow.contract.event.TrackedEvent;
import io.funnelflow.contract.session.MinuteCount;

import java.time.Instant;

/** The dimensions of a minute bucket, as one key: event type, utm source, medium, campaign, device, platform. */
final class Buckets {

    private static final String SEPARATOR = "\u001f";

    private Buckets() {
    }

    static String dimensions(TrackedEvent e) {
        return String.join(SEPARATOR, e.eventType(), orEmpty(e.utmSource()), orEmpty(e.utmMedium()),
                orEmpty(e.utmCampaign()), orEmpty(e.device()), orEmpty(e.platform()));
    }

    static MinuteCount minuteCount(String dimensions, Instant minute, Tally tally) {
        String[] d = dimensions.split(SEPARATOR, -1);
        return new MinuteCount(minute, d[0], d[1], d[2], d[3], d[4], d[5], tally.events(), tally.revenue());
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
