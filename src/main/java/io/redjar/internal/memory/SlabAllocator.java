package io.redjar.internal.memory;

import org.agrona.collections.IntArrayList;
import org.agrona.collections.Long2LongHashMap;

import java.util.Arrays;

/**
 * Native memory for one shard: size-classed blocks carved from 1 MiB pages, with a LIFO free list
 * per class threaded through the freed blocks themselves, and dedicated system allocations for
 * blocks above {@link SizeClasses#MAX_SLAB_BLOCK}.
 *
 * <p>Design: the caller always knows a block's requested size (entries encode their own length),
 * so blocks carry no header; a free maps the size back to its class. Freed blocks are reused by
 * the next request of the same class; slab pages are returned to the system only when the
 * allocator is {@link #close() closed}. Accounting is exact: {@link #usedBytes()} is the sum of the
 * block sizes handed out and not freed, {@link #reservedBytes()} what was taken from the system.
 *
 * <p><b>Two ways to name a block.</b> Keyspace entries are named by a 32-bit <em>ref</em> (what
 * the key tables store, half the size of an address):
 * <pre>
 *    31            17 16                          0
 *   +----------------+-----------------------------+
 *   |  page (15 bit) |  offset in page / 8 (17 bit) |
 *   +----------------+-----------------------------+
 * </pre>
 * Page 0 is never used, so refs 0 and 1 are free for the tables' "empty" and "deleted" marks. A
 * block above {@link SizeClasses#MAX_SLAB_BLOCK} allocated by ref gets a page number of its own
 * (offset 0), so growing it with {@code realloc} keeps its ref. Other structures use plain
 * addresses ({@link #allocate}, {@link #free}); freeing a slab block by address finds its page by
 * binary search.
 *
 * <p>The free-list link of a freed block lives at offset 8 (the smallest block is 16 bytes).
 *
 * <p><b>Bounds-checked mode</b> ({@link NativeMemory#CHECKED}): the allocator registers every block
 * it hands out with {@link MemoryGuard} at its requested size (updated on every resize, in place or
 * not) and unregisters it when freed, so accesses are checked against what the caller asked for;
 * it keeps a map of its own live blocks, against which a free or resize is checked (a double free,
 * a free with the wrong size, a free of memory never allocated here all throw
 * {@link NativeMemoryViolation}); it fills freed slab blocks with {@link MemoryGuard#POISON} (but
 * for the link); and it can list its live blocks ({@link #forEachLiveBlock}) and check them against
 * its accounting ({@link #verifyAccounting()}). Its own free-list and page bookkeeping uses the
 * unchecked {@code NativeMemory.raw*} accessors.
 *
 * <p><b>Thread-safety:</b> not thread-safe. One shard owns one allocator and uses it under its lock.
 */
public final class SlabAllocator implements AutoCloseable {
    /** Size of a slab page. */
    public static final int PAGE_SIZE = 1 << 20;
    private static final int OFFSET_BITS = 17;
    private static final int OFFSET_MASK = (1 << OFFSET_BITS) - 1;
    /** Most pages (slab pages plus large ref blocks) one allocator can have. */
    public static final int MAX_PAGES = 1 << (32 - OFFSET_BITS);
    private static final int LINK = 8;

    private final int[] freeHeads = new int[SizeClasses.count()];
    private long[] pageBase = new long[16];
    private long[] pageBytes = new long[16];
    private int pageCount = 1;
    private final IntArrayList freePageNumbers = new IntArrayList();
    /** Slab pages sorted by base address, for {@link #free(long, long)} by address. */
    private long[] sortedBases = new long[8];
    private int[] sortedPages = new int[8];
    private int slabPages;
    /** Large blocks handed out by address: address to size. */
    private final Long2LongHashMap large = new Long2LongHashMap(0L);
    private int currentPage;
    private long cursor;
    private long pageEnd;
    private long usedBytes;
    private long reservedBytes;
    private boolean closed;
    /** Checked mode only: live blocks, address to requested size. */
    private final Long2LongHashMap live = NativeMemory.CHECKED ? new Long2LongHashMap(-1L) : null;

