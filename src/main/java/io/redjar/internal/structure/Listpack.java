package io.redjar.internal.structure;

import static io.redjar.internal.structure.ListpackDescriptor.EOF;
import static io.redjar.internal.structure.ListpackDescriptor.HEADER_SIZE;
import static io.redjar.internal.structure.ListpackDescriptor.NUM_ELEMENTS_UNKNOWN;

import io.redjar.internal.memory.NativeMemory;
import io.redjar.internal.memory.SlabAllocator;
import io.redjar.internal.util.Numbers;

/**
 * Operations on a listpack: Redis 7.0's compact encoding of small lists, hashes and sorted sets,
 * held in one native block whose layout is described by {@link ListpackDescriptor}.
 *
 * <p>Design: static methods over the block's address, no Java object per listpack or per entry.
 * An entry is named by its <em>position</em>: its byte offset from the start of the block (an
 * {@code int}, -1 for "none"). Offsets, unlike addresses, survive the block moving, so a caller
 * can keep iterating after a write. The block is always exactly {@link #bytes} long and is
 * allocated with that size from the caller's {@link SlabAllocator}; every write takes the
 * allocator and the current address and returns the (possibly moved) address, which replaces the
 * old one (the old one must not be used again) — the contract of Redis's {@code lpInsert}. Writes
 * follow {@code lpInsert}: grow before moving the tail, shrink after, so a listpack's bytes are
 * exactly those Redis would hold for the same elements.
 *
 * <p>Positions after a write: an element inserted before {@code pos} (or replacing it) is at
 * {@code pos}; one inserted after {@code pos} is at {@code pos + entrySize(pos)} measured before the
 * insert; after deleting at {@code pos} the next element, if any, is at {@code pos} (use
 * {@link #isEnd}). {@link #append} puts the new element at the old {@code bytes - 1}.
 *
 * <p>Limits: a write that would make the block larger than
 * {@link ListpackDescriptor#MAX_SAFETY_SIZE} (1 GiB, Redis's {@code LISTPACK_MAX_SAFETY_SIZE})
 * throws {@link IllegalStateException}; callers ask {@link #safeToAdd} first, as Redis's type code
 * does with {@code lpSafeToAdd}, and convert to the big encoding instead. Element counts of
 * 65535 and more are kept as "unknown" in the header and counted by a scan ({@link #length}).
 *
 * <p>No method allocates on the heap except those that return a new array ({@link #get}).
 *
 * <p><b>Thread-safety:</b> not thread-safe. A listpack belongs to one shard and is read and written
 * under its lock; note that {@link #length} may write the header (like {@code lpLength}).
 */
public final class Listpack {
    private Listpack() {
    }

    // ---------------------------------------------------------------- lifecycle and header

    /** @return the address of a new, empty listpack (7 bytes: header and terminator). */
    public static long create(SlabAllocator alloc) {
        long lp = alloc.allocate(ListpackDescriptor.EMPTY_SIZE);
        ListpackDescriptor.setTotalBytes(lp, ListpackDescriptor.EMPTY_SIZE);
        ListpackDescriptor.setNumElementsField(lp, 0);
        NativeMemory.putByte(lp + HEADER_SIZE, (byte) EOF);
        return lp;
    }

    /** Frees a listpack's block. */
    public static void free(SlabAllocator alloc, long lp) {
        alloc.free(lp, ListpackDescriptor.totalBytes(lp));
    }

    /** @return the block's size in bytes, Redis's {@code lpBytes}. */
    public static int bytes(long lp) {
        return ListpackDescriptor.totalBytes(lp);
    }

    /**
     * @return the number of elements ({@code lpLength}); with 65535 or more the header says
     *     "unknown" and the elements are counted, and the header is refreshed when the count has
     *     fallen below 65535 again
     */
    public static int length(long lp) {
        int n = ListpackDescriptor.numElementsField(lp);
        if (n != NUM_ELEMENTS_UNKNOWN) {
            return n;
        }
        int count = 0;
        for (int p = first(lp); p >= 0; p = next(lp, p)) {
            count++;
        }
        if (count < NUM_ELEMENTS_UNKNOWN) {
            ListpackDescriptor.setNumElementsField(lp, count);
        }
        return count;
    }

    /**
     * Redis's {@code lpSafeToAdd}.
     *
     * @param add the bytes about to be added (an upper bound is fine)
     * @return whether the listpack may grow by {@code add} bytes without passing 1 GiB
     */
    public static boolean safeToAdd(long lp, long add) {
        long len = lp == 0 ? 0 : bytes(lp);
        return len + add <= ListpackDescriptor.MAX_SAFETY_SIZE;
    }

