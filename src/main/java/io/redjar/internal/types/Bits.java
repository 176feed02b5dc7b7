package io.redjar.internal.types;

import io.redjar.internal.memory.NativeMemory;

/**
 * Bit arithmetic on off-heap string bytes, as Redis 7.0's {@code bitops.c}: bit 0 is the most
 * significant bit of byte 0; a bitfield of {@code bits} bits is read and written MSB first;
 * BITFIELD's overflow rules (WRAP, SAT, FAIL) for signed and unsigned fields. No keyspace access:
 * callers hold the key's lock and pass a value's address and length.
 *
 * <p><b>Thread-safety:</b> stateless; callers synchronise access to the memory they pass.
 */
public final class Bits {
    /** BITFIELD OVERFLOW WRAP (the default). */
    public static final int WRAP = 0;
    /** BITFIELD OVERFLOW SAT. */
    public static final int SAT = 1;
    /** BITFIELD OVERFLOW FAIL. */
    public static final int FAIL = 2;

    private Bits() {
    }

    /** @return the bit at {@code offset} of {@code len} bytes at {@code addr}; 0 beyond the end */
    public static int bit(long addr, long len, long offset) {
        long b = offset >>> 3;
        if (b >= len) {
            return 0;
        }
        return (NativeMemory.getByte(addr + b) >> (7 - (int) (offset & 7))) & 1;
    }

    /** Writes one bit; the byte must exist. */
    public static void putBit(long addr, long offset, int on) {
        long a = addr + (offset >>> 3);
        int shift = 7 - (int) (offset & 7);
        int v = NativeMemory.getByte(a) & ~(1 << shift);
        NativeMemory.putByte(a, (byte) (v | ((on & 1) << shift)));
    }

    /** @return the unsigned field of {@code bits} bits at {@code offset}; zero-padded beyond {@code len} */
    public static long getUnsigned(long addr, long len, long offset, int bits) {
        long v = 0;
        for (int j = 0; j < bits; j++) {
            v = (v << 1) | bit(addr, len, offset + j);
        }
        return v;
    }

    /** @return the signed (two's complement) field of {@code bits} bits at {@code offset} */
    public static long getSigned(long addr, long len, long offset, int bits) {
        long v = getUnsigned(addr, len, offset, bits);
        if (bits < 64 && ((v >>> (bits - 1)) & 1) != 0) {
            v |= -1L << bits;
        }
        return v;
    }

    /** Writes the low {@code bits} bits of {@code value} at {@code offset}; the bytes must exist. */
    public static void setField(long addr, long offset, int bits, long value) {
        for (int j = 0; j < bits; j++) {
            putBit(addr, offset + j, (int) ((value >>> (bits - 1 - j)) & 1));
        }
    }

    /**
     * Redis's {@code checkUnsignedBitfieldOverflow}: whether {@code value + incr} leaves the
     * {@code bits}-bit unsigned range ({@code value} compared unsigned).
     *
     * @param limit receives the wrapped or saturated value when there is an overflow
     * @return true on overflow
     */
    public static boolean unsignedOverflow(long value, long incr, int bits, int owtype, long[] limit) {
        long max = bits == 64 ? -1L : (1L << bits) - 1;
        long maxincr = max - value;
        long minincr = -value;
        if (Long.compareUnsigned(value, max) > 0 || (incr > 0 && incr > maxincr)) {
            limit[0] = owtype == WRAP ? (value + incr) & ~(-1L << bits) : max;
            return true;
        } else if (incr < 0 && incr < minincr) {
            limit[0] = owtype == WRAP ? (value + incr) & ~(-1L << bits) : 0;
            return true;
        }
        return false;
    }

    /** Redis's {@code checkSignedBitfieldOverflow}; see {@link #unsignedOverflow}. */
    public static boolean signedOverflow(long value, long incr, int bits, int owtype, long[] limit) {
        long max = bits == 64 ? Long.MAX_VALUE : (1L << (bits - 1)) - 1;
        long min = -max - 1;
        long maxincr = max - value;
        long minincr = min - value;
        if (value > max || (bits != 64 && incr > maxincr) || (value >= 0 && incr > 0 && incr > maxincr)) {
            limit[0] = owtype == WRAP ? wrapSigned(value + incr, bits) : max;
            return true;
        } else if (value < min || (bits != 64 && incr < minincr) || (value < 0 && incr < 0 && incr < minincr)) {
            limit[0] = owtype == WRAP ? wrapSigned(value + incr, bits) : min;
            return true;
        }
        return false;
    }

    private static long wrapSigned(long c, int bits) {
        if (bits < 64) {
            long mask = -1L << bits;
            c = ((c >>> (bits - 1)) & 1) != 0 ? c | mask : c & ~mask;
        }
        return c;
    }

    /** @return the number of set bits in {@code n} bytes at {@code addr} */
    public static long popcount(long addr, long n) {
        long count = 0;
        long i = 0;
        for (; i + 8 <= n; i += 8) {
            count += Long.bitCount(NativeMemory.getLong(addr + i));
        }
        for (; i < n; i++) {
            count += Integer.bitCount(NativeMemory.getByte(addr + i) & 0xff);
        }
        return count;
    }

    /** @return the number of set bits in the inclusive bit range {@code [from, to]} (within the value) */
    public static long countBits(long addr, long from, long to) {
        if (from > to) {
            return 0;
        }
        long fb = from >>> 3;
        long tb = to >>> 3;
        long count = popcount(addr + fb, tb - fb + 1);
        int head = (int) (from & 7);
        if (head != 0) {
            count -= Integer.bitCount((NativeMemory.getByte(addr + fb) & 0xff) >>> (8 - head));
        }
        int tail = 7 - (int) (to & 7);
        if (tail != 0) {
            count -= Integer.bitCount(NativeMemory.getByte(addr + tb) & ((1 << tail) - 1));
        }
        return count;
    }

    /** @return the first bit equal to {@code bit} in the inclusive range {@code [from, to]}, or -1 */
    public static long find(long addr, long from, long to, int bit) {
        long o = from;
        while (o <= to) {
            if ((o & 7) == 0 && o + 7 <= to) {
                int b = NativeMemory.getByte(addr + (o >>> 3)) & 0xff;
                if (b == (bit == 1 ? 0 : 0xff)) {
                    o += 8;
                    continue;
                }
            }
            if (bit(addr, Long.MAX_VALUE, o) == bit) {
                return o;
            }
            o++;
        }
        return -1;
    }
}
