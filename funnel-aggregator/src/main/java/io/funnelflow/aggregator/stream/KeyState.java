package io.funnelflow.aggregator.stream;

import io.funnelflow.aggregator.funnel.FunnelMode;
import io.funnelflow.aggregator.funnel.FunnelProgress;
import io.funnelflow.contract.funnel.SavedFunnel;
import io.funnelflow.contract.session.SessionTally;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * What the stream holds for one session key besides its events: the key's sessions (id, bounds,
 * events, when their ordered events are due to be published), the fold of the latest session (so an
 * event that extends it costs O(1)), where folding has got to, and with which funnels the figures were
 * counted. Its size depends on the number of sessions kept, never on their length.
 */
final class KeyState {

    static final byte CLIENT = 0;
    static final byte VISITOR = 1;
    private static final byte FORMAT = 1;

    /** A session of the key. */
    static final class Slot {
        String id;
        long start;
        long end;
        int events;
        /** Wall-clock time at which its ordered events are due to be published; 0 when none are due. */
        long timelineDue;

        Slot(String id, long start, long end, int events, long timelineDue) {
            this.id = id;
            this.start = start;
            this.end = end;
            this.events = events;
            this.timelineDue = timelineDue;
        }
    }

    /** Whether the key is a client's session id (sessions named key, key#2 …) or a visitor (named key#start). */
    byte kind;
    /** The registry generation the figures of the key's sessions were counted at; -1: count again. */
    long generation;
    /** The funnel ids the key's figures were counted with. */
    int[] funnelIds = new int[0];
    long touchedAt;
    int storedEvents;
    int droppedEvents;
    /** Sessions that left the state (over the per-key cap) before the first kept one: names go on after them. */
    int retiredSessions;
    /** Position of the latest folded event, or null before the first. */
    byte[] lastPosition;
    final List<Slot> sessions = new ArrayList<>();
    /** The fold of the latest session, or null when it must be rebuilt from the events. */
    SessionFold last;

    KeyState(byte kind) {
        this.kind = kind;
    }

    boolean truncated() {
        return droppedEvents > 0;
    }

    Slot lastSlot() {
        return sessions.isEmpty() ? null : sessions.get(sessions.size() - 1);
    }

    Slot slot(String id) {
        for (Slot s : sessions) {
            if (s.id.equals(id)) {
                return s;
            }
        }
        return null;
    }

    /** The name of the key's {@code index}-th kept session starting at {@code start}. */
    String sessionName(String key, int index, long start) {
        if (kind == VISITOR) {
            return key + "#" + Long.toString(start, 36);
        }
        int n = retiredSessions + index;
        return n == 0 ? key : key + "#" + (n + 1);
    }

    /** When the encoded state last changed, without decoding the rest. */
    static long touchedAt(byte[] encoded) {
        ByteBuffer b = ByteBuffer.wrap(encoded);
        int funnels = b.getShort(10);
        return b.getLong(12 + 4 * funnels);
    }

    byte[] encode() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(FORMAT);
            out.writeByte(kind);
            out.writeLong(generation);
            out.writeShort(funnelIds.length);
            for (int id : funnelIds) {
                out.writeInt(id);
            }
            out.writeLong(touchedAt);
            out.writeInt(storedEvents);
            out.writeInt(droppedEvents);
            out.writeInt(retiredSessions);
            if (lastPosition == null) {
                out.writeShort(-1);
            } else {
                out.writeShort(lastPosition.length);
                out.write(lastPosition);
            }
            out.writeShort(sessions.size());
            for (Slot s : sessions) {
                out.writeUTF(s.id);
                out.writeLong(s.start);
                out.writeLong(s.end);
                out.writeInt(s.events);
                out.writeLong(s.timelineDue);
            }
            out.writeBoolean(last != null);
            if (last != null) {
                last.tally.writeTo(out);
                out.writeShort(last.progress.length);
                for (FunnelProgress p : last.progress) {
                    ByteArrayOutputStream one = new ByteArrayOutputStream(64);
                    p.writeTo(new DataOutputStream(one));
                    out.writeShort(one.size());
                    one.writeTo(out);
                }
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads a state back. The latest session's fold is restored only when every funnel it was folded
     * with is still active with the same steps; otherwise it is left null and rebuilt from the events.
     */
    static KeyState decode(byte[] value, ActiveFunnels registry) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(value));
            byte format = in.readByte();
            if (format != FORMAT) {
                throw new IOException("unknown session key state format " + format);
            }
            KeyState s = new KeyState(in.readByte());
            s.generation = in.readLong();
            s.funnelIds = new int[in.readShort()];
            for (int i = 0; i < s.funnelIds.length; i++) {
                s.funnelIds[i] = in.readInt();
            }
            s.touchedAt = in.readLong();
            s.storedEvents = in.readInt();
            s.droppedEvents = in.readInt();
            s.retiredSessions = in.readInt();
            short positionLength = in.readShort();
            if (positionLength >= 0) {
                s.lastPosition = new byte[positionLength];
                in.readFully(s.lastPosition);
            }
            int sessions = in.readShort();
            for (int i = 0; i < sessions; i++) {
                s.sessions.add(new Slot(in.readUTF(), in.readLong(), in.readLong(), in.readInt(), in.readLong()));
            }
            if (in.readBoolean()) {
                SessionTally tally = SessionTally.readFrom(in);
                int count = in.readShort();
                byte[][] blobs = new byte[count][];
                for (int i = 0; i < count; i++) {
                    blobs[i] = new byte[in.readShort()];
                    in.readFully(blobs[i]);
                }
                s.last = restoreFold(s, tally, blobs, registry);
            }
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static SessionFold restoreFold(KeyState s, SessionTally tally, byte[][] blobs, ActiveFunnels registry)
            throws IOException {
        ActiveFunnels folded = registry.only(s.funnelIds);
        if (folded.funnels().size() != s.funnelIds.length
                || blobs.length != s.funnelIds.length * ActiveFunnels.MODES.length || s.sessions.isEmpty()) {
            return null;
        }
        FunnelProgress[] progress = new FunnelProgress[blobs.length];
        int i = 0;
        for (SavedFunnel f : folded.funnels()) {
            for (FunnelMode m : ActiveFunnels.MODES) {
                progress[i] = FunnelProgress.readFrom(new DataInputStream(new ByteArrayInputStream(blobs[i])), f.steps(), m);
                i++;
            }
        }
        return new SessionFold(s.lastSlot().id, tally, progress, folded);
    }
}