    // ---------------------------------------------------------------- navigation

    /** @return the position of the first element, or -1 when empty. */
    public static int first(long lp) {
        return (NativeMemory.getByte(lp + HEADER_SIZE) & 0xFF) == EOF ? -1 : HEADER_SIZE;
    }

    /** @return the position of the last element, or -1 when empty. */
    public static int last(long lp) {
        return prev(lp, bytes(lp) - 1);
    }

    /** @return the position after {@code pos}, or -1 when {@code pos} is the last element. */
    public static int next(long lp, int pos) {
        int n = pos + ListpackDescriptor.entrySize(lp + pos);
        return (NativeMemory.getByte(lp + n) & 0xFF) == EOF ? -1 : n;
    }

    /**
     * @param pos an element's position, or {@code bytes(lp) - 1} (the terminator)
     * @return the position before {@code pos}, or -1 when {@code pos} is the first
     */
    public static int prev(long lp, int pos) {
        if (pos == HEADER_SIZE) {
            return -1;
        }
        long l = ListpackDescriptor.decodeBacklen(lp + pos - 1);
        return (int) (pos - l - ListpackDescriptor.backlenSize(l));
    }

    /** @return whether {@code pos} is the terminator (no element there). */
    public static boolean isEnd(long lp, int pos) {
        return (NativeMemory.getByte(lp + pos) & 0xFF) == EOF;
    }

    /** @return the bytes the element at {@code pos} takes, backlen included. */
    public static int entrySize(long lp, int pos) {
        return ListpackDescriptor.entrySize(lp + pos);
    }

    /**
     * Redis's {@code lpSeek}: scans from the nearer end when the length is known.
     *
     * @param index zero-based from the head, or negative from the tail (-1 is the last)
     * @return the element's position, or -1 when out of range
     */
    public static int seek(long lp, long index) {
        int numele = ListpackDescriptor.numElementsField(lp);
        boolean forward = true;
        if (numele != NUM_ELEMENTS_UNKNOWN) {
            if (index < 0) {
                index += numele;
            }
            if (index < 0 || index >= numele) {
                return -1;
            }
            if (index > numele / 2) {
                forward = false;
                index -= numele;
            }
        } else if (index < 0) {
            forward = false;
        }
        if (forward) {
            int p = first(lp);
            while (index > 0 && p >= 0) {
                p = next(lp, p);
                index--;
            }
            return p;
        }
        int p = last(lp);
        while (index < -1 && p >= 0) {
            p = prev(lp, p);
            index++;
        }
        return p;
    }

    // ---------------------------------------------------------------- reading

    /** @return whether the element at {@code pos} is stored as an integer. */
    public static boolean isInteger(long lp, int pos) {
        return ListpackDescriptor.isInteger(lp + pos);
    }

    /** @return the value of the integer-stored element at {@code pos} (see {@link #isInteger}). */
    public static long getLong(long lp, int pos) {
        return ListpackDescriptor.integerValue(lp + pos);
    }

    /** @return the length of the element's string form (the decimal text for integers). */
    public static int valueLength(long lp, int pos) {
        long p = lp + pos;
        return ListpackDescriptor.isInteger(p) ? Numbers.stringLength(ListpackDescriptor.integerValue(p))
            : ListpackDescriptor.stringLength(p);
    }

    /** @return the address of a string-stored element's bytes (zero-copy; valid until a write). */
    public static long stringAddress(long lp, int pos) {
        return ListpackDescriptor.stringAddress(lp + pos);
    }

    /** @return the length of a string-stored element. */
    public static int stringLength(long lp, int pos) {
        return ListpackDescriptor.stringLength(lp + pos);
    }

    /** @return a new array with the element's string form (decimal text for integers). */
    public static byte[] get(long lp, int pos) {
        long p = lp + pos;
        if (ListpackDescriptor.isInteger(p)) {
            return Numbers.formatLong(ListpackDescriptor.integerValue(p));
        }
        return NativeMemory.toArray(ListpackDescriptor.stringAddress(p), ListpackDescriptor.stringLength(p));
    }

