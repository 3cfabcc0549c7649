package io.funnelflow.aggregator.aggregate;

import io.funnelflow.contract.session.SessionTally;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;

/** Events of one type in one bucket of event time (one stream partition's share): count, revenue, how many came late. */
public final class EventAggregate {

    private static final byte FORMAT = 1;

    public long events;
    public BigDecimal revenue = BigDecimal.ZERO;
    public long late;

    public void add(long more, BigDecimal moreRevenue, long moreLate) {
        events += more;
        revenue = revenue.add(moreRevenue);
        late += moreLate;
    }

    public byte[] encode() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(24);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(FORMAT);
            Varints.writeSigned(out, events);
            SessionTally.writeDecimal(out, revenue);
            Varints.writeSigned(out, late);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static EventAggregate decode(byte[] value) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(value));
            byte format = in.readByte();
            if (format != FORMAT) {
                throw new IOException("unknown event aggregate format " + format);
            }
            EventAggregate a = new EventAggregate();
            a.events = Varints.readSigned(in);
            a.revenue = SessionTally.readDecimal(in);
            a.late = Varints.readSigned(in);
            return a;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
