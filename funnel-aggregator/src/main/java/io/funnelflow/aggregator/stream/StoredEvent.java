package io.funnelflow.aggregator.stream;

import io.funnelflow.contract.event.EventType;
import io.funnelflow.contract.event.TrackedEvent;
import io.funnelflow.contract.session.SessionTally;
import io.funnelflow.contract.session.TallyEvent;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;

/**
 * What the stream keeps of one event in a session key's state: what the session figures and funnels
 * need, in a compact binary form (each event is its own store entry, so adding one never rewrites the
 * others). The page URL is kept for page views only (the first is the session's landing page).
 */
record StoredEvent(String eventId, String type, long time, String userId, String anonymousId, String pageUrl,
                   String utmSource, String utmMedium, String utmCampaign, String device, String platform,
                   String productId, BigDecimal price, Integer quantity, BigDecimal revenue) implements TallyEvent {

    private static final byte FORMAT = 1;

    static StoredEvent of(TrackedEvent e) {
        return new StoredEvent(e.eventId(), e.eventType(), e.eventTime().toEpochMilli(), e.userId(), e.anonymousId(),
                e.is(EventType.PAGE_VIEW) ? e.pageUrl() : null, e.utmSource(), e.utmMedium(), e.utmCampaign(), e.device(),
                e.platform(), e.productId(), e.price(), e.quantity(), e.revenue());
    }

    byte[] encode() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(96);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(FORMAT);
            out.writeUTF(eventId);
            out.writeUTF(type);
            out.writeLong(time);
            for (String s : new String[]{userId, anonymousId, pageUrl, utmSource, utmMedium, utmCampaign, device, platform, productId}) {
                SessionTally.writeString(out, s);
            }
            SessionTally.writeDecimal(out, price);
            out.writeInt(quantity == null ? Integer.MIN_VALUE : quantity);
            SessionTally.writeDecimal(out, revenue);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static StoredEvent decode(byte[] value) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(value));
            byte format = in.readByte();
            if (format != FORMAT) {
                throw new IOException("unknown stored event format " + format);
            }
            String id = in.readUTF();
            String type = in.readUTF();
            long time = in.readLong();
            String[] s = new String[9];
            for (int i = 0; i < s.length; i++) {
                s[i] = SessionTally.readString(in);
            }
            BigDecimal price = SessionTally.readDecimal(in);
            int q = in.readInt();
            BigDecimal revenue = SessionTally.readDecimal(in);
            return new StoredEvent(id, type, time, s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8], price,
                    q == Integer.MIN_VALUE ? null : q, revenue);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
