package io.redjar.internal.memory;

import org.agrona.UnsafeApi;

/**
 * Raw access to native memory and to {@code byte[]} contents through one addressing scheme
 * ({@code base} object plus offset; {@code base == null} means an absolute native address), so the
 * same code hashes and compares keys whether they live on the heap or off it.
 *
 * <p>Wraps Agrona's {@link UnsafeApi}. By default there are no bounds checks: callers own the
 * invariants. With {@code -Dredjar.memory.checked=true} ({@link #CHECKED}) every native access,
 * copy (both ends), fill, comparison and hash is first checked by {@link MemoryGuard} against the
 * live block it falls in, and array ranges against the array; a violation throws
 * {@link NativeMemoryViolation}. The flag is a {@code static final} read once, so with the mode off
 * the checks are folded away by the JIT and cost nothing. The {@code raw*} methods are the
 * allocator's own unchecked access to memory that is not (or no longer) a live block.
 *
 * <p><b>Thread-safety:</b> stateless; the memory it touches is guarded by its owner.
 */
public final class NativeMemory {
    /** Offset of element 0 in a {@code byte[]}. */
    public static final long BYTE_ARRAY_BASE = UnsafeApi.arrayBaseOffset(byte[].class);

    /**
     * Whether the bounds-checked mode is on: system property {@code redjar.memory.checked}, read
     * once when this class is initialised (default {@code false}).
     */
    public static final boolean CHECKED = Boolean.getBoolean("redjar.memory.checked");

    private NativeMemory() {
    }

    /**
     * Checks, in checked mode, that {@code len} bytes at {@code base}+{@code offset} may be read or
     * written: a native range must lie in one live block, a {@code byte[]} range in the array. For
     * code that reads memory through {@link UnsafeApi} with the same addressing.
     *
     * @throws NativeMemoryViolation if it may not
     */
    public static void check(String op, Object base, long offset, long len) {
        if (!CHECKED) {
            return;
        }
        if (base == null) {
            MemoryGuard.check(op, offset, len);
        } else if (base instanceof byte[]) {
            checkArray(op, (byte[]) base, offset - BYTE_ARRAY_BASE, len);
        }
    }

    private static void checkArray(String op, byte[] array, long off, long len) {
        if (off < 0 || len < 0 || off + len > array.length) {
            throw MemoryGuard.violation(op + ": array range [" + off + ", " + (off + len) + ") outside byte["
                + array.length + "]");
        }
    }

    /**
     * @return a fresh, uninitialised block of {@code bytes} native bytes from the system (in checked
     *     mode registered as a live block of that size)
     */
    public static long allocate(long bytes) {
        long address = UnsafeApi.allocateMemory(bytes);
        if (CHECKED) {
            MemoryGuard.addStandalone(address, bytes, true);
        }
        return address;
    }

    /** Grows or shrinks a block from {@link #allocate}; may move it. */
    public static long reallocate(long address, long bytes) {
        if (CHECKED) {
            checkRawFree("reallocate", address);
            MemoryGuard.remove(address);
        }
        long moved = UnsafeApi.reallocateMemory(address, bytes);
        if (CHECKED) {
            MemoryGuard.addStandalone(moved, bytes, true);
        }
        return moved;
    }

    /** Frees a block from {@link #allocate}. */
    public static void free(long address) {
        if (CHECKED) {
            checkRawFree("free", address);
            MemoryGuard.remove(address);
        }
        UnsafeApi.freeMemory(address);
    }

    private static void checkRawFree(String op, long address) {
        if (MemoryGuard.rawBlock(address) == null) {
            throw MemoryGuard.violation(op + " of " + MemoryGuard.hex(address)
                + ": not a live block from NativeMemory.allocate (double free, or never allocated); "
                + MemoryGuard.describe(address));
        }
    }

    // ---- the allocator's own, unchecked access ---------------------------------------------

    static long rawAllocate(long bytes) {
        return UnsafeApi.allocateMemory(bytes);
    }

    static long rawReallocate(long address, long bytes) {
        return UnsafeApi.reallocateMemory(address, bytes);
    }

    static void rawFree(long address) {
        UnsafeApi.freeMemory(address);
    }

