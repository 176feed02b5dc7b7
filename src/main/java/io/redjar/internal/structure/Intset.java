package io.redjar.internal.structure;

import io.redjar.internal.memory.NativeMemory;
import io.redjar.internal.memory.SlabAllocator;
import java.util.random.RandomGenerator;

/**
 * Redis's intset ({@code src/intset.c}): a sorted array of distinct integers in one native block,
 * the compact encoding of small all-integer sets ({@code OBJECT ENCODING} "intset"). Byte for
 * byte Redis's format, so {@link #blobSize} equals Redis's {@code intsetBlobLen}.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |        encoding (u32 LE): 2, 4 or 8 = bytes per element       |  offset 0
 *  +---------------------------------------------------------------+
 *  |                 length (u32 LE): number of elements           |  offset 4
 *  +---------------------------------------------------------------+
 *  |  element 0 (encoding bytes, signed, little-endian)  | ...     |  offset 8
 *  +-----------------------------------------------------+         |
 *  |  ... element length-1; ascending, no duplicates               |
 *  +---------------------------------------------------------------+
 *
 *  block size = 8 + length * encoding
 * </pre>
 *
 * <p>Design: static methods over the block's address, like {@link Listpack}. The encoding is the
 * smallest of int16/int32/int64 that holds every element ever added: adding a wider value
 * upgrades the whole array ({@code intsetUpgradeAndAdd}: the new value is then either the new
 * minimum or the new maximum), and removing never downgrades, as in Redis. Lookups are a binary
 * search with Redis's fast path for values beyond either end. The block is allocated with exactly
 * {@link #blobSize} bytes from the caller's {@link SlabAllocator}; every write takes the allocator
 * and the current address and returns the (possibly moved) address, which replaces the old one.
 * Writes never allocate on the heap.
 *
 * <p>Limits: length is a u32 in the format; here it must also keep the block below 2 GiB. The
 * type layer converts to a hash table long before (Redis's {@code set-max-intset-entries}).
 *
 * <p><b>Thread-safety:</b> not thread-safe; an intset is used under its shard's lock.
 */
public final class Intset {
    /** Size of the header. */
    public static final int HEADER_SIZE = 8;
    /** Encoding: 16-bit elements. */
    public static final int ENC_INT16 = 2;
    /** Encoding: 32-bit elements. */
    public static final int ENC_INT32 = 4;
    /** Encoding: 64-bit elements. */
    public static final int ENC_INT64 = 8;

    private Intset() {
    }

    /** @return the address of a new, empty intset (int16 encoding, 8 bytes). */
    public static long create(SlabAllocator alloc) {
        long is = alloc.allocate(HEADER_SIZE);
        ListpackDescriptor.putU32(is, ENC_INT16);
        ListpackDescriptor.putU32(is + 4, 0);
        return is;
    }

    /** Frees an intset's block. */
    public static void free(SlabAllocator alloc, long is) {
        alloc.free(is, blobSize(is));
    }

    /** @return the bytes per element: {@link #ENC_INT16}, {@link #ENC_INT32} or {@link #ENC_INT64}. */
    public static int encoding(long is) {
        return ListpackDescriptor.getU32(is);
    }

    /** @return the number of elements. */
    public static int length(long is) {
        return ListpackDescriptor.getU32(is + 4);
    }

    /** @return the block's size, Redis's {@code intsetBlobLen}: 8 + length * encoding. */
    public static int blobSize(long is) {
        return HEADER_SIZE + length(is) * encoding(is);
    }

