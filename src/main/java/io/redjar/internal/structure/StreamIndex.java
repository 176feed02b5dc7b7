package io.redjar.internal.structure;

import io.redjar.internal.memory.NativeMemory;
import io.redjar.internal.memory.SlabAllocator;

/**
 * The index of a stream's nodes, ordered by master ID: the job Redis gives a radix tree keyed by
 * the 128-bit big-endian master ID. One native block, a sorted array with a movable head:
 *
 * <pre>
 *   0                   4                   8                   12                  16
 *  +-------------------+-------------------+-------------------+-------------------+
 *  | count (int)       | capacity (int)    | head (int)        | reserved          |
 *  +-------------------+-------------------+-------------------+-------------------+
 *  16 + (head + i) * 24: record i = | masterMs (8) | masterSeq (8) | node address (8) |
 * </pre>
 *
 * <p>Costs: lookup by ID is a binary search, O(log n). The common writes are O(1): appending a
 * node at the tail (amortised; the block doubles when full, after first sliding the records back
 * over a head gap) and removing the head node (trimming: {@code head++}). Removing a node from
 * the middle (XDEL emptying it) moves the records after it, O(n). The block shrinks by half when
 * a quarter full. Overhead 24 bytes per node of up to {@code stream-node-max-entries} entries
 * (Redis's rax spends a comparable amount per key); capacity is capped so that the block size
 * stays an {@code int}.
 *
 * <p>Master IDs are unsigned pairs and compare as such. The index never owns the nodes: freeing
 * them is the stream's job.
 *
 * <p><b>Thread-safety:</b> not thread-safe; a stream belongs to one shard and is used under its lock.
 */
public final class StreamIndex {
    /** Header bytes. */
    public static final int HEADER = 16;
    /** Bytes per record. */
    public static final int RECORD = 24;
    private static final int MIN_CAPACITY = 4;
    private static final int MAX_CAPACITY = (Integer.MAX_VALUE - HEADER) / RECORD;

    private StreamIndex() {
    }

    /** @return a new, empty index */
    public static long create(SlabAllocator a) {
        long idx = a.allocate(bytesFor(MIN_CAPACITY));
        NativeMemory.putInt(idx, 0);
        NativeMemory.putInt(idx + 4, MIN_CAPACITY);
        NativeMemory.putInt(idx + 8, 0);
        NativeMemory.putInt(idx + 12, 0);
        return idx;
    }

    private static int bytesFor(int capacity) {
        return HEADER + capacity * RECORD;
    }

    /** @return the block's size */
    public static int bytes(long idx) {
        return bytesFor(capacity(idx));
    }

    /** Frees the index block (not the nodes). */
    public static void free(SlabAllocator a, long idx) {
        a.free(idx, bytes(idx));
    }

    /** @return the number of nodes */
    public static int count(long idx) {
        return NativeMemory.getInt(idx);
    }

    /** @return the capacity in records */
    public static int capacity(long idx) {
        return NativeMemory.getInt(idx + 4);
    }

    private static int head(long idx) {
        return NativeMemory.getInt(idx + 8);
    }

    private static long rec(long idx, int i) {
        return idx + HEADER + (long) (head(idx) + i) * RECORD;
    }

    /** @return node {@code i}'s master ID milliseconds */
    public static long masterMs(long idx, int i) {
        return NativeMemory.getLong(rec(idx, i));
    }

    /** @return node {@code i}'s master ID sequence */
    public static long masterSeq(long idx, int i) {
        return NativeMemory.getLong(rec(idx, i) + 8);
    }

    /** @return node {@code i}'s listpack address */
    public static long node(long idx, int i) {
        return NativeMemory.getLong(rec(idx, i) + 16);
    }

    /** Replaces node {@code i}'s address (its listpack moved). */
    public static void setNode(long idx, int i, long node) {
        NativeMemory.putLong(rec(idx, i) + 16, node);
    }