    static int rawGetInt(long address) {
        return UnsafeApi.getInt(null, address);
    }

    static void rawPutInt(long address, int value) {
        UnsafeApi.putInt(null, address, value);
    }

    static void rawFill(long address, long len, byte value) {
        UnsafeApi.setMemory(address, len, value);
    }

    // ---- checked access ----------------------------------------------------------------------

    public static byte getByte(long address) {
        if (CHECKED) {
            MemoryGuard.check("getByte", address, 1);
        }
        return UnsafeApi.getByte(null, address);
    }

    public static void putByte(long address, byte value) {
        if (CHECKED) {
            MemoryGuard.check("putByte", address, 1);
        }
        UnsafeApi.putByte(null, address, value);
    }

    public static long getLong(long address) {
        if (CHECKED) {
            MemoryGuard.check("getLong", address, 8);
        }
        return UnsafeApi.getLong(null, address);
    }

    public static void putLong(long address, long value) {
        if (CHECKED) {
            MemoryGuard.check("putLong", address, 8);
        }
        UnsafeApi.putLong(null, address, value);
    }

    public static int getInt(long address) {
        if (CHECKED) {
            MemoryGuard.check("getInt", address, 4);
        }
        return UnsafeApi.getInt(null, address);
    }

    public static void putInt(long address, int value) {
        if (CHECKED) {
            MemoryGuard.check("putInt", address, 4);
        }
        UnsafeApi.putInt(null, address, value);
    }

    /**
     * Copies {@code len} bytes from {@code base}+{@code offset} (a {@code byte[]} or, with
     * {@code null}, native memory) to native {@code address}; the ranges may overlap.
     */
    public static void copyFrom(Object base, long offset, long address, long len) {
        if (CHECKED) {
            check("copyFrom source", base, offset, len);
            MemoryGuard.check("copyFrom destination", address, len);
        }
        UnsafeApi.copyMemory(base, offset, null, address, len);
    }

    /** Copies {@code len} bytes from {@code src[srcOff..]} to native {@code address}. */
    public static void copyFromArray(byte[] src, int srcOff, long address, int len) {
        if (CHECKED) {
            checkArray("copyFromArray source", src, srcOff, len);
            MemoryGuard.check("copyFromArray destination", address, len);
        }
        UnsafeApi.copyMemory(src, BYTE_ARRAY_BASE + srcOff, null, address, len);
    }

    /** Copies {@code len} bytes from native {@code address} into {@code dst[dstOff..]}. */
    public static void copyToArray(long address, byte[] dst, int dstOff, int len) {
        if (CHECKED) {
            MemoryGuard.check("copyToArray source", address, len);
            checkArray("copyToArray destination", dst, dstOff, len);
        }
        UnsafeApi.copyMemory(null, address, dst, BYTE_ARRAY_BASE + dstOff, len);
    }

    /** Copies native to native; the ranges may overlap (memmove semantics). */
    public static void copy(long from, long to, long len) {
        if (CHECKED) {
            MemoryGuard.check("copy source", from, len);
            MemoryGuard.check("copy destination", to, len);
        }
        UnsafeApi.copyMemory(from, to, len);
    }

    /** Fills {@code len} native bytes with {@code value}. */
    public static void fill(long address, long len, byte value) {
        if (CHECKED) {
            MemoryGuard.check("fill", address, len);
        }
        UnsafeApi.setMemory(address, len, value);
    }

    /** @return a new array holding the {@code len} bytes at {@code address}. */
    public static byte[] toArray(long address, int len) {
        if (CHECKED) {
            MemoryGuard.check("toArray", address, len);
        }
        byte[] b = new byte[len];
        UnsafeApi.copyMemory(null, address, b, BYTE_ARRAY_BASE, len);
        return b;
    }

    /**
     * @return whether the {@code len} bytes at native {@code address} equal {@code b[off..off+len)}.
     */
    public static boolean equals(long address, byte[] b, int off, int len) {
        if (CHECKED) {
            MemoryGuard.check("equals", address, len);
            checkArray("equals", b, off, len);
        }
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
        if (CHECKED) {
            check("hash", base, offset, len);
        }
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
