package io.redjar.internal.structure;

import io.redjar.internal.memory.NativeMemory;
import io.redjar.internal.memory.SlabAllocator;

/**
 * An off-heap set of named blocks ordered by name, byte-lexicographically (unsigned bytes, a
 * prefix first: the order of Redis's rax, so listings come out as Redis lists them). Each member
 * is the address of a block that stores its own name: a 4-byte length at {@code lengthOffset} and
 * the bytes at {@code nameOffset}; the index knows only those two offsets.
 *
 * <p>Layout: a 16-byte header {@code count (int) | capacity (int) | array address (8)}, and an
 * array of {@code capacity} member addresses sorted by name. Lookup is a binary search
 * (O(log n) name comparisons); insert and remove shift the array (O(n)), which suits the
 * handful of consumer groups and consumers a stream has. The header's address never changes.
 *
 * <p><b>Thread-safety:</b> not thread-safe; static methods over blocks guarded by the owner's lock.
 */
public final class NameIndex {
    /** Header size. */
    public static final int HEADER_SIZE = 16;
    private static final int INITIAL = 4;

    private NameIndex() {
    }

    /** Creates an empty index. */
    public static long create(SlabAllocator allocator) {
        long header = allocator.allocate(HEADER_SIZE);
        NativeMemory.putInt(header, 0);
        NativeMemory.putInt(header + 4, 0);
        NativeMemory.putLong(header + 8, 0);
        return header;
    }

    /** @return the number of members */
    public static int size(long index) {
        return NativeMemory.getInt(index);
    }

    private static int capacity(long index) {
        return NativeMemory.getInt(index + 4);
    }

    private static long array(long index) {
        return NativeMemory.getLong(index + 8);
    }

    /** @return the {@code i}-th member in name order */
    public static long at(long index, int i) {
        return NativeMemory.getLong(array(index) + 8L * i);
    }

    /** @return the bytes the index's own blocks take (not the members) */
    public static long bytes(long index) {
        return HEADER_SIZE + 8L * capacity(index);
    }

    /** Compares a member's name with {@code name}. */
    public static int compareName(long block, int lengthOffset, int nameOffset, byte[] name) {
        int len = NativeMemory.getInt(block + lengthOffset);
        long at = block + nameOffset;
        int n = Math.min(len, name.length);
        for (int i = 0; i < n; i++) {
            int c = Integer.compare(NativeMemory.getByte(at + i) & 0xFF, name[i] & 0xFF);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(len, name.length);
    }

    /** @return the position of {@code name}, or {@code -(insertion point) - 1} */
    public static int search(long index, int lengthOffset, int nameOffset, byte[] name) {
        int lo = 0;
        int hi = size(index) - 1;
        long arr = array(index);
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = compareName(NativeMemory.getLong(arr + 8L * mid), lengthOffset, nameOffset, name);
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -lo - 1;
    }

    /** @return the member named {@code name}, or 0 */
    public static long find(long index, int lengthOffset, int nameOffset, byte[] name) {
        int pos = search(index, lengthOffset, nameOffset, name);
        return pos >= 0 ? at(index, pos) : 0;
    }

    /** Inserts {@code block} at {@code pos} (from a failed {@link #search}: {@code -pos - 1}). */
    public static void insertAt(SlabAllocator allocator, long index, int pos, long block) {
        int n = size(index);
        int cap = capacity(index);
        long arr = array(index);
        if (n == cap) {
            int grown = cap == 0 ? INITIAL : Math.multiplyExact(cap, 2);
            long bigger = allocator.allocate(8L * grown);
            if (arr != 0) {
                NativeMemory.copy(arr, bigger, 8L * n);
                allocator.free(arr, 8L * cap);
            }
            arr = bigger;
            NativeMemory.putLong(index + 8, arr);
            NativeMemory.putInt(index + 4, grown);
        }
        if (pos < n) {
            NativeMemory.copy(arr + 8L * pos, arr + 8L * (pos + 1), 8L * (n - pos));
        }
        NativeMemory.putLong(arr + 8L * pos, block);
        NativeMemory.putInt(index, n + 1);
    }

    /** Removes the member at {@code pos}. */
    public static void removeAt(SlabAllocator allocator, long index, int pos) {
        int n = size(index);
        long arr = array(index);
        if (pos < n - 1) {
            NativeMemory.copy(arr + 8L * (pos + 1), arr + 8L * pos, 8L * (n - pos - 1));
        }
        NativeMemory.putInt(index, n - 1);
        if (n - 1 == 0) {
            allocator.free(arr, 8L * capacity(index));
            NativeMemory.putLong(index + 8, 0);
            NativeMemory.putInt(index + 4, 0);
        }
    }

    /** Frees the index's own blocks (not the members). */
    public static void release(SlabAllocator allocator, long index) {
        int cap = capacity(index);
        if (cap > 0) {
            allocator.free(array(index), 8L * cap);
        }
        allocator.free(index, HEADER_SIZE);
    }

    /** Reports the index's own blocks and checks the order. */
    public static void verify(long index, int lengthOffset, int nameOffset, BlockVisitor blocks) {
        blocks.block(index, HEADER_SIZE);
        int n = size(index);
        int cap = capacity(index);
        if (n < 0 || n > cap || (cap == 0) != (array(index) == 0)) {
            throw new IllegalStateException("NameIndex: count " + n + " capacity " + cap);
        }
        if (cap > 0) {
            blocks.block(array(index), 8L * cap);
        }
        for (int i = 1; i < n; i++) {
            long prev = at(index, i - 1);
            byte[] name = NativeMemory.toArray(prev + nameOffset, NativeMemory.getInt(prev + lengthOffset));
            if (compareName(at(index, i), lengthOffset, nameOffset, name) <= 0) {
                throw new IllegalStateException("NameIndex: names out of order at " + i);
            }
        }
    }
}