    /** Receives the live blocks of an allocator in checked mode (see {@link #forEachLiveBlock}). */
    @FunctionalInterface
    public interface BlockVisitor {
        /**
         * @param address       the block's address
         * @param requestedSize the size it was allocated (or last reallocated) with
         */
        void block(long address, long requestedSize);
    }

    // ---- refs --------------------------------------------------------------------------------

    /**
     * @param size bytes wanted, at least 1
     * @return the ref of a block of at least {@code size} bytes (contents undefined)
     */
    public int allocateRef(long size) {
        io.redjar.internal.util.Sizes.checkAllocation(size);
        checkOpen();
        if (size > SizeClasses.MAX_SLAB_BLOCK) {
            long address = NativeMemory.rawAllocate(size);
            int page = newPageNumber(address, size);
            used(size);
            reservedBytes += size;
            if (NativeMemory.CHECKED) {
                registered(address, size);
            }
            return page << OFFSET_BITS;
        }
        int c = SizeClasses.classOf((int) size);
        int ref = freeHeads[c];
        if (ref != 0) {
            freeHeads[c] = NativeMemory.rawGetInt(address(ref) + LINK);
        } else {
            ref = carve(SizeClasses.size(c));
        }
        used(SizeClasses.size(c));
        if (NativeMemory.CHECKED) {
            registered(address(ref), size);
        }
        return ref;
    }

    /** @return the address of the block named {@code ref} */
    public long address(int ref) {
        return pageBase[ref >>> OFFSET_BITS] + ((long) (ref & OFFSET_MASK) << 3);
    }

    /** Frees a block by ref; {@code size} is the size it was allocated (or last reallocated) with. */
    public void freeRef(int ref, long size) {
        if (NativeMemory.CHECKED) {
            unregistered("freeRef", ref >>> OFFSET_BITS < pageCount ? address(ref) : 0L, size);
        }
        if (size > SizeClasses.MAX_SLAB_BLOCK) {
            int page = ref >>> OFFSET_BITS;
            long bytes = pageBytes[page];
            NativeMemory.rawFree(pageBase[page]);
            pageBase[page] = 0;
            pageBytes[page] = 0;
            freePageNumbers.addInt(page);
            used(-(bytes));
            reservedBytes -= bytes;
            return;
        }
        freeSlab(ref, size);
    }

    private void freeSlab(int ref, long size) {
        int c = SizeClasses.classOf((int) size);
        NativeMemory.rawPutInt(address(ref) + LINK, freeHeads[c]);
        freeHeads[c] = ref;
        used(-(SizeClasses.size(c)));
    }

    /**
     * Resizes a block named by ref, keeping its first {@code min(oldSize, newSize)} bytes.
     *
     * @return the block's ref, unchanged when both sizes share a class or both are large
     */
    public int reallocateRef(int ref, long oldSize, long newSize) {
        io.redjar.internal.util.Sizes.checkAllocation(newSize);
        if (NativeMemory.CHECKED) {
            checkLive("reallocateRef", ref >>> OFFSET_BITS < pageCount ? address(ref) : 0L, oldSize);
        }
        if (sameBlock(oldSize, newSize)) {
            if (NativeMemory.CHECKED) {
                resizedInPlace(address(ref), newSize);
            }
            return ref;
        }
        if (oldSize > SizeClasses.MAX_SLAB_BLOCK && newSize > SizeClasses.MAX_SLAB_BLOCK) {
            int page = ref >>> OFFSET_BITS;
            if (NativeMemory.CHECKED) {
                unregistered("reallocateRef", address(ref), oldSize);
            }
            pageBase[page] = NativeMemory.rawReallocate(pageBase[page], newSize);
            pageBytes[page] = newSize;
            used(newSize - oldSize);
            reservedBytes += newSize - oldSize;
            if (NativeMemory.CHECKED) {
                registered(pageBase[page], newSize);
            }
            return ref;
        }
        int moved = allocateRef(newSize);
        NativeMemory.copy(address(ref), address(moved), Math.min(oldSize, newSize));
        freeRef(ref, oldSize);
        return moved;
    }