    /** @return the smallest encoding that holds {@code v} ({@code _intsetValueEncoding}). */
    public static int valueEncoding(long v) {
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            return ENC_INT64;
        }
        if (v < Short.MIN_VALUE || v > Short.MAX_VALUE) {
            return ENC_INT32;
        }
        return ENC_INT16;
    }

    /** @return the element at {@code i} (0-based, ascending order), unchecked. */
    public static long get(long is, int i) {
        return read(is, encoding(is), i);
    }

    /** @return the smallest element; the intset must not be empty. */
    public static long min(long is) {
        return get(is, 0);
    }

    /** @return the largest element; the intset must not be empty. */
    public static long max(long is) {
        return get(is, length(is) - 1);
    }

    /** @return whether {@code v} is an element ({@code intsetFind}). */
    public static boolean contains(long is, long v) {
        return valueEncoding(v) <= encoding(is) && search(is, v) >= 0;
    }

    /**
     * @return the index of {@code v}, or {@code -(insertion point) - 1} when absent
     *     ({@code intsetSearch}, in {@link java.util.Arrays#binarySearch} convention)
     */
    public static int search(long is, long v) {
        int enc = encoding(is);
        int len = length(is);
        if (len == 0) {
            return -1;
        }
        // Redis's fast path: beyond either end.
        if (v > read(is, enc, len - 1)) {
            return -len - 1;
        }
        if (v < read(is, enc, 0)) {
            return -1;
        }
        int lo = 0;
        int hi = len - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long cur = read(is, enc, mid);
            if (v > cur) {
                lo = mid + 1;
            } else if (v < cur) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -lo - 1;
    }

    /**
     * Adds {@code v} ({@code intsetAdd}), upgrading the encoding when needed. Nothing changes when
     * it is already there: compare {@link #length} before and after, or ask {@link #contains} first.
     *
     * @return the intset's address
     */
    public static long add(SlabAllocator alloc, long is, long v) {
        int enc = encoding(is);
        int venc = valueEncoding(v);
        int len = length(is);
        if (venc > enc) {
            return upgradeAndAdd(alloc, is, enc, venc, len, v);
        }
        int at = search(is, v);
        if (at >= 0) {
            return is;
        }
        at = -at - 1;
        is = resize(alloc, is, enc, len, len + 1);
        long base = is + HEADER_SIZE;
        if (at < len) {
            NativeMemory.copy(base + (long) at * enc, base + (long) (at + 1) * enc, (long) (len - at) * enc);
        }
        write(is, enc, at, v);
        ListpackDescriptor.putU32(is + 4, len + 1);
        return is;
    }

    /**
     * Removes {@code v} when present ({@code intsetRemove}); the encoding is kept.
     *
     * @return the intset's address
     */
    public static long remove(SlabAllocator alloc, long is, long v) {
        int enc = encoding(is);
        if (valueEncoding(v) > enc) {
            return is;
        }
        int at = search(is, v);
        if (at < 0) {
            return is;
        }
        int len = length(is);
        long base = is + HEADER_SIZE;
        if (at < len - 1) {
            NativeMemory.copy(base + (long) (at + 1) * enc, base + (long) at * enc, (long) (len - at - 1) * enc);
        }
        is = resize(alloc, is, enc, len, len - 1);
        ListpackDescriptor.putU32(is + 4, len - 1);
        return is;
    }

    /**
     * @param rnd the source of randomness
     * @return a uniformly chosen element ({@code intsetRandom}); the intset must not be empty
     */
    public static long random(long is, RandomGenerator rnd) {
        int len = length(is);
        if (len == 0) {
            throw new IllegalStateException("empty intset");
        }
        return get(is, rnd.nextInt(len));
    }

    /**
     * Checks the block like {@code intsetValidateIntegrity(deep)}: a known encoding, the size, and
     * strictly ascending elements. For tests and debugging.
     *
     * @param allocatedSize the size the block was allocated with, or -1 not to check it
     * @throws IllegalStateException describing the first problem found
     */
    public static void validate(long is, long allocatedSize) {
        int enc = encoding(is);
        if (enc != ENC_INT16 && enc != ENC_INT32 && enc != ENC_INT64) {
            throw new IllegalStateException("bad encoding " + enc);
        }
        int len = length(is);
        if (len < 0) {
            throw new IllegalStateException("bad length " + len);
        }
        if (allocatedSize >= 0 && blobSize(is) != allocatedSize) {
            throw new IllegalStateException("blob size " + blobSize(is) + " != allocated " + allocatedSize);
        }
        for (int i = 1; i < len; i++) {
            if (read(is, enc, i - 1) >= read(is, enc, i)) {
                throw new IllegalStateException("not strictly ascending at " + i);
            }
        }
    }

    // ---------------------------------------------------------------- internals

    private static long upgradeAndAdd(SlabAllocator alloc, long is, int enc, int venc, int len, long v) {
        boolean prepend = v < 0; // wider than every element: either below all or above all
        long oldSize = HEADER_SIZE + (long) len * enc;
        long newSize = HEADER_SIZE + (long) (len + 1) * venc;
        checkSize(newSize);
        is = alloc.reallocate(is, oldSize, newSize);
        ListpackDescriptor.putU32(is, venc);
        // Back to front, so no element is overwritten before it is read.
        int shift = prepend ? 1 : 0;
        for (int i = len - 1; i >= 0; i--) {
            write(is, venc, i + shift, read(is, enc, i));
        }
        write(is, venc, prepend ? 0 : len, v);
        ListpackDescriptor.putU32(is + 4, len + 1);
        return is;
    }

    private static long resize(SlabAllocator alloc, long is, int enc, int oldLen, int newLen) {
        long newSize = HEADER_SIZE + (long) newLen * enc;
        checkSize(newSize);
        return alloc.reallocate(is, HEADER_SIZE + (long) oldLen * enc, newSize);
    }

    private static void checkSize(long size) {
        if (size > Integer.MAX_VALUE) {
            throw new IllegalStateException("intset would exceed 2 GiB");
        }
    }

    private static long read(long is, int enc, int i) {
        long p = is + HEADER_SIZE + (long) i * enc;
        switch (enc) {
            case ENC_INT16:
                return (short) ((NativeMemory.getByte(p) & 0xFF) | (NativeMemory.getByte(p + 1) & 0xFF) << 8);
            case ENC_INT32:
                return ListpackDescriptor.getU32(p);
            default:
                return (ListpackDescriptor.getU32(p) & 0xFFFF_FFFFL) | (long) ListpackDescriptor.getU32(p + 4) << 32;
        }
    }

    private static void write(long is, int enc, int i, long v) {
        long p = is + HEADER_SIZE + (long) i * enc;
        switch (enc) {
            case ENC_INT16:
                NativeMemory.putByte(p, (byte) v);
                NativeMemory.putByte(p + 1, (byte) (v >>> 8));
                break;
            case ENC_INT32:
                ListpackDescriptor.putU32(p, (int) v);
                break;
            default:
                ListpackDescriptor.putU32(p, (int) v);
                ListpackDescriptor.putU32(p + 4, (int) (v >>> 32));
                break;
        }
    }
}
