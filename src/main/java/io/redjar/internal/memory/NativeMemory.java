package io.redjar.internal.memory;

import org.agrona.UnsafeApi;

/**
 * Raw access to native memory and to {@code byte[]} contents through one addressing scheme
 * ({@code base} object plus offset; {@code base == null} means an absolute native address), so the
 * same code hashes and compares keys whether they live on the heap or off it.
 *
 * <p>Wraps Agrona's {@link UnsafeApi}; no bounds checks: callers own the invariants.
 *
 * <p><b>Thread-safety:</b> stateless; the memory it touches is guarded by its owner.
 */
public final class NativeMemory {
    /** Offset of element 0 in a {@code byte[]}. */
    public static final long BYTE_ARRAY_BASE = UnsafeApi.arrayBaseOffset(byte[].class);

    private NativeMemory() {
    }

    /** @return a fresh, uninitialised block of {@code bytes} native bytes. */
    public static long allocate(long bytes) {
        return UnsafeApi.allocateMemory(bytes);
    }

    /** Grows or shrinks a block from {@link #allocate}; may move it. */
    public static long reallocate(long address, long bytes) {
        return UnsafeApi.reallocateMemory(address, bytes);
    }

    /** Frees a block from {@link #allocate}. */
    public static void free(long address) {
        UnsafeApi.freeMemory(address);
    }

    public static byte getByte(long address) {
        return UnsafeApi.getByte(null, address);
    }

    public static void putByte(long address, byte value) {
        UnsafeApi.putByte(null, address, value);
    }

    public static long getLong(long address) {
        return UnsafeApi.getLong(null, address);
    }

    public static void putLong(long address, long value) {
        UnsafeApi.putLong(null, address, value);
    }

    public static int getInt(long address) {
        return UnsafeApi.getInt(null, address);
    }

    public static void putInt(long address, int value) {
        UnsafeApi.putInt(null, address, value);
    }

    /** Copies {@code len} bytes from {@code src[srcOff..]} to native {@code address}. */
    public static void copyFromArray(byte[] src, int srcOff, long address, int len) {
        UnsafeApi.copyMemory(src, BYTE_ARRAY_BASE + srcOff, null, address, len);
    }

    /** Copies {@code len} bytes from native {@code address} into {@code dst[dstOff..]}. */
    public static void copyToArray(long address, byte[] dst, int dstOff, int len) {
        UnsafeApi.copyMemory(null, address, dst, BYTE_ARRAY_BASE + dstOff, len);
    }

    /** Copies native to native; the ranges may overlap (memmove semantics). */
    public static void copy(long from, long to, long len) {
        UnsafeApi.copyMemory(from, to, len);
    }

    /** Fills {@code len} native bytes with {@code value}. */
    public static void fill(long address, long len, byte value) {
        UnsafeApi.setMemory(address, len, value);
    }

    /** @return a new array holding the {@code len} bytes at {@code address}. */
    public static byte[] toArray(long address, int len) {
        byte[] b = new byte[len];
        copyToArray(address, b, 0, len);
        return b;
    }

    /**
     * @return whether the {@code len} bytes at native {@code address} equal {@code b[off..off+len)}.
     */
    public static boolean equals(long address, byte[] b, int off, int len) {
        int i = 0;
        long arr = BYTE_ARRAY_BASE + off;
        for (; i + 8 <= len; i += 8) {
            if (UnsafeApi.getLong(null, address + i) != UnsafeApi.getLong(b, arr + i)) {
                return false;
            }
        }
        for (; i < len; i++) {
            if (UnsafeApi.getByte(null, address + i) != UnsafeApi.getByte(b, arr + i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * A 64-bit hash of {@code len} bytes at {@code base}+{@code offset} (a {@code byte[]} with
     * {@link #BYTE_ARRAY_BASE}-relative offset, or {@code null} and a native address). Eight bytes
     * a step, a multiply-xorshift mix per word and the murmur3 finaliser; the same bytes hash the
     * same on and off the heap.
     */
    public static long hash(Object base, long offset, int len) {
        long h = 0x9E3779B97F4A7C15L ^ (len * 0xC2B2AE3D27D4EB4FL);
        int i = 0;
        for (; i + 8 <= len; i += 8) {
            long w = UnsafeApi.getLong(base, offset + i);
            h ^= mixWord(w);
            h = Long.rotateLeft(h, 27) * 0x9E3779B97F4A7C15L + 0x52DCE729L;
        }
        if (i < len) {
            long w = 0;
            int shift = 0;
            for (; i < len; i++, shift += 8) {
                w |= (UnsafeApi.getByte(base, offset + i) & 0xFFL) << shift;
            }
            h ^= mixWord(w);
            h = Long.rotateLeft(h, 27) * 0x9E3779B97F4A7C15L + 0x52DCE729L;
        }
        return fmix64(h);
    }

    /** @return the hash of {@code key[off..off+len)}, equal to the hash of the same bytes off-heap. */
    public static long hash(byte[] key, int off, int len) {
        return hash(key, BYTE_ARRAY_BASE + off, len);
    }

    private static long mixWord(long w) {
        w *= 0x87C37B91114253D5L;
        w = Long.rotateLeft(w, 31);
        return w * 0x4CF5AD432745937FL;
    }

    private static long fmix64(long k) {
        k ^= k >>> 33;
        k *= 0xFF51AFD7ED558CCDL;
        k ^= k >>> 33;
        k *= 0xC4CEB9FE1A85EC53L;
        k ^= k >>> 33;
        return k;
    }
}