    /**
     * Copies the element's string form into {@code dst} without allocating.
     *
     * @param dst needs {@link #valueLength} bytes from {@code dstOff}
     * @return the bytes written
     */
    public static int copyTo(long lp, int pos, byte[] dst, int dstOff) {
        long p = lp + pos;
        if (ListpackDescriptor.isInteger(p)) {
            return Numbers.formatLong(ListpackDescriptor.integerValue(p), dst, dstOff);
        }
        int len = ListpackDescriptor.stringLength(p);
        NativeMemory.copyToArray(ListpackDescriptor.stringAddress(p), dst, dstOff, len);
        return len;
    }

    /** @return whether the element at {@code pos} has the string form {@code b[off..off+len)}. */
    public static boolean equals(long lp, int pos, byte[] b, int off, int len) {
        long p = lp + pos;
        boolean needleInt = ListpackDescriptor.isCanonicalInteger(b, off, len);
        if (ListpackDescriptor.isInteger(p)) {
            return needleInt && ListpackDescriptor.integerValue(p) == ListpackDescriptor.canonicalIntegerValue(b, off, len);
        }
        return !needleInt && ListpackDescriptor.stringLength(p) == len
            && NativeMemory.equals(ListpackDescriptor.stringAddress(p), b, off, len);
    }

    /**
     * Redis's {@code lpFind}: the first element from {@code pos} on whose string form equals
     * {@code b[off..off+len)}, comparing every {@code skip+1}-th element (skip 1 visits the fields
     * of a field/value listpack). Integers compare by value, which is comparing their decimal
     * text: a canonical integer string is only ever stored as an integer, anything else only as a
     * string, so the needle is classified once and only entries of its kind are compared.
     *
     * @param pos where to start, or -1 (then -1 is returned)
     * @return the position of the match, or -1
     */
    public static int find(long lp, int pos, byte[] b, int off, int len, int skip) {
        if (pos < 0) {
            return -1;
        }
        boolean needleInt = ListpackDescriptor.isCanonicalInteger(b, off, len);
        long needle = needleInt ? ListpackDescriptor.canonicalIntegerValue(b, off, len) : 0;
        int skipcnt = 0;
        int p = pos;
        while (true) {
            long a = lp + p;
            int l = ListpackDescriptor.encodedSize(a);
            if (skipcnt == 0) {
                if (ListpackDescriptor.isInteger(a)) {
                    if (needleInt && ListpackDescriptor.integerValue(a) == needle) {
                        return p;
                    }
                } else if (!needleInt && ListpackDescriptor.stringLength(a) == len
                    && NativeMemory.equals(ListpackDescriptor.stringAddress(a), b, off, len)) {
                    return p;
                }
                skipcnt = skip;
            } else {
                skipcnt--;
            }
            p += l + ListpackDescriptor.backlenSize(l);
            if ((NativeMemory.getByte(lp + p) & 0xFF) == EOF) {
                return -1;
            }
        }
    }

    // ---------------------------------------------------------------- writing

    /** Appends {@code b} as the new last element; @return the listpack's address. */
    public static long append(SlabAllocator alloc, long lp, byte[] b) {
        return append(alloc, lp, b, 0, b.length);
    }

    /** Appends {@code b[off..off+len)} as the new last element; @return the listpack's address. */
    public static long append(SlabAllocator alloc, long lp, byte[] b, int off, int len) {
        return insertString(alloc, lp, bytes(lp) - 1, 0, false, b, off, len);
    }

    /** Appends the integer {@code v}; @return the listpack's address. */
    public static long appendLong(SlabAllocator alloc, long lp, long v) {
        return insertInteger(alloc, lp, bytes(lp) - 1, 0, false, v);
    }

    /** Inserts {@code b[off..off+len)} as the new first element; @return the listpack's address. */
    public static long prepend(SlabAllocator alloc, long lp, byte[] b, int off, int len) {
        return insertString(alloc, lp, HEADER_SIZE, 0, false, b, off, len);
    }

    /** Inserts the integer {@code v} as the new first element; @return the listpack's address. */
    public static long prependLong(SlabAllocator alloc, long lp, long v) {
        return insertInteger(alloc, lp, HEADER_SIZE, 0, false, v);
    }

    /**
     * Inserts before the element at {@code pos} (or at the end, when {@code pos} is the terminator);
     * the new element is at {@code pos}.
     *
     * @return the listpack's address
     */
    public static long insertBefore(SlabAllocator alloc, long lp, int pos, byte[] b, int off, int len) {
        return insertString(alloc, lp, pos, 0, false, b, off, len);
    }

