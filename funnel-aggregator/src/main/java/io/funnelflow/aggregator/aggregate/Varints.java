package io.funnelflow.aggregator.aggregate;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/** LEB128 variable-length integers (zig-zag for signed ones): small numbers in one byte. */
public final class Varints {

    private Varints() {
    }

    public static void writeUnsigned(DataOutput out, long value) throws IOException {
        while ((value & ~0x7FL) != 0) {
            out.writeByte((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.writeByte((int) value);
    }

    public static long readUnsigned(DataInput in) throws IOException {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = in.readByte();
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IOException("varint longer than 64 bits");
    }

    public static void writeSigned(DataOutput out, long value) throws IOException {
        writeUnsigned(out, (value << 1) ^ (value >> 63));
    }

    public static long readSigned(DataInput in) throws IOException {
        long raw = readUnsigned(in);
        return (raw >>> 1) ^ -(raw & 1);
    }
}
