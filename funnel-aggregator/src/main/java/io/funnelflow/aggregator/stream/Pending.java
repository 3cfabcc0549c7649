package io.funnelflow.aggregator.stream;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one session key received since the last flush: the stored events not yet folded into its
 * sessions (by position), how many were over the key's cap, and every new event's count per event type
 * and hour of event time (over the cap or not). Kept in a changelogged store, so that a commit between
 * an event and the next flush loses nothing.
 */
final class Pending {

    /** New events of one type in one hour of event time. */
    static final class Count {
        long events;
        BigDecimal revenue = BigDecimal.ZERO;
        long late;
    }

    final byte kind;
    int dropped;
    final List<byte[]> positions = new ArrayList<>(4);
    /** Keyed by event type and hour start (epoch seconds). */
    final Map<Map.Entry<String, Long>, Count> counts = new LinkedHashMap<>();

    void count(String type, long hourStart, BigDecimal revenue, boolean late) {
        Count c = counts.computeIfAbsent(Map.entry(type, hourStart), k -> new Count());
        c.events++;
        if (revenue != null) {
            c.revenue = c.revenue.add(revenue);
        }
        if (late) {
            c.late++;
        }
    }

    Pending(byte kind) {
        this.kind = kind;
    }

    byte[] encode() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(32 + positions.size() * 24);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(kind);
            out.writeInt(dropped);
            out.writeInt(positions.size());
            for (byte[] p : positions) {
                out.writeShort(p.length);
                out.write(p);
            }
            out.writeInt(counts.size());
            for (Map.Entry<Map.Entry<String, Long>, Count> e : counts.entrySet()) {
                out.writeUTF(e.getKey().getKey());
                out.writeLong(e.getKey().getValue());
                out.writeLong(e.getValue().events);
                io.funnelflow.contract.session.SessionTally.writeDecimal(out, e.getValue().revenue);
                out.writeLong(e.getValue().late);
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Pending decode(byte[] value) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(value));
            Pending p = new Pending(in.readByte());
            p.dropped = in.readInt();
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                byte[] position = new byte[in.readShort()];
                in.readFully(position);
                p.positions.add(position);
            }
            int c = in.readInt();
            for (int i = 0; i < c; i++) {
                Count count = new Count();
                Map.Entry<String, Long> key = Map.entry(in.readUTF(), in.readLong());
                count.events = in.readLong();
                count.revenue = io.funnelflow.contract.session.SessionTally.readDecimal(in);
                count.late = in.readLong();
                p.counts.put(key, count);
            }
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