    /** Inserts after the element at {@code pos}; @return the listpack's address. */
    public static long insertAfter(SlabAllocator alloc, long lp, int pos, byte[] b, int off, int len) {
        return insertString(alloc, lp, pos + entrySize(lp, pos), 0, false, b, off, len);
    }

    /** Inserts the integer {@code v} before the element at {@code pos}; @return the address. */
    public static long insertLongBefore(SlabAllocator alloc, long lp, int pos, long v) {
        return insertInteger(alloc, lp, pos, 0, false, v);
    }

    /** Replaces the element at {@code pos} (it stays at {@code pos}); @return the address. */
    public static long replace(SlabAllocator alloc, long lp, int pos, byte[] b, int off, int len) {
        return insertString(alloc, lp, pos, entrySize(lp, pos), true, b, off, len);
    }

    /** Replaces the element at {@code pos} with the integer {@code v}; @return the address. */
    public static long replaceLong(SlabAllocator alloc, long lp, int pos, long v) {
        return insertInteger(alloc, lp, pos, entrySize(lp, pos), true, v);
    }

    /**
     * Deletes the element at {@code pos}; the next one, if any, is then at {@code pos}.
     *
     * @return the listpack's address
     */
    public static long delete(SlabAllocator alloc, long lp, int pos) {
        int removed = entrySize(lp, pos);
        lp = splice(alloc, lp, pos, removed, 0);
        adjustCount(lp, -1);
        return lp;
    }

    /**
     * Redis's {@code lpDeleteRange}: deletes up to {@code count} elements starting at
     * {@code index} (negative from the tail); nothing when the index is out of range.
     *
     * @return the listpack's address
     */
    public static long deleteRange(SlabAllocator alloc, long lp, long index, long count) {
        if (count <= 0) {
            return lp;
        }
        int p = seek(lp, index);
        return p < 0 ? lp : deleteRangeAt(alloc, lp, p, count);
    }

    /**
     * Redis's {@code lpDeleteRangeWithEntry}: deletes up to {@code count} elements starting at
     * position {@code pos}.
     *
     * @return the listpack's address
     */
    public static long deleteRangeAt(SlabAllocator alloc, long lp, int pos, long count) {
        int end = pos;
        int deleted = 0;
        while (deleted < count && (NativeMemory.getByte(lp + end) & 0xFF) != EOF) {
            end += ListpackDescriptor.entrySize(lp + end);
            deleted++;
        }
        if (deleted == 0) {
            return lp;
        }
        lp = splice(alloc, lp, pos, end - pos, 0);
        adjustCount(lp, -deleted);
        return lp;
    }

    // ---------------------------------------------------------------- internals

    private static long insertString(SlabAllocator alloc, long lp, int pos, int removed, boolean replace,
                                     byte[] b, int off, int len) {
        if (ListpackDescriptor.isCanonicalInteger(b, off, len)) {
            return insertInteger(alloc, lp, pos, removed, replace, ListpackDescriptor.canonicalIntegerValue(b, off, len));
        }
        long l = ListpackDescriptor.stringEncodedSize(len);
        int entry = (int) checkEntry(lp, l + ListpackDescriptor.backlenSize(l), removed);
        lp = splice(alloc, lp, pos, removed, entry);
        long p = lp + pos;
        ListpackDescriptor.writeString(p, b, off, len);
        ListpackDescriptor.writeBacklen(p + l, (int) l);
        if (!replace) {
            adjustCount(lp, 1);
        }
        return lp;
    }

    private static long insertInteger(SlabAllocator alloc, long lp, int pos, int removed, boolean replace, long v) {
        int l = ListpackDescriptor.integerEncodedSize(v);
        int entry = l + 1; // an integer's L is at most 9: a 1-byte backlen
        checkEntry(lp, entry, removed);
        lp = splice(alloc, lp, pos, removed, entry);
        long p = lp + pos;
        ListpackDescriptor.writeInteger(p, v);
        NativeMemory.putByte(p + l, (byte) l);
        if (!replace) {
            adjustCount(lp, 1);
        }
        return lp;
    }

    private static long checkEntry(long lp, long entry, int removed) {
        if (bytes(lp) + entry - removed > ListpackDescriptor.MAX_SAFETY_SIZE) {
            throw new IllegalStateException("listpack would exceed " + ListpackDescriptor.MAX_SAFETY_SIZE
                + " bytes (check safeToAdd first)");
        }
        return entry;
    }

