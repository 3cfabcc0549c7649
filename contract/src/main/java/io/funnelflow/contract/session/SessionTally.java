package io.funnelflow.contract.session;

import io.funnelflow.contract.event.EventType;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The one set of rules by which a session's events become its figures: counts per standard type, the
 * cart (added minus removed at the prices given, emptied by a purchase), revenue, the first campaign,
 * device, platform and landing page, and who the visitor is. Events are added in time order; the
 * tally is O(1) in size whatever the session's length, so adding an event costs the same for the
 * first and the thousandth.
 *
 * <p>The aggregator keeps one per live session; the prediction service replays training snapshots
 * through the same class, so that the model sees the same numbers in training and in service.
 *
 * <p>Who the visitor is at any moment: the latest user id to appear (at most {@value #MAX_USER_IDS}
 * distinct ones are kept), else the first anonymous id, else the session key.
 */
public final class SessionTally {

    public static final int MAX_USER_IDS = 20;
    private static final byte FORMAT = 1;

    private long first = Long.MIN_VALUE;
    private long last = Long.MIN_VALUE;
    private int events;
    private int pageViews;
    private int productViews;
    private int cartAdds;
    private int cartRemoves;
    private int checkouts;
    private int purchases;
    private BigDecimal cart = BigDecimal.ZERO;
    private BigDecimal revenue = BigDecimal.ZERO;
    private String utmSource;
    private String utmMedium;
    private String utmCampaign;
    private String device;
    private String platform;
    private String landingPage;
    private String anonymousId;
    private String lastEventType;
    private final LinkedHashSet<String> userIds = new LinkedHashSet<>();

    /** Adds the session's next event; events must come in time order. */
    public SessionTally add(TallyEvent e) {
        if (first == Long.MIN_VALUE) {
            first = e.time();
        }
        last = e.time();
        events++;
        lastEventType = e.type();
        EventType type = EventType.fromWireName(e.type()).orElse(null);
        if (type == EventType.PAGE_VIEW) {
            pageViews++;
            if (landingPage == null) {
                landingPage = e.pageUrl();
            }
        } else if (type == EventType.PRODUCT_VIEW) {
            productViews++;
        } else if (type == EventType.ADD_TO_CART) {
            cartAdds++;
            cart = cart.add(e.lineValue());
        } else if (type == EventType.REMOVE_FROM_CART) {
            cartRemoves++;
            cart = cart.subtract(e.lineValue());
        } else if (type == EventType.CHECKOUT_START) {
            checkouts++;
        } else if (type == EventType.PURCHASE) {
            purchases++;
            if (e.revenue() != null) {
                revenue = revenue.add(e.revenue());
            }
            cart = BigDecimal.ZERO;
        }
        utmSource = utmSource != null ? utmSource : e.utmSource();
        utmMedium = utmMedium != null ? utmMedium : e.utmMedium();
        utmCampaign = utmCampaign != null ? utmCampaign : e.utmCampaign();
        device = device != null ? device : e.device();
        platform = platform != null ? platform : e.platform();
        anonymousId = anonymousId != null ? anonymousId : e.anonymousId();
        if (e.userId() != null && userIds.size() < MAX_USER_IDS) {
            userIds.add(e.userId());
        }
        return this;
    }

    public SessionTally copy() {
        SessionTally c = new SessionTally();
        c.first = first;
        c.last = last;
        c.events = events;
        c.pageViews = pageViews;
        c.productViews = productViews;
        c.cartAdds = cartAdds;
        c.cartRemoves = cartRemoves;
        c.checkouts = checkouts;
        c.purchases = purchases;
        c.cart = cart;
        c.revenue = revenue;
        c.utmSource = utmSource;
        c.utmMedium = utmMedium;
        c.utmCampaign = utmCampaign;
        c.device = device;
        c.platform = platform;
        c.landingPage = landingPage;
        c.anonymousId = anonymousId;
        c.lastEventType = lastEventType;
        c.userIds.addAll(userIds);
        return c;
    }

    public boolean isEmpty() {
        return events == 0;
    }

    /** Time of the first event, epoch ms. */
    public long first() {
        requireEvents();
        return first;
    }

    /** Time of the latest event, epoch ms. */
    public long last() {
        requireEvents();
        return last;
    }

    public long durationSeconds() {
        return (last() - first()) / 1000;
    }

    public int events() {
        return events;
    }

    public int pageViews() {
        return pageViews;
    }

    public int productViews() {
        return productViews;
    }

    public int cartAdds() {
        return cartAdds;
    }

    public int cartRemoves() {
        return cartRemoves;
    }

    public int checkouts() {
        return checkouts;
    }

    public int purchases() {
        return purchases;
    }

    /** What is in the cart now; never negative. */
    public BigDecimal cartValue() {
        return cart.max(BigDecimal.ZERO);
    }

    public BigDecimal revenue() {
        return revenue;
    }

    public String utmSource() {
        return utmSource;
    }

    public String utmMedium() {
        return utmMedium;
    }

    public String utmCampaign() {
        return utmCampaign;
    }

    public String device() {
        return device;
    }

    public String platform() {
        return platform;
    }

    public String landingPage() {
        return landingPage;
    }

    public String anonymousId() {
        return anonymousId;
    }

    public String lastEventType() {
        return lastEventType;
    }

    /** The distinct user ids in the order they first appeared. */
    public List<String> userIds() {
        return List.copyOf(userIds);
    }

    /** The latest user id to appear, or null. */
    public String userId() {
        String latest = null;
        for (String id : userIds) {
            latest = id;
        }
        return latest;
    }

    /** The visitor: the latest user id, else the first anonymous id, else the session key. */
    public String visitorId(String sessionKey) {
        String user = userId();
        return user != null ? user : anonymousId != null ? anonymousId : sessionKey;
    }

    /**
     * The session's summary as published.
     *
     * @param furthestStep the furthest step of the default funnel reached in order
     * @param truncated    whether events over the per-session cap were left out of these figures
     */
    public SessionSummary summary(String sessionId, String sessionKey, int furthestStep, boolean truncated, boolean closed) {
        requireEvents();
        return new SessionSummary(sessionId, sessionKey, visitorId(sessionKey), Instant.ofEpochMilli(first),
                Instant.ofEpochMilli(last), durationSeconds(), events, pageViews, productViews, cartAdds, cartRemoves,
                checkouts, purchases, cartValue(), revenue, furthestStep, utmSource, utmMedium, utmCampaign, device,
                platform, landingPage, userId(), anonymousId, userIds(), lastEventType, truncated, closed);
    }

    private void requireEvents() {
        if (events == 0) {
            throw new IllegalStateException("a session has at least one event");
        }
    }

    // ---- compact binary form, for state stores -------------------------------------------------------

    public void writeTo(DataOutput out) throws IOException {
        out.writeByte(FORMAT);
        out.writeLong(first);
        out.writeLong(last);
        out.writeInt(events);
        out.writeInt(pageViews);
        out.writeInt(productViews);
        out.writeInt(cartAdds);
        out.writeInt(cartRemoves);
        out.writeInt(checkouts);
        out.writeInt(purchases);
        writeDecimal(out, cart);
        writeDecimal(out, revenue);
        for (String s : new String[]{utmSource, utmMedium, utmCampaign, device, platform, landingPage, anonymousId, lastEventType}) {
            writeString(out, s);
        }
        out.writeByte(userIds.size());
        for (String id : userIds) {
            out.writeUTF(id);
        }
    }

    public static SessionTally readFrom(DataInput in) throws IOException {
        byte format = in.readByte();
        if (format != FORMAT) {
            throw new IOException("unknown session tally format " + format);
        }
        SessionTally t = new SessionTally();
        t.first = in.readLong();
        t.last = in.readLong();
        t.events = in.readInt();
        t.pageViews = in.readInt();
        t.productViews = in.readInt();
        t.cartAdds = in.readInt();
        t.cartRemoves = in.readInt();
        t.checkouts = in.readInt();
        t.purchases = in.readInt();
        t.cart = readDecimal(in);
        t.revenue = readDecimal(in);
        t.utmSource = readString(in);
        t.utmMedium = readString(in);
        t.utmCampaign = readString(in);
        t.device = readString(in);
        t.platform = readString(in);
        t.landingPage = readString(in);
        t.anonymousId = readString(in);
        t.lastEventType = readString(in);
        int ids = in.readUnsignedByte();
        Set<String> userIds = t.userIds;
        for (int i = 0; i < ids; i++) {
            userIds.add(in.readUTF());
        }
        return t;
    }

    /** Writes a nullable string (length-prefixed UTF-8). */
    public static void writeString(DataOutput out, String s) throws IOException {
        if (s == null) {
            out.writeBoolean(false);
        } else {
            out.writeBoolean(true);
            out.writeUTF(s);
        }
    }

    public static String readString(DataInput in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    /** Writes a nullable decimal as scale and unscaled bytes. */
    public static void writeDecimal(DataOutput out, BigDecimal d) throws IOException {
        if (d == null) {
            out.writeByte(-1);
            return;
        }
        byte[] unscaled = d.unscaledValue().toByteArray();
        out.writeByte(unscaled.length);
        out.write(unscaled);
        out.writeInt(d.scale());
    }

    public static BigDecimal readDecimal(DataInput in) throws IOException {
        int length = in.readByte();
        if (length < 0) {
            return null;
        }
        byte[] unscaled = new byte[length];
        in.readFully(unscaled);
        return new BigDecimal(new BigInteger(unscaled), in.readInt());
    }

    /** For tests and logs. */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        parts.add("events=" + events);
        parts.add("first=" + first);
        parts.add("last=" + last);
        parts.add("purchases=" + purchases);
        parts.add("revenue=" + revenue);
        parts.add("cart=" + cart);
        return "SessionTally" + parts;
    }
}