    private int newPageNumber(long base, long bytes) {
        int page;
        if (!freePageNumbers.isEmpty()) {
            page = freePageNumbers.removeAt(freePageNumbers.size() - 1);
        } else {
            if (pageCount >= MAX_PAGES) {
                NativeMemory.rawFree(base);
                throw new IllegalStateException("shard memory exhausted: more than " + (MAX_PAGES - 1)
                    + " pages and large values in one shard (use more shards)");
            }
            page = pageCount++;
            if (page >= pageBase.length) {
                pageBase = Arrays.copyOf(pageBase, pageBase.length * 2);
                pageBytes = Arrays.copyOf(pageBytes, pageBytes.length * 2);
            }
        }
        pageBase[page] = base;
        pageBytes[page] = bytes;
        return page;
    }

    private int carve(int block) {
        if (pageEnd - cursor < block) {
            recycleTail();
            long base = NativeMemory.rawAllocate(PAGE_SIZE);
            currentPage = newPageNumber(base, PAGE_SIZE);
            if (NativeMemory.CHECKED) {
                MemoryGuard.addPage(base);
            }
            reservedBytes += PAGE_SIZE;
            cursor = base;
            pageEnd = base + PAGE_SIZE;
            indexSlabPage(base, currentPage);
        }
        long a = cursor;
        cursor += block;
        return refIn(currentPage, a);
    }

    private int refIn(int page, long address) {
        return (page << OFFSET_BITS) | (int) ((address - pageBase[page]) >>> 3);
    }

    /** Puts what is left of the current page on the free lists instead of wasting it. */
    private void recycleTail() {
        while (pageEnd - cursor >= SizeClasses.MIN_BLOCK) {
            long left = pageEnd - cursor;
            int c = SizeClasses.classOf((int) Math.min(left, SizeClasses.MAX_SLAB_BLOCK));
            if (SizeClasses.size(c) > left) {
                c--;
            }
            int ref = refIn(currentPage, cursor);
            NativeMemory.rawPutInt(cursor + LINK, freeHeads[c]);
            freeHeads[c] = ref;
            cursor += SizeClasses.size(c);
        }
    }

    private void indexSlabPage(long base, int page) {
        if (slabPages == sortedBases.length) {
            sortedBases = Arrays.copyOf(sortedBases, slabPages * 2);
            sortedPages = Arrays.copyOf(sortedPages, slabPages * 2);
        }
        int at = Arrays.binarySearch(sortedBases, 0, slabPages, base);
        at = at < 0 ? -at - 1 : at;
        System.arraycopy(sortedBases, at, sortedBases, at + 1, slabPages - at);
        System.arraycopy(sortedPages, at, sortedPages, at + 1, slabPages - at);
        sortedBases[at] = base;
        sortedPages[at] = page;
        slabPages++;
    }

    private int refOf(long address) {
        int at = Arrays.binarySearch(sortedBases, 0, slabPages, address);
        at = at >= 0 ? at : -at - 2;
        if (at < 0 || address >= sortedBases[at] + PAGE_SIZE) {
            throw new IllegalStateException("not a slab block: " + address);
        }
        return refIn(sortedPages[at], address);
    }

    // ---- addresses ---------------------------------------------------------------------------

    /**
     * @param size bytes wanted, at least 1
     * @return the address of a block of at least {@code size} bytes (contents undefined)
     */
    public long allocate(long size) {
        io.redjar.internal.util.Sizes.checkAllocation(size);
        checkOpen();
        if (size > SizeClasses.MAX_SLAB_BLOCK) {
            long address = NativeMemory.rawAllocate(size);
            large.put(address, size);
            used(size);
            reservedBytes += size;
            if (NativeMemory.CHECKED) {
                registered(address, size);
            }
            return address;
        }
        return address(allocateRef(size));
    }

