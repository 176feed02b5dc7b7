package io.redjar.internal.types;

import io.redjar.internal.memory.NativeMemory;

/**
 * A dense HyperLogLog read and changed where it lives: the value bytes of a string entry in native
 * memory, in Redis's layout ({@link Hll}: 16-byte header, then 16384 six-bit registers packed LSB
 * first, {@link Hll#DENSE_SIZE} bytes in all).
 *
 * <p><b>Design.</b> Redis's {@code pfadd} on a dense HLL sets registers in place and flips the
 * header's cache bit; copying the 12 KB value into a Java array and back for every PFADD (what
 * {@link Hll} does, as it must for the sparse form, which changes length) cost more than the
 * hashing. A dense value never changes length, so PFADD, PFCOUNT's one-key cache and the
 * multi-key union work on the entry's bytes directly, under the key's shard lock: the point-in-time
 * snapshot barrier has already captured the shard when its lock was taken, and the entry's size,
 * hence the memory accounting, does not change. {@link #isDense} is the gate: anything else
 * (sparse, corrupted, not an HLL) takes {@link Hll}'s path, which reproduces Redis's checks.
 *
 * <p><b>Thread-safety:</b> stateless; callers hold the shard lock of the entry they pass.
 */
final class HllDense {
    private static final int BYTES = Hll.REGISTERS * 6 / 8;
    /** The header byte whose top bit marks the cached cardinality stale (the 8-byte LE value's last). */
    private static final int CACHE_FLAG_BYTE = 15;

    private HllDense() {
    }

    /** @return whether the {@code len} value bytes at {@code va} are a well-formed dense HLL */
    static boolean isDense(long va, int len) {
        return len == Hll.DENSE_SIZE && NativeMemory.getInt(va) == HYLL && NativeMemory.getByte(va + 4) == Hll.DENSE;
    }

    /** {@code "HYLL"} as the native int read of the first four bytes. */
    private static final int HYLL = java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.LITTLE_ENDIAN
        ? 'H' | 'Y' << 8 | 'L' << 16 | 'L' << 24 : 'H' << 24 | 'Y' << 16 | 'L' << 8 | 'L';

    /** @return whether the header of an HLL at {@code va} says its cached cardinality is current */
    static boolean cacheValid(long va) {
        return (NativeMemory.getByte(va + CACHE_FLAG_BYTE) & 0x80) == 0;
    }

    /** @return the cached cardinality of an HLL at {@code va} (valid or not) */
    static long cachedCard(long va) {
        long c = 0;
        for (int i = 7; i >= 0; i--) {
            c = (c << 8) | (NativeMemory.getByte(va + 8 + i) & 0xff);
        }
        return c & Long.MAX_VALUE;
    }

    /** Writes {@code card} as the cached cardinality, marked current. */
    static void setCachedCard(long va, long card) {
        for (int i = 0; i < 8; i++) {
            NativeMemory.putByte(va + 8 + i, (byte) (card >>> (8 * i)));
        }
    }

    /** Marks the cached cardinality stale. */
    static void invalidateCache(long va) {
        NativeMemory.putByte(va + CACHE_FLAG_BYTE, (byte) (NativeMemory.getByte(va + CACHE_FLAG_BYTE) | 0x80));
    }

    /** Redis's {@code hllDenseAdd}: @return 1 if the element's register grew, else 0 */
    static int add(long va, byte[] element) {
        int packed = Hll.patLenPacked(element);
        return set(va + Hll.HDR, packed >>> 8, packed & 0xff);
    }

    private static int set(long regs, int reg, int count) {
        int bit = reg * 6;
        long at = regs + (bit >> 3);
        int fb = bit & 7;
        int b0 = NativeMemory.getByte(at) & 0xff;
        boolean last = (bit >> 3) + 1 >= BYTES;
        int b1 = last ? 0 : NativeMemory.getByte(at + 1) & 0xff;
        int old = ((b0 >> fb) | (b1 << (8 - fb))) & 63;
        if (count <= old) {
            return 0;
        }
        NativeMemory.putByte(at, (byte) ((b0 & ~(63 << fb)) | (count << fb)));
        if (!last) {
            int fb8 = 8 - fb;
            NativeMemory.putByte(at + 1, (byte) ((b1 & ~(63 >> fb8)) | (count >> fb8)));
        }
        return 1;
    }

    /** {@code max[i] = max(max[i], register i)} for a dense HLL at {@code va} (Redis's {@code hllMerge}). */
    static void mergeInto(long va, byte[] max) {
        long p = va + Hll.HDR;
        for (int i = 0; i < Hll.REGISTERS; i += 4, p += 3) {
            int b0 = NativeMemory.getByte(p) & 0xff;
            int b1 = NativeMemory.getByte(p + 1) & 0xff;
            int b2 = NativeMemory.getByte(p + 2) & 0xff;
            Hll.maxInto(max, i, b0 & 63);
            Hll.maxInto(max, i + 1, ((b0 >> 6) | (b1 << 2)) & 63);
            Hll.maxInto(max, i + 2, ((b1 >> 4) | (b2 << 4)) & 63);
            Hll.maxInto(max, i + 3, b2 >> 2);
        }
    }

    /** @return the histogram of register values of a dense HLL at {@code va} (for {@link Hll#estimate}) */
    static int[] histogram(long va) {
        int[] h = new int[64];
        long p = va + Hll.HDR;
        for (int i = 0; i < Hll.REGISTERS; i += 4, p += 3) {
            int b0 = NativeMemory.getByte(p) & 0xff;
            int b1 = NativeMemory.getByte(p + 1) & 0xff;
            int b2 = NativeMemory.getByte(p + 2) & 0xff;
            h[b0 & 63]++;
            h[((b0 >> 6) | (b1 << 2)) & 63]++;
            h[((b1 >> 4) | (b2 << 4)) & 63]++;
            h[b2 >> 2]++;
        }
        return h;
    }
}
