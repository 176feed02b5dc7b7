package io.redjar.internal.memory;

/**
 * Unsigned LEB128 varints of up to 5 bytes in native memory: the length prefixes of keyspace
 * entries and of dict records.
 *
 * <p><b>Thread-safety:</b> stateless.
 */
public final class Varint {
    private Varint() {
    }

    /** @return bytes a varint of {@code v} takes (1-5) */
    public static int size(int v) {
        if ((v & ~0x7F) == 0) {
            return 1;
        }
        if ((v & ~0x3FFF) == 0) {
            return 2;
        }
        if ((v & ~0x1FFFFF) == 0) {
            return 3;
        }
        if ((v & ~0xFFFFFFF) == 0) {
            return 4;
        }
        return 5;
    }

    /** Writes {@code v} at {@code p}; @return the address after it */
    public static long put(long p, int v) {
        while ((v & ~0x7F) != 0) {
            NativeMemory.putByte(p++, (byte) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        NativeMemory.putByte(p++, (byte) v);
        return p;
    }

    /** @return the varint at {@code p} */
    public static int read(long p) {
        int b = NativeMemory.getByte(p);
        if (b >= 0) {
            return b;
        }
        int v = b & 0x7F;
        int shift = 7;
        while (true) {
            b = NativeMemory.getByte(++p);
            v |= (b & 0x7F) << shift;
            if (b >= 0) {
                return v;
            }
            shift += 7;
        }
    }
}
