package io.redjar.internal.memory;

import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.LongArrayList;

/**
 * Native memory for one shard: size-classed blocks carved from 1 MiB pages, with a LIFO free list
 * per class threaded through the freed blocks themselves, and dedicated system allocations for
 * blocks above {@link SizeClasses#MAX_SLAB_BLOCK}.
 *
 * <p>Design: the caller always knows a block's requested size (entries encode their own length),
 * so blocks carry no header; {@code free(address, size)} maps the size back to its class. Freed
 * blocks are reused by the next request of the same class; pages are returned to the system only
 * when the allocator is {@link #close() closed}. Accounting is exact: {@link #usedBytes()} is the
 * sum of the block sizes handed out and not freed, {@link #reservedBytes()} what was taken from the
 * system.
 *
 * <p>Addresses are below 2<sup>48</sup> on every supported platform, which lets the key table pack a
 * 16-bit fingerprint beside them; {@link #allocate} checks it.
 *
 * <p><b>Thread-safety:</b> not thread-safe. One shard owns one allocator and uses it under its lock.
 */
public final class SlabAllocator implements AutoCloseable {
    /** Size of a slab page. */
    public static final int PAGE_SIZE = 1 << 20;
    /** Highest address the allocator will hand out (exclusive). */
    public static final long ADDRESS_LIMIT = 1L << 48;

    private final long[] freeHeads = new long[SizeClasses.count()];
    private final LongArrayList pages = new LongArrayList();
    private final Long2LongHashMap large = new Long2LongHashMap(0L);
    private long cursor;
    private long pageEnd;
    private long usedBytes;
    private long reservedBytes;
    private boolean closed;

    /**
     * @param size bytes wanted, at least 1
     * @return the address of a block of at least {@code size} bytes (contents undefined)
     */
    public long allocate(long size) {
        if (closed) {
            throw new IllegalStateException("store is closed");
        }
        long address;
        if (size > SizeClasses.MAX_SLAB_BLOCK) {
            address = NativeMemory.allocate(size);
            large.put(address, size);
            usedBytes += size;
            reservedBytes += size;
        } else {
            int c = SizeClasses.classOf((int) size);
            int block = SizeClasses.size(c);
            address = freeHeads[c];
            if (address != 0) {
                freeHeads[c] = NativeMemory.getLong(address);
            } else {
                address = carve(block);
            }
            usedBytes += block;
        }
        if (address <= 0 || address >= ADDRESS_LIMIT) {
            throw new IllegalStateException("native address outside the 48-bit range: " + address);
        }
        return address;
    }

    /**
     * Frees a block. {@code size} must be the size it was allocated (or last reallocated) with.
     */
    public void free(long address, long size) {
        if (size > SizeClasses.MAX_SLAB_BLOCK) {
            long had = large.remove(address);
            if (had == 0L) {
                throw new IllegalStateException("not a large block: " + address);
            }
            usedBytes -= had;
            reservedBytes -= had;
            NativeMemory.free(address);
        } else {
            int c = SizeClasses.classOf((int) size);
            NativeMemory.putLong(address, freeHeads[c]);
            freeHeads[c] = address;
            usedBytes -= SizeClasses.size(c);
        }
    }

    /**
     * Resizes a block, keeping its first {@code min(oldSize, newSize)} bytes; returns the same
     * address when both sizes fall in one class.
     */
    public long reallocate(long address, long oldSize, long newSize) {
        if (SizeClasses.blockSize(oldSize) == SizeClasses.blockSize(newSize) && oldSize <= SizeClasses.MAX_SLAB_BLOCK) {
            return address;
        }
        if (oldSize > SizeClasses.MAX_SLAB_BLOCK && newSize > SizeClasses.MAX_SLAB_BLOCK) {
            long moved = NativeMemory.reallocate(address, newSize);
            large.remove(address);
            large.put(moved, newSize);
            usedBytes += newSize - oldSize;
            reservedBytes += newSize - oldSize;
            return moved;
        }
        long moved = allocate(newSize);
        NativeMemory.copy(address, moved, Math.min(oldSize, newSize));
        free(address, oldSize);
        return moved;
    }

    /** @return whether two request sizes share a block (an entry can change size in place). */
    public static boolean sameBlock(long sizeA, long sizeB) {
        return sizeA <= SizeClasses.MAX_SLAB_BLOCK && sizeB <= SizeClasses.MAX_SLAB_BLOCK
            && SizeClasses.classOf((int) sizeA) == SizeClasses.classOf((int) sizeB);
    }

    private long carve(int block) {
        if (pageEnd - cursor < block) {
            recycleTail();
            long page = NativeMemory.allocate(PAGE_SIZE);
            pages.addLong(page);
            reservedBytes += PAGE_SIZE;
            cursor = page;
            pageEnd = page + PAGE_SIZE;
        }
        long a = cursor;
        cursor += block;
        return a;
    }

    /** Puts what is left of the current page on the free lists instead of wasting it. */
    private void recycleTail() {
        while (pageEnd - cursor >= SizeClasses.MIN_BLOCK) {
            long left = pageEnd - cursor;
            int c = SizeClasses.classOf((int) Math.min(left, SizeClasses.MAX_SLAB_BLOCK));
            if (SizeClasses.size(c) > left) {
                c--;
            }
            int block = SizeClasses.size(c);
            NativeMemory.putLong(cursor, freeHeads[c]);
            freeHeads[c] = cursor;
            cursor += block;
        }
    }

    /** @return bytes in blocks handed out and not freed. */
    public long usedBytes() {
        return usedBytes;
    }

    /** @return bytes taken from the system (pages and large blocks). */
    public long reservedBytes() {
        return reservedBytes;
    }

    /** Returns every page and large block to the system; the allocator cannot be used after. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (int i = 0; i < pages.size(); i++) {
            NativeMemory.free(pages.getLong(i));
        }
        pages.clear();
        large.forEach((address, size) -> NativeMemory.free(address));
        large.clear();
        usedBytes = 0;
        reservedBytes = 0;
    }
}