    /**
     * @return the last node whose master ID is at most {@code (ms, seq)} (unsigned), or -1 when
     *         every master ID is greater (or the index is empty)
     */
    public static int floor(long idx, long ms, long seq) {
        int lo = 0;
        int hi = count(idx) - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long r = rec(idx, mid);
            int c = compare(NativeMemory.getLong(r), NativeMemory.getLong(r + 8), ms, seq);
            if (c <= 0) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    private static int compare(long ams, long aseq, long bms, long bseq) {
        int c = Long.compareUnsigned(ams, bms);
        return c != 0 ? c : Long.compareUnsigned(aseq, bseq);
    }

    /**
     * Appends a node whose master ID is greater than every other.
     *
     * @return the index's (possibly moved) address
     */
    public static long append(SlabAllocator a, long idx, long ms, long seq, long node) {
        int n = count(idx);
        int cap = capacity(idx);
        int head = head(idx);
        if (n > 0 && compare(masterMs(idx, n - 1), masterSeq(idx, n - 1), ms, seq) >= 0) {
            throw new IllegalArgumentException("stream node appended out of order");
        }
        if (head + n == cap) {
            if (head > 0) {
                slide(idx);
            } else {
                if (cap >= MAX_CAPACITY) {
                    throw new IllegalStateException("stream index full");
                }
                int ncap = (int) Math.min((long) cap * 2, MAX_CAPACITY);
                idx = a.reallocate(idx, bytesFor(cap), bytesFor(ncap));
                NativeMemory.putInt(idx + 4, ncap);
            }
        }
        NativeMemory.putInt(idx, n + 1);
        long r = rec(idx, n);
        NativeMemory.putLong(r, ms);
        NativeMemory.putLong(r + 8, seq);
        NativeMemory.putLong(r + 16, node);
        return idx;
    }

    /** Moves the records to the start of the array (head 0). */
    private static void slide(long idx) {
        int head = head(idx);
        if (head == 0) {
            return;
        }
        NativeMemory.copy(idx + HEADER + (long) head * RECORD, idx + HEADER, (long) count(idx) * RECORD);
        NativeMemory.putInt(idx + 8, 0);
    }

    /**
     * Removes record {@code i} (not the node it names).
     *
     * @return the index's (possibly moved) address
     */
    public static long remove(SlabAllocator a, long idx, int i) {
        int n = count(idx);
        if (i < 0 || i >= n) {
            throw new IndexOutOfBoundsException(i);
        }
        if (i == 0) {
            NativeMemory.putInt(idx + 8, n == 1 ? 0 : head(idx) + 1);
        } else if (i < n - 1) {
            long r = rec(idx, i);
            NativeMemory.copy(r + RECORD, r, (long) (n - 1 - i) * RECORD);
        }
        NativeMemory.putInt(idx, n - 1);
        int cap = capacity(idx);
        if (cap > MIN_CAPACITY && (n - 1) <= cap / 4) {
            slide(idx);
            int ncap = Math.max(MIN_CAPACITY, cap / 2);
            idx = a.reallocate(idx, bytesFor(cap), bytesFor(ncap));
            NativeMemory.putInt(idx + 4, ncap);
        }
        return idx;
    }

    /**
     * Checks the header and the order of the master IDs.
     *
     * @throws IllegalStateException describing the first problem found
     */
    public static void validate(long idx) {
        int n = count(idx);
        int cap = capacity(idx);
        int head = head(idx);
        if (cap < MIN_CAPACITY || n < 0 || head < 0 || (long) head + n > cap) {
            throw new IllegalStateException("stream index header: count " + n + " capacity " + cap + " head " + head);
        }
        for (int i = 1; i < n; i++) {
            if (compare(masterMs(idx, i - 1), masterSeq(idx, i - 1), masterMs(idx, i), masterSeq(idx, i)) >= 0) {
                throw new IllegalStateException("stream index out of order at " + i);
            }
        }
    }
}
