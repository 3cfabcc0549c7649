package io.funnelflow.aggregator.stream;

import org.apache.kafka.common.utils.Bytes;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Keys of the stored events: the session key, a 0 byte, the event time (8 bytes, order-preserving) and
 * the event id — so a key's events lie together in time order (ties by event id) and one range scan
 * reads them. A position is the part after the 0 byte; positions compare as unsigned bytes, which is
 * the order events are folded in everywhere.
 */
final class EventKeys {

    private EventKeys() {
    }

    static Bytes key(String sessionKey, long time, String eventId) {
        byte[] k = sessionKey.getBytes(StandardCharsets.UTF_8);
        byte[] p = position(time, eventId);
        byte[] out = new byte[k.length + 1 + p.length];
        System.arraycopy(k, 0, out, 0, k.length);
        System.arraycopy(p, 0, out, k.length + 1, p.length);
        return Bytes.wrap(out);
    }

    static byte[] position(long time, String eventId) {
        byte[] id = eventId.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + id.length).putLong(time ^ Long.MIN_VALUE).put(id).array();
    }

    /** The first key of {@code sessionKey}'s events. */
    static Bytes first(String sessionKey) {
        byte[] k = sessionKey.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(Arrays.copyOf(k, k.length + 1));
    }

    /** A key after every event of {@code sessionKey} and before any other key's. */
    static Bytes afterLast(String sessionKey) {
        byte[] k = sessionKey.getBytes(StandardCharsets.UTF_8);
        byte[] out = Arrays.copyOf(k, k.length + 1);
        out[k.length] = 1;
        return Bytes.wrap(out);
    }

    /** The key just after position {@code position} of {@code sessionKey}. */
    static Bytes after(String sessionKey, byte[] position) {
        byte[] k = sessionKey.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[k.length + 1 + position.length + 1];
        System.arraycopy(k, 0, out, 0, k.length);
        System.arraycopy(position, 0, out, k.length + 1, position.length);
        return Bytes.wrap(out);
    }

    static int compare(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, b);
    }
}