    /** Frees a block from {@link #allocate}; {@code size} as allocated (or last reallocated). */
    public void free(long address, long size) {
        if (NativeMemory.CHECKED) {
            unregistered("free", address, size);
        }
        if (size > SizeClasses.MAX_SLAB_BLOCK) {
            long had = large.remove(address);
            if (had == 0L) {
                throw new IllegalStateException("not a large block: " + address);
            }
            used(-(had));
            reservedBytes -= had;
            NativeMemory.rawFree(address);
            return;
        }
        freeSlab(refOf(address), size);
    }

    /**
     * Resizes a block from {@link #allocate}, keeping its first {@code min(oldSize, newSize)}
     * bytes; returns the same address when both sizes fall in one class.
     */
    public long reallocate(long address, long oldSize, long newSize) {
        io.redjar.internal.util.Sizes.checkAllocation(newSize);
        if (NativeMemory.CHECKED) {
            checkLive("reallocate", address, oldSize);
        }
        if (sameBlock(oldSize, newSize)) {
            if (NativeMemory.CHECKED) {
                resizedInPlace(address, newSize);
            }
            return address;
        }
        if (oldSize > SizeClasses.MAX_SLAB_BLOCK && newSize > SizeClasses.MAX_SLAB_BLOCK) {
            if (NativeMemory.CHECKED) {
                unregistered("reallocate", address, oldSize);
            }
            long moved = NativeMemory.rawReallocate(address, newSize);
            large.remove(address);
            large.put(moved, newSize);
            used(newSize - oldSize);
            reservedBytes += newSize - oldSize;
            if (NativeMemory.CHECKED) {
                registered(moved, newSize);
            }
            return moved;
        }
        long moved = allocate(newSize);
        NativeMemory.copy(address, moved, Math.min(oldSize, newSize));
        free(address, oldSize);
        return moved;
    }

