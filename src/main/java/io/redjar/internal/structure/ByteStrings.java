package io.redjar.internal.structure;

import io.redjar.internal.memory.NativeMemory;
import org.agrona.UnsafeApi;

import java.nio.ByteOrder;

/**
 * Comparison of byte strings that live on the heap or off it, addressed like {@link NativeMemory}:
 * a {@code base} object plus an offset ({@code base == null} means an absolute native address, a
 * {@code byte[]} base takes {@link NativeMemory#BYTE_ARRAY_BASE}-relative offsets).
 *
 * <p>Design: eight bytes a step; on a little-endian machine a differing word is byte-reversed so
 * that an unsigned 64-bit comparison gives the same answer as {@code memcmp}. The order is Redis's
 * {@code sdscmp}: unsigned bytes, and on a common prefix the shorter string first.
 *
 * <p><b>Thread-safety:</b> stateless; the memory it reads is guarded by its owner.
 */
public final class ByteStrings {
    private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    private ByteStrings() {
    }

    /**
     * @return a negative number, zero or a positive number as {@code a} sorts before, equal to or
     *     after {@code b} (unsigned {@code memcmp}, then length)
     */
    public static int compare(Object aBase, long aOff, int aLen, Object bBase, long bOff, int bLen) {
        int n = Math.min(aLen, bLen);
        if (NativeMemory.CHECKED) {
            NativeMemory.check("compare", aBase, aOff, n);
            NativeMemory.check("compare", bBase, bOff, n);
        }
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            long x = UnsafeApi.getLong(aBase, aOff + i);
            long y = UnsafeApi.getLong(bBase, bOff + i);
            if (x != y) {
                if (LITTLE_ENDIAN) {
                    x = Long.reverseBytes(x);
                    y = Long.reverseBytes(y);
                }
                return Long.compareUnsigned(x, y);
            }
        }
        for (; i < n; i++) {
            int x = UnsafeApi.getByte(aBase, aOff + i) & 0xFF;
            int y = UnsafeApi.getByte(bBase, bOff + i) & 0xFF;
            if (x != y) {
                return x - y;
            }
        }
        return Integer.compare(aLen, bLen);
    }

    /** @return whether the two strings have the same length and bytes. */
    public static boolean equals(Object aBase, long aOff, int aLen, Object bBase, long bOff, int bLen) {
        if (aLen != bLen) {
            return false;
        }
        if (NativeMemory.CHECKED) {
            NativeMemory.check("equals", aBase, aOff, aLen);
            NativeMemory.check("equals", bBase, bOff, bLen);
        }
        int i = 0;
        for (; i + 8 <= aLen; i += 8) {
            if (UnsafeApi.getLong(aBase, aOff + i) != UnsafeApi.getLong(bBase, bOff + i)) {
                return false;
            }
        }
        for (; i < aLen; i++) {
            if (UnsafeApi.getByte(aBase, aOff + i) != UnsafeApi.getByte(bBase, bOff + i)) {
                return false;
            }
        }
        return true;
    }

    /** @return {@link #compare} of native {@code address[0..len)} against {@code b[off..off+len)}. */
    public static int compare(long address, int len, byte[] b, int off, int bLen) {
        return compare(null, address, len, b, NativeMemory.BYTE_ARRAY_BASE + off, bLen);
    }
}