    /**
     * Replaces the {@code removed} bytes at {@code pos} with a gap of {@code inserted} bytes
     * (contents undefined), resizing the block like {@code lpInsert}: grow before the move, shrink
     * after it. Updates the total-bytes field, not the count.
     */
    private static long splice(SlabAllocator alloc, long lp, int pos, int removed, int inserted) {
        int oldBytes = bytes(lp);
        int newBytes = oldBytes + inserted - removed;
        if (newBytes > oldBytes) {
            lp = alloc.reallocate(lp, oldBytes, newBytes);
        }
        int tail = oldBytes - pos - removed;
        if (inserted != removed) {
            NativeMemory.copy(lp + pos + removed, lp + pos + inserted, tail);
        }
        if (newBytes < oldBytes) {
            lp = alloc.reallocate(lp, oldBytes, newBytes);
        }
        ListpackDescriptor.setTotalBytes(lp, newBytes);
        return lp;
    }

    /** Adds {@code delta} to the element count unless it is "unknown" (as {@code lpInsert}). */
    private static void adjustCount(long lp, int delta) {
        int n = ListpackDescriptor.numElementsField(lp);
        if (n != NUM_ELEMENTS_UNKNOWN) {
            ListpackDescriptor.setNumElementsField(lp, Math.min(n + delta, NUM_ELEMENTS_UNKNOWN));
        }
    }

    // ---------------------------------------------------------------- validation

    /**
     * Checks a listpack's integrity, like {@code lpValidateIntegrity(deep)}, and also that every
     * element is in the encoding Redis would choose (integers in their smallest encoding, strings
     * that are not canonical integers, smallest string-length encoding). For tests and debugging;
     * allocates.
     *
     * @param allocatedSize the size the block was allocated with, or -1 not to check it
     * @throws IllegalStateException describing the first problem found
     */
    public static void validate(long lp, long allocatedSize) {
        int total = bytes(lp);
        if (total < ListpackDescriptor.EMPTY_SIZE) {
            throw new IllegalStateException("total bytes " + total + " < 7");
        }
        if (allocatedSize >= 0 && total != allocatedSize) {
            throw new IllegalStateException("total bytes " + total + " != allocated " + allocatedSize);
        }
        if ((NativeMemory.getByte(lp + total - 1) & 0xFF) != EOF) {
            throw new IllegalStateException("no terminator at " + (total - 1));
        }
        int count = 0;
        int p = HEADER_SIZE;
        while (p < total - 1) {
            long a = lp + p;
            int enc = NativeMemory.getByte(a) & 0xFF;
            if (enc == EOF || (enc > ListpackDescriptor.ENC_64BIT_INT && enc < EOF)) {
                throw new IllegalStateException("bad encoding byte 0x" + Integer.toHexString(enc) + " at " + p);
            }
            int l = ListpackDescriptor.encodedSize(a);
            int bl = ListpackDescriptor.backlenSize(l);
            if (l < 0 || (long) p + l + bl > total - 1) {
                throw new IllegalStateException("entry at " + p + " runs past the end");
            }
            long back = ListpackDescriptor.decodeBacklen(a + l + bl - 1);
            if (back != l) {
                throw new IllegalStateException("backlen " + back + " != encoded length " + l + " at " + p);
            }
            // the backlen's first byte must not carry the continuation bit
            if ((NativeMemory.getByte(a + l) & 0x80) != 0) {
                throw new IllegalStateException("backlen too long at " + p);
            }
            if (ListpackDescriptor.isInteger(a)) {
                long v = ListpackDescriptor.integerValue(a);
                if (ListpackDescriptor.integerEncodedSize(v) != l) {
                    throw new IllegalStateException("integer " + v + " not in its smallest encoding at " + p);
                }
            } else {
                int len = ListpackDescriptor.stringLength(a);
                if (ListpackDescriptor.stringEncodedSize(len) != l) {
                    throw new IllegalStateException("string of " + len + " bytes in a wider encoding at " + p);
                }
                byte[] s = NativeMemory.toArray(ListpackDescriptor.stringAddress(a), len);
                if (ListpackDescriptor.isCanonicalInteger(s, 0, len)) {
                    throw new IllegalStateException("integer text stored as a string at " + p);
                }
            }
            p += l + bl;
            count++;
        }
        if (p != total - 1) {
            throw new IllegalStateException("entries end at " + p + ", terminator at " + (total - 1));
        }
        int field = ListpackDescriptor.numElementsField(lp);
        if (field != NUM_ELEMENTS_UNKNOWN && field != count) {
            throw new IllegalStateException("header count " + field + " != " + count + " elements");
        }
    }
}