    /** @return whether two request sizes share a slab block (a block can change size in place). */
    public static boolean sameBlock(long sizeA, long sizeB) {
        return sizeA <= SizeClasses.MAX_SLAB_BLOCK && sizeB <= SizeClasses.MAX_SLAB_BLOCK
            && SizeClasses.classOf((int) sizeA) == SizeClasses.classOf((int) sizeB);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the store is closed");
        }
    }

    // ---- checked mode ------------------------------------------------------------------------

    /** Checked mode: registers a block just handed out. */
    private void registered(long address, long size) {
        live.put(address, size);
        if (size > SizeClasses.MAX_SLAB_BLOCK) {
            MemoryGuard.addStandalone(address, size, false);
        } else {
            MemoryGuard.markBlock(address, size, (int) SizeClasses.blockSize(size));
        }
    }

    /**
     * Checked mode: checks that {@code address} is a live block of this allocator with requested
     * size {@code size}, then unregisters it and (a slab block) poisons it.
     */
    private void unregistered(String op, long address, long size) {
        checkLive(op, address, size);
        live.remove(address);
        if (size > SizeClasses.MAX_SLAB_BLOCK) {
            MemoryGuard.remove(address);
        } else {
            int block = (int) SizeClasses.blockSize(size);
            MemoryGuard.unmarkBlock(address, block);
            NativeMemory.rawFill(address, block, MemoryGuard.POISON);
        }
    }

    /** Checked mode: a resize within one size class keeps the block but moves its bound. */
    private void resizedInPlace(long address, long newSize) {
        live.put(address, newSize);
        MemoryGuard.resizeBlock(address, newSize);
    }

    private void checkLive(String op, long address, long size) {
        long had = live.get(address);
        if (had == -1L) {
            throw MemoryGuard.violation(op + " of " + MemoryGuard.hex(address) + " (size " + size
                + "): not a live block of this allocator (double free, or never allocated here); "
                + MemoryGuard.describe(address));
        }
        if (had != size) {
            throw MemoryGuard.violation(op + " of " + MemoryGuard.range(address, size)
                + ": the live block there was allocated with " + had + " bytes");
        }
    }

    private void requireChecked(String what) {
        if (!NativeMemory.CHECKED) {
            throw new IllegalStateException(what + " needs the bounds-checked mode (-Dredjar.memory.checked=true)");
        }
    }

    /**
     * @return the sum of the block sizes of this allocator's live blocks, each computed from its
     *     requested size as {@link #usedBytes()} counts it (size-class rounded; large blocks exact)
     * @throws IllegalStateException if the bounds-checked mode is off
     */
    public long liveBlockBytes() {
        requireChecked("liveBlockBytes");
        long[] sum = {0};
        live.forEachLong((address, size) -> sum[0] += SizeClasses.blockSize(size));
        return sum[0];
    }

    /**
     * Calls {@code visitor} once per live block of this allocator, in no particular order. The
     * visitor must not allocate or free through this allocator.
     *
     * @throws IllegalStateException if the bounds-checked mode is off
     */
    public void forEachLiveBlock(BlockVisitor visitor) {
        requireChecked("forEachLiveBlock");
        live.forEachLong(visitor::block);
    }

    /** @return how many live blocks this allocator has (checked mode only). */
    public int liveBlockCount() {
        requireChecked("liveBlockCount");
        return live.size();
    }

    /**
     * Checks that {@link #liveBlockBytes()} equals {@link #usedBytes()}.
     *
     * @throws IllegalStateException if they differ, or if the bounds-checked mode is off
     */
    public void verifyAccounting() {
        long liveBytes = liveBlockBytes();
        if (liveBytes != usedBytes) {
            throw new IllegalStateException("allocator accounting is off: usedBytes " + usedBytes
                + " but its " + live.size() + " live blocks take " + liveBytes);
        }
    }

    /** @return bytes in blocks handed out and not freed. */
    public long usedBytes() {
        return usedBytes;
    }

    // ---- published accounting ----------------------------------------------------------------

    private static final java.lang.invoke.VarHandle PUBLISHED;

    static {
        try {
            PUBLISHED = java.lang.invoke.MethodHandles.lookup().findVarHandle(SlabAllocator.class, "published", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Heap bytes its owner accounts with it (the shard's key tables); guarded like the rest. */
    private long heapBytes;
    /**
     * {@code usedBytes + heapBytes} as of the last change, written with a release store by the
     * owning thread after every change and read with an acquire load by anyone
     * ({@link #publishedBytes()}): the lock-free used-memory figure of one shard.
     */
    @SuppressWarnings("unused")
    private long published;

    private void used(long delta) {
        usedBytes += delta;
        publish();
    }

    private void publish() {
        PUBLISHED.setRelease(this, usedBytes + heapBytes);
    }

    /**
     * Adds {@code delta} heap bytes owned alongside this allocator (the key tables' slot arrays)
     * to the published figure. Caller holds the owner's lock.
     */
    public void accountHeap(long delta) {
        heapBytes += delta;
        publish();
    }

    /** @return the heap bytes accounted with {@link #accountHeap} (caller holds the owner's lock) */
    public long heapBytes() {
        return heapBytes;
    }

    /**
     * @return {@link #usedBytes()} plus the {@link #accountHeap heap bytes}, as last published:
     *         safe to call from any thread without the owner's lock (an acquire load)
     */
    public long publishedBytes() {
        return (long) PUBLISHED.getAcquire(this);
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
        if (NativeMemory.CHECKED) {
            live.forEachLong((address, size) -> {
                if (size > SizeClasses.MAX_SLAB_BLOCK) {
                    MemoryGuard.remove(address);
                }
            });
            live.clear();
            for (int i = 0; i < slabPages; i++) {
                MemoryGuard.remove(sortedBases[i]);
            }
        }
        for (int p = 1; p < pageCount; p++) {
            if (pageBase[p] != 0) {
                NativeMemory.rawFree(pageBase[p]);
                pageBase[p] = 0;
            }
        }
        large.forEachLong((address, size) -> NativeMemory.rawFree(address));
        large.clear();
        usedBytes = 0;
        publish();
        reservedBytes = 0;
    }
}
