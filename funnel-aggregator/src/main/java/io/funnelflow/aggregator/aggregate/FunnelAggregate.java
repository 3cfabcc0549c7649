package io.funnelflow.aggregator.aggregate;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One funnel version's figures under one mode for the sessions that started in one bucket (one stream
 * partition's share): per step the sessions that reached it and the step events counted, and per step
 * after the first the times from the previous step as a retractable {@link LogHistogram}. All exact
 * sums of the sessions' contributions, except the times' quantiles (relative error
 * {@link LogHistogram#RELATIVE_ACCURACY}).
 */
public final class FunnelAggregate {

    private static final byte FORMAT = 1;

    public final long[] sessions;
    public final long[] events;
    /** {@code durations[k]}: milliseconds from step k to step k + 1. */
    public final LogHistogram[] durations;

    public FunnelAggregate(int steps) {
        sessions = new long[steps];
        events = new long[steps];
        durations = new LogHistogram[Math.max(0, steps - 1)];
        for (int i = 0; i < durations.length; i++) {
            durations[i] = new LogHistogram();
        }
    }

    public int steps() {
        return sessions.length;
    }

    public void apply(SessionFacts.FunnelFacts f, int sign) {
        for (int k = 0; k < f.depth() && k < sessions.length; k++) {
            sessions[k] += sign;
        }
        long[] stepEvents = f.stepEvents();
        for (int k = 0; k < stepEvents.length && k < events.length; k++) {
            events[k] += sign * stepEvents[k];
        }
        long[] d = f.durations();
        for (int k = 0; k < d.length && k < durations.length; k++) {
            durations[k].add(d[k], sign);
        }
    }

    public void merge(FunnelAggregate o) {
        for (int k = 0; k < sessions.length && k < o.sessions.length; k++) {
            sessions[k] += o.sessions[k];
            events[k] += o.events[k];
        }
        for (int k = 0; k < durations.length && k < o.durations.length; k++) {
            durations[k].merge(o.durations[k]);
        }
    }

    public byte[] encode() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(FORMAT);
            out.writeByte(sessions.length);
            for (int k = 0; k < sessions.length; k++) {
                Varints.writeSigned(out, sessions[k]);
                Varints.writeSigned(out, events[k]);
            }
            for (LogHistogram h : durations) {
                h.writeTo(out);
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static FunnelAggregate decode(byte[] value) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(value));
            byte format = in.readByte();
            if (format != FORMAT) {
                throw new IOException("unknown funnel aggregate format " + format);
            }
            FunnelAggregate a = new FunnelAggregate(in.readByte());
            for (int k = 0; k < a.sessions.length; k++) {
                a.sessions[k] = Varints.readSigned(in);
                a.events[k] = Varints.readSigned(in);
            }
            for (int k = 0; k < a.durations.length; k++) {
                a.durations[k] = LogHistogram.readFrom(in);
            }
            return a;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Just the durations sketches, as stored beside the counts. */
    public byte[] encodeDurations() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(32);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(durations.length);
            for (LogHistogram h : durations) {
                h.writeTo(out);
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static LogHistogram[] decodeDurations(byte[] value) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(value));
            LogHistogram[] out = new LogHistogram[in.readByte()];
            for (int k = 0; k < out.length; k++) {
                out[k] = LogHistogram.readFrom(in);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
