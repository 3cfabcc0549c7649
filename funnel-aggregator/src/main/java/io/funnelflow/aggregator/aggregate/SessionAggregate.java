package io.funnelflow.aggregator.aggregate;

import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.TgtHllType;
import org.apache.datasketches.hll.Union;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import io.funnelflow.contract.session.SessionTally;

/**
 * The sessions that started in one bucket (one stream partition's share): how many, converted,
 * purchases, revenue, time on site, carts and abandoned carts, landings — exact, retractable — and the
 * distinct visitors as a HyperLogLog sketch (Apache DataSketches; mergeable across buckets and
 * partitions). A sketch cannot forget a visitor by itself: the stream rebuilds it from its exact register
 * of the bucket's visitors when one leaves (see {@code Partials}).
 */
public final class SessionAggregate {

    /** log2 of the HLL's registers: a relative standard error of about 1.6%. */
    public static final int LG_K = 12;
    private static final byte FORMAT = 1;

    public long sessions;
    public long converted;
    public long purchases;
    public BigDecimal revenue = BigDecimal.ZERO;
    public long durationSeconds;
    public long carts;
    public long abandoned;
    public long landed;
    private HllSketch visitors;

    public void apply(SessionFacts f, int sign) {
        sessions += sign;
        converted += f.converted() ? sign : 0;
        purchases += (long) sign * f.purchases();
        revenue = sign > 0 ? revenue.add(f.revenue()) : revenue.subtract(f.revenue());
        durationSeconds += sign * f.durationSeconds();
        carts += f.cart() ? sign : 0;
        abandoned += f.abandoned() ? sign : 0;
        landed += f.landed() ? sign : 0;
    }

    public void addVisitor(String visitor) {
        if (visitor == null) {
            return;
        }
        if (visitors == null) {
            visitors = new HllSketch(LG_K, TgtHllType.HLL_4);
        }
        visitors.update(visitor);
    }

    /** Replaces the visitors sketch (null: no visitor). */
    public void replaceVisitors(HllSketch sketch) {
        visitors = sketch;
    }

    /** An empty sketch of this aggregate's precision. */
    public static HllSketch emptySketch() {
        return new HllSketch(LG_K, TgtHllType.HLL_4);
    }

    /** The visitors sketch, or null when none was counted. */
    public HllSketch visitors() {
        return visitors;
    }

    public void merge(SessionAggregate o) {
        sessions += o.sessions;
        converted += o.converted;
        purchases += o.purchases;
        revenue = revenue.add(o.revenue);
        durationSeconds += o.durationSeconds;
        carts += o.carts;
        abandoned += o.abandoned;
        landed += o.landed;
        if (o.visitors != null) {
            Union u = new Union(LG_K);
            if (visitors != null) {
                u.update(visitors);
            }
            u.update(o.visitors);
            visitors = u.getResult(TgtHllType.HLL_4);
        }
    }

    public byte[] encode() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(FORMAT);
            Varints.writeSigned(out, sessions);
            Varints.writeSigned(out, converted);
            Varints.writeSigned(out, purchases);
            SessionTally.writeDecimal(out, revenue);
            Varints.writeSigned(out, durationSeconds);
            Varints.writeSigned(out, carts);
            Varints.writeSigned(out, abandoned);
            Varints.writeSigned(out, landed);
            byte[] hll = visitors == null ? new byte[0] : visitors.toCompactByteArray();
            Varints.writeUnsigned(out, hll.length);
            out.write(hll);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static SessionAggregate decode(byte[] value) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(value));
            byte format = in.readByte();
            if (format != FORMAT) {
                throw new IOException("unknown session aggregate format " + format);
            }
            SessionAggregate a = new SessionAggregate();
            a.sessions = Varints.readSigned(in);
            a.converted = Varints.readSigned(in);
            a.purchases = Varints.readSigned(in);
            a.revenue = SessionTally.readDecimal(in);
            a.durationSeconds = Varints.readSigned(in);
            a.carts = Varints.readSigned(in);
            a.abandoned = Varints.readSigned(in);
            a.landed = Varints.readSigned(in);
            int hll = (int) Varints.readUnsigned(in);
            if (hll > 0) {
                byte[] bytes = new byte[hll];
                in.readFully(bytes);
                a.visitors = HllSketch.heapify(bytes);
            }
            return a;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The visitors sketch's compact bytes, or null. */
    public byte[] visitorBytes() {
        return visitors == null ? null : visitors.toCompactByteArray();
    }
}
