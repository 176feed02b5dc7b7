package io.redjar.internal.memory;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The registry of live native blocks behind the bounds-checked mode of {@link NativeMemory}
 * ({@code -Dredjar.memory.checked=true}, read once into {@link NativeMemory#CHECKED}), and the
 * record of the violations it caught.
 *
 * <p>What it checks: every native access made through {@link NativeMemory} must lie wholly inside
 * one live block, within the size the block was <em>requested</em> with (not its size class), so
 * writing one byte past what a caller asked for is caught even though the slab block has room.
 * Freed slab blocks are poisoned with {@link #POISON} so a stale read that slips through sees
 * garbage. The {@link SlabAllocator} also checks frees (double free, wrong size, never allocated)
 * against its own live-block map. A violation is counted ({@link #violations()},
 * {@link #firstViolation()}) and thrown as a {@link NativeMemoryViolation}.
 *
 * <p>Design: memory is registered as <em>regions</em>: a slab page (1 MiB, carved into blocks) or
 * a standalone block (a large block, or a raw {@link NativeMemory#allocate} from a test). Regions
 * are few and change rarely (a page is added every megabyte), so they live in a copy-on-write array
 * sorted by base address and found by binary search without a lock; a direct-mapped cache of the
 * region last found in each 1 MiB granule of the address space skips the search for most
 * accesses. A slab page keeps one int per
 * 8-byte slot (blocks are 8-aligned and at least 16 bytes): 0 for a slot in no live block,
 * {@code -(requested size + 1)} at a block's first slot, and the distance back to the first slot elsewhere.
 * Finding the block an address falls in is thus one array read (two for an interior address),
 * whatever the page holds. The marks cost 512 KiB of heap per 1 MiB page, in checked mode only;
 * with the mode off none of this class is touched.
 *
 * <p><b>Thread-safety:</b> thread-safe. Region registration is serialised on a lock and published
 * through a volatile field; lookups take no lock. A page's slot marks are plain ints written by the
 * page's allocator, which its shard uses under the shard lock, and read by accesses made under the
 * same lock: the discipline the memory itself requires (an access racing with a free is a bug the
 * marks may or may not see). The violation record is atomic.
 */
public final class MemoryGuard {
    /** The byte freed slab blocks are filled with (apart from the free-list link at offset 8). */
    public static final byte POISON = (byte) 0xDB;

    private static final AtomicLong VIOLATIONS = new AtomicLong();
    private static final AtomicReference<NativeMemoryViolation> FIRST = new AtomicReference<>();
    private static final Object LOCK = new Object();
    private static volatile Regions regions = new Regions(new long[0], new Region[0]);
    /**
     * The region last found in each 1 MiB granule of the address space (direct-mapped, racy by
     * design: an entry is trusted only while its region contains the address and is not removed).
     */
    private static final Region[] RECENT = new Region[1 << 12];

    private MemoryGuard() {
    }

    // ---- violations --------------------------------------------------------------------------

    /** @return how many violations were caught since the JVM started (thrown or not). */
    public static long violations() {
        return VIOLATIONS.get();
    }

    /** @return the first violation caught since the JVM started, or {@code null} */
    public static NativeMemoryViolation firstViolation() {
        return FIRST.get();
    }

    /** Records a violation and returns it, for the caller to throw. */
    static NativeMemoryViolation violation(String message) {
        NativeMemoryViolation v = new NativeMemoryViolation(message);
        VIOLATIONS.incrementAndGet();
        FIRST.compareAndSet(null, v);
        return v;
    }

    // ---- access checks -----------------------------------------------------------------------

    /**
     * Checks that native {@code [address, address+len)} lies inside one live block, within its
     * requested size. A zero-length range touches nothing and always passes.
     *
     * @throws NativeMemoryViolation if it does not
     */
    static void check(String op, long address, long len) {
        // the fast path, kept small so that it inlines into NativeMemory's accessors
        Region r = find(address);
        if (r instanceof Page) {
            long off = address - r.base;
            if (off < Page.SIZE && len > 0) {
                int[] marks = ((Page) r).marks;
                int slot = (int) (off >>> 3);
                int m = marks[slot];
                if (m != 0) {
                    int start = m < 0 ? slot : slot - m;
                    long end = ((long) start << 3) - marks[start] - 1; // requested = -mark - 1
                    if (off + len <= end) {
                        return;
                    }
                }
            }
        } else if (r != null && len > 0 && address + len <= r.base + r.span) {
            return;
        }
        if (len != 0) {
            explain(op, address, len);
        }
    }

    /** Throws the violation that {@link #check} found, with the block it hit. */
    private static void explain(String op, long address, long len) {
        if (len <= 0) {
            if (len == 0) {
                return;
            }
            throw violation(op + " " + range(address, len) + ": negative length");
        }
        Region r = find(address);
        if (r == null) {
            throw violation(op + " " + range(address, len) + ": no live block");
        }
        if (r instanceof Page) {
            Page p = (Page) r;
            long off = address - p.base;
            if (off >= Page.SIZE) {
                throw violation(op + " " + range(address, len) + ": no live block");
            }
            int[] marks = p.marks;
            int slot = (int) (off >>> 3);
            int m = marks[slot];
            if (m == 0) {
                throw violation(op + " " + range(address, len)
                    + ": no live block (freed or never-allocated memory in slab page " + hex(p.base) + ")");
            }
            int start = m < 0 ? slot : slot - m;
            long blockStart = p.base + ((long) start << 3);
            long requested = -(long) marks[start] - 1;
            if (address + len > blockStart + requested) {
                throw violation(op + " " + range(address, len) + ": overruns live block "
                    + range(blockStart, requested) + " (requested " + requested + " bytes)");
            }
        } else {
            Standalone s = (Standalone) r;
            if (address + len > s.base + s.size) {
                throw violation(op + " " + range(address, len)
                    + (address < s.base + s.size ? ": overruns live block " : ": no live block (nearest below: ")
                    + range(s.base, s.size) + (address < s.base + s.size ? "" : ")"));
            }
        }
        throw violation(op + " " + range(address, len) + ": failed the check; " + describe(address));
    }

    /** @return a description of the live block {@code address} falls in, or "no live block" */
    static String describe(long address) {
        Region r = find(address);
        if (r instanceof Page) {
            Page p = (Page) r;
            long off = address - p.base;
            if (off < Page.SIZE) {
                int slot = (int) (off >>> 3);
                int m = p.marks[slot];
                if (m != 0) {
                    int start = m < 0 ? slot : slot - m;
                    return "inside live block " + range(p.base + ((long) start << 3), -(long) p.marks[start] - 1);
                }
                return "no live block (slab page " + hex(p.base) + ")";
            }
        } else if (r instanceof Standalone) {
            Standalone s = (Standalone) r;
            if (address < s.base + s.size) {
                return "inside live block " + range(s.base, s.size);
            }
        }
        return "no live block";
    }

    static String range(long address, long len) {
        return "[" + hex(address) + ", " + hex(address + len) + ") (" + len + " bytes)";
    }

    static String hex(long address) {
        return "0x" + Long.toHexString(address);
    }

    // ---- registration ------------------------------------------------------------------------

    /** Registers a slab page of {@link SlabAllocator#PAGE_SIZE} bytes at {@code base}, all free. */
    static void addPage(long base) {
        add(new Page(base));
    }

    /** Registers a standalone live block (a large block or a raw allocation). */
    static void addStandalone(long address, long size, boolean raw) {
        add(new Standalone(address, size, raw));
    }

    /**
     * Unregisters the region at {@code base}.
     *
     * @return the region removed, or {@code null} if none starts there
     */
    static Region remove(long base) {
        synchronized (LOCK) {
            Regions cur = regions;
            int at = Arrays.binarySearch(cur.bases, base);
            if (at < 0) {
                return null;
            }
            Region gone = cur.regions[at];
            gone.removed = true; // before it leaves the array: a cached copy is dropped from now on
            int n = cur.bases.length;
            long[] bases = new long[n - 1];
            Region[] rs = new Region[n - 1];
            System.arraycopy(cur.bases, 0, bases, 0, at);
            System.arraycopy(cur.regions, 0, rs, 0, at);
            System.arraycopy(cur.bases, at + 1, bases, at, n - at - 1);
            System.arraycopy(cur.regions, at + 1, rs, at, n - at - 1);
            regions = new Regions(bases, rs);
            return gone;
        }
    }

    /** @return the standalone raw block at exactly {@code address}, or {@code null} */
    static Standalone rawBlock(long address) {
        Region r = find(address);
        return r instanceof Standalone && r.base == address && ((Standalone) r).raw ? (Standalone) r : null;
    }

    /** Marks a slab block live with its requested size; {@code blockSize} is its class size. */
    static void markBlock(long address, long requested, int blockSize) {
        Page p = pageOf(address);
        int slot = (int) ((address - p.base) >>> 3);
        int[] marks = p.marks;
        marks[slot] = -(int) requested - 1;
        for (int k = 1, n = blockSize >>> 3; k < n; k++) {
            marks[slot + k] = k;
        }
    }

    /** Changes a live slab block's requested size within its class (an in-place resize). */
    static void resizeBlock(long address, long requested) {
        Page p = pageOf(address);
        p.marks[(int) ((address - p.base) >>> 3)] = -(int) requested - 1;
    }

    /** Marks a slab block's slots free. */
    static void unmarkBlock(long address, int blockSize) {
        Page p = pageOf(address);
        int slot = (int) ((address - p.base) >>> 3);
        Arrays.fill(p.marks, slot, slot + (blockSize >>> 3), 0);
    }

    private static Page pageOf(long address) {
        Region r = find(address);
        if (!(r instanceof Page) || address - r.base >= Page.SIZE) {
            throw new IllegalStateException("not in a registered slab page: " + hex(address));
        }
        return (Page) r;
    }

    private static void add(Region region) {
        synchronized (LOCK) {
            Regions cur = regions;
            int at = Arrays.binarySearch(cur.bases, region.base);
            if (at >= 0) {
                throw new IllegalStateException("region registered twice: " + hex(region.base));
            }
            at = -at - 1;
            int n = cur.bases.length;
            long[] bases = new long[n + 1];
            Region[] rs = new Region[n + 1];
            System.arraycopy(cur.bases, 0, bases, 0, at);
            System.arraycopy(cur.regions, 0, rs, 0, at);
            bases[at] = region.base;
            rs[at] = region;
            System.arraycopy(cur.bases, at, bases, at + 1, n - at);
            System.arraycopy(cur.regions, at, rs, at + 1, n - at);
            regions = new Regions(bases, rs);
        }
    }

    /**
     * @return the region containing {@code address}, or else the region with the greatest base
     *     below it, or {@code null}
     */
    private static Region find(long address) {
        int granule = (int) (address >>> 20) & (RECENT.length - 1);
        Region r = RECENT[granule];
        if (r != null && address - r.base >= 0 && address - r.base < r.span && !r.removed) {
            return r;
        }
        return searchAndRemember(address, granule);
    }

    private static Region searchAndRemember(long address, int granule) {
        Region r = search(address);
        if (r != null && address - r.base < r.span) {
            RECENT[granule] = r;
        }
        return r;
    }

    /** @return the region with the greatest base at or below {@code address}, or {@code null} */
    private static Region search(long address) {
        Regions cur = regions;
        long[] bases = cur.bases;
        int lo = 0;
        int hi = bases.length - 1;
        int at = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (bases[mid] <= address) {
                at = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return at < 0 ? null : cur.regions[at];
    }

    /** An immutable snapshot of the registered regions, sorted by base. */
    private static final class Regions {
        final long[] bases;
        final Region[] regions;

        Regions(long[] bases, Region[] regions) {
            this.bases = bases;
            this.regions = regions;
        }
    }

    abstract static class Region {
        final long base;
        /** Bytes from {@link #base} the region covers. */
        final long span;
        /** Set when unregistered, so a stale {@link #RECENT} entry is not trusted. */
        volatile boolean removed;

        Region(long base, long span) {
            this.base = base;
            this.span = span;
        }
    }

    /** A slab page: per 8-byte slot, 0 (free), -(requested+1) (block start) or distance to the start. */
    static final class Page extends Region {
        static final int SIZE = SlabAllocator.PAGE_SIZE;
        final int[] marks = new int[SIZE >>> 3];

        Page(long base) {
            super(base, SIZE);
        }
    }

    /** One block with its own system allocation. */
    static final class Standalone extends Region {
        final long size;
        /** Allocated by {@link NativeMemory#allocate} directly rather than by an allocator. */
        final boolean raw;

        Standalone(long base, long size, boolean raw) {
            super(base, size);
            this.size = size;
            this.raw = raw;
        }
    }
}
