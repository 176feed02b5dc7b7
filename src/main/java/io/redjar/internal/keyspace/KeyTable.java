package io.redjar.internal.keyspace;

import io.redjar.internal.memory.NativeMemory;
import io.redjar.internal.memory.SlabAllocator;

import java.util.function.LongConsumer;

/**
 * The keys of one database within one shard: an open-addressing hash table of entry refs.
 *
 * <p>Design: two parallel power-of-two arrays, five bytes a slot. {@code refs} holds each entry's
 * 32-bit {@link SlabAllocator} ref (0 empty, 1 deleted); {@code tags} holds the top 8 bits of the
 * key's 64-bit hash, which rejects 255 of 256 non-matching probes without touching native memory.
 * Linear probing; deletion leaves a tombstone, so an entry never moves except when the whole table
 * is rebuilt. The table grows when live plus dead slots pass 3/4 and shrinks when live slots fall
 * under 1/10 (Redis's {@code HASHTABLE_MIN_FILL}); a rebuild rehashes the keys from native memory.
 * Only {@link #insert} and {@link #maybeShrink} rebuild, so a slot number stays valid until the
 * holder itself inserts or shrinks.
 *
 * <pre>
 *   refs: | ref 0 | ref 1 | ref 2 | ...   int[capacity]   (0 = empty, 1 = tombstone)
 *   tags: |  t0   |  t1   |  t2   | ...   byte[capacity]  (hash >>> 56)
 *   home bucket of a key = spread(hash) &amp; (capacity - 1)
 * </pre>
 *
 * <p>{@code spread} mixes the key's hash with a seed of this table (a different one for every
 * table, every JVM, and again when it is emptied), so that the iteration order of one table says nothing
 * about the home buckets of another. Without it, loading keys in another table's slot order (an
 * RDB file, a rebuild of a copy) lands each key right behind the previous one: linear probing
 * then builds runs as long as the table, and a 10M-key load took six times longer than the same
 * SETs in random order.
 *
 * <p>SCAN: every entry whose home bucket is {@code b} sits in the run of non-empty slots that
 * starts at {@code b} (tombstones never break a run, and only rebuilds empty a slot). So
 * {@link #scanBucket} can return exactly the entries of one home bucket, and the cursor walks home
 * buckets in Redis's reverse-binary order. Because the table size is a power of two, this gives
 * Redis's guarantee: every key present for the whole iteration is returned at least once, even if
 * the table grows or shrinks between calls.
 *
 * <p>This class is the structure only (like Redis's {@code dict}); expiry, LRU and type rules live
 * in {@link Keyspace}. It owns its entries' memory: {@link #deleteAt} frees the block and, through
 * the type's {@link ValueStructures}, what the value references.
 *
 * <p><b>Thread-safety:</b> not thread-safe; guarded by its {@link Shard}'s lock.
 */
public final class KeyTable {
    /** Smallest table. */
    static final int MIN_CAPACITY = 8;
    private static final int EMPTY = 0;
    private static final int TOMBSTONE = 1;

    private final SlabAllocator allocator;
    private final ValueStructures[] structures;
    private int[] refs = new int[MIN_CAPACITY];
    private byte[] tags = new byte[MIN_CAPACITY];
    /**
     * One bit per slot: set where the entry carries an expire time, so that volatile eviction
     * policies find keys with a TTL by skipping 64 slots a word even when few have one.
     */
    private long[] ttlBits = new long[1];
    private int mask = MIN_CAPACITY - 1;
    /** Mixed into every home bucket; changes only while the table is empty. */
    private long seed = nextSeed();
    private int size;
    private int dead;
    private int expires;
    /** Position of the active-expiry sweep. */
    int sweepCursor;

    KeyTable(SlabAllocator allocator) {
        this(allocator, Keyspace.inlineOnly());
    }

    KeyTable(SlabAllocator allocator, ValueStructures[] structures) {
        this.allocator = allocator;
        this.structures = structures;
        allocator.accountHeap(tableBytes());
    }

    /**
     * Random per JVM (two processes with the same shard layout must not share seeds: a dump written
     * by one is loaded by the other), unless {@code -Dredjar.tableSeed=N} fixes it to reproduce a
     * layout.
     */
    private static final java.util.concurrent.atomic.AtomicLong SEEDS = new java.util.concurrent.atomic.AtomicLong(
        Long.getLong("redjar.tableSeed", new java.util.SplittableRandom().nextLong()));

    /** Different for every table (and every emptying of one). */
    private static long nextSeed() {
        long z = SEEDS.addAndGet(0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** @return the value whose low bits are {@code hash}'s home bucket in this table */
    private int spread(long hash) {
        long h = (hash ^ seed) * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }

    /** @return the spread hash of entry {@code e}'s key: its home bucket is this masked (tests) */
    int spreadOf(long e) {
        return spread(hashOf(e));
    }

    private static byte tag(long hash) {
        return (byte) (hash >>> 56);
    }

    /** @return the number of live keys. */
    public int size() {
        return size;
    }

    /** @return the number of live keys that carry an expire time. */
    public int expires() {
        return expires;
    }

    /** @return the slot array length. */
    public int capacity() {
        return refs.length;
    }

    /** Bytes one slot takes in the two slot arrays. */
    public static final int SLOT_BYTES = 5;

    /** @return bytes used by the two slot arrays (on the heap). */
    public long tableBytes() {
        return (long) SLOT_BYTES * refs.length + 32;
    }

    /** @return the entry address in {@code slot}. */
    public long entry(int slot) {
        return allocator.address(refs[slot]);
    }

    /** @return the entry ref in {@code slot}. */
    public int ref(int slot) {
        return refs[slot];
    }

    /** @return the slot holding {@code key}, or -1. Ignores expiry. */
    public int find(byte[] key, int off, int len, long hash) {
        int[] r = refs;
        byte[] g = tags;
        int m = mask;
        byte t = tag(hash);
        int i = spread(hash) & m;
        while (true) {
            int v = r[i];
            if (v == EMPTY) {
                return -1;
            }
            if (g[i] == t && v != TOMBSTONE && EntryDescriptor.keyEquals(allocator.address(v), key, off, len)) {
                return i;
            }
            i = (i + 1) & m;
        }
    }

    /**
     * Adds an entry whose key is known to be absent. May rebuild the table, so slot numbers taken
     * before the call are invalid after it.
     *
     * @return the slot it went into
     */
    public int insert(long hash, int ref) {
        if ((size + dead + 1) * 4L > refs.length * 3L) {
            rebuild(capacityFor(size + 1));
        }
        int i = place(refs, tags, mask, hash, ref);
        size++;
        if (EntryDescriptor.hasExpire(allocator.address(ref))) {
            expires++;
            setTtlBit(i, true);
        }
        return i;
    }

    private int place(int[] r, byte[] g, int m, long hash, int ref) {
        int i = spread(hash) & m;
        while (true) {
            int v = r[i];
            if (v == EMPTY || v == TOMBSTONE) {
                if (v == TOMBSTONE && r == refs) {
                    dead--;
                }
                r[i] = ref;
                g[i] = tag(hash);
                return i;
            }
            i = (i + 1) & m;
        }
    }

    /**
     * Points {@code slot} at a new block for the same key (after the entry was rewritten
     * elsewhere), keeping the expires count right.
     */
    void replaceRef(int slot, int newRef, boolean hadExpire, boolean hasExpire) {
        if (hadExpire != hasExpire) {
            expires += hasExpire ? 1 : -1;
            setTtlBit(slot, hasExpire);
        }
        refs[slot] = newRef;
    }

    /** Records that the entry in place at {@code slot} gained or lost its expire flag. */
    void expireFlagChanged(int slot, boolean nowHasExpire) {
        expires += nowHasExpire ? 1 : -1;
        setTtlBit(slot, nowHasExpire);
    }

    private void setTtlBit(int slot, boolean on) {
        if (on) {
            ttlBits[slot >>> 6] |= 1L << slot;
        } else {
            ttlBits[slot >>> 6] &= ~(1L << slot);
        }
    }

    /** Removes the entry at {@code slot} and frees its block and whatever its value references. */
    public void deleteAt(int slot) {
        release(entry(slot));
        dropAt(slot);
    }

    /**
     * Removes the entry at {@code slot} and frees its block, but not the structures its value
     * references: they now belong to another entry (RENAME within a shard).
     */
    public void dropAt(int slot) {
        long len = EntryDescriptor.totalLength(entry(slot));
        allocator.freeRef(detachAt(slot), len);
    }

    private void release(long e) {
        int type = EntryDescriptor.type(e);
        if (type != 0) {
            structures[type].releaseEntry(allocator, e);
        }
    }

    /**
     * Removes the entry at {@code slot} without freeing it (it moves to another table of the same
     * shard).
     *
     * @return the entry ref
     */
    public int detachAt(int slot) {
        int ref = refs[slot];
        refs[slot] = TOMBSTONE;
        size--;
        dead++;
        if (EntryDescriptor.hasExpire(allocator.address(ref))) {
            expires--;
            setTtlBit(slot, false);
        }
        return ref;
    }

    /**
     * Shrinks the table if live slots fell under 1/10 of it. Deletion never shrinks by itself, so
     * slot numbers a command holds stay valid across lookups that lazily expire other keys; the
     * keyspace calls this once a command's own deletes are done.
     */
    public void maybeShrink() {
        if (refs.length > MIN_CAPACITY && size * 10L < refs.length) {
            rebuild(capacityFor(size));
        }
    }

    /** Frees every entry and resets the table. */
    public void clear() {
        for (int v : refs) {
            if (v != EMPTY && v != TOMBSTONE) {
                long e = allocator.address(v);
                release(e);
                allocator.freeRef(v, EntryDescriptor.totalLength(e));
            }
        }
        long before = tableBytes();
        refs = new int[MIN_CAPACITY];
        tags = new byte[MIN_CAPACITY];
        ttlBits = new long[1];
        allocator.accountHeap(tableBytes() - before);
        mask = MIN_CAPACITY - 1;
        seed = nextSeed(); // empty now: no SCAN can be continued across this
        size = 0;
        dead = 0;
        expires = 0;
        sweepCursor = 0;
    }

    private static int capacityFor(int n) {
        int cap = MIN_CAPACITY;
        while (cap * 3L < n * 4L + 4L) {
            if (cap == 1 << 30) { // one more doubling would wrap to a negative capacity
                throw new IllegalStateException("too many keys in one shard's database (use more shards)");
            }
            cap <<= 1;
        }
        return cap;
    }

    private void rebuild(int capacity) {
        int[] old = refs;
        int[] fresh = new int[capacity];
        byte[] freshTags = new byte[capacity];
        long[] freshTtl = new long[(capacity + 63) >>> 6];
        int m = capacity - 1;
        for (int v : old) {
            if (v != EMPTY && v != TOMBSTONE) {
                long e = allocator.address(v);
                int i = place(fresh, freshTags, m, hashOf(e), v);
                if (EntryDescriptor.hasExpire(e)) {
                    freshTtl[i >>> 6] |= 1L << i;
                }
            }
        }
        long before = tableBytes();
        refs = fresh;
        tags = freshTags;
        ttlBits = freshTtl;
        mask = m;
        dead = 0;
        allocator.accountHeap(tableBytes() - before);
    }

    /** @return the hash of the key stored in entry {@code e}. */
    static long hashOf(long e) {
        return NativeMemory.hash(null, EntryDescriptor.keyAddress(e), EntryDescriptor.keyLength(e));
    }

    /**
     * Visits the entries whose home bucket is {@code cursor & mask} and returns the next cursor in
     * Redis's reverse-binary order (0 when the table has been covered).
     */
    public long scanBucket(long cursor, LongConsumer visitor) {
        int m = mask;
        int b = (int) (cursor & m);
        int i = b;
        while (true) {
            int v = refs[i];
            if (v == EMPTY) {
                break;
            }
            if (v != TOMBSTONE) {
                long e = allocator.address(v);
                if ((spread(hashOf(e)) & m) == b) {
                    visitor.accept(e);
                }
            }
            i = (i + 1) & m;
            if (i == b) {
                break;
            }
        }
        long v = cursor | ~(long) m;
        v = Long.reverse(v);
        v++;
        return Long.reverse(v);
    }

    /** @return the slot of a live entry chosen at random, or -1 if the table is empty. */
    public int randomSlot(java.util.random.RandomGenerator random) {
        if (size == 0) {
            return -1;
        }
        int m = mask;
        while (true) {
            int i = random.nextInt(refs.length);
            if (isLive(i)) {
                return i;
            }
            // mostly-empty tables are shrunk, so this loop ends quickly
            for (int k = 1; k <= 16; k++) {
                if (isLive((i + k) & m)) {
                    return (i + k) & m;
                }
            }
        }
    }

    /**
     * Redis's {@code dictGetSomeKeys} for eviction: up to {@code out.length} live slots, chosen at
     * random. With {@code withTtlOnly}, only slots whose entry has an expire time: they are found
     * through a per-slot bit set walked a word (64 slots) at a time from a random position, so a
     * table where few keys have a TTL is sampled without probing every slot.
     *
     * @return how many slots were written to {@code out} (0 when there is no candidate)
     */
    public int sample(java.util.random.RandomGenerator random, boolean withTtlOnly, int[] out) {
        if (!withTtlOnly) {
            if (size == 0) {
                return 0;
            }
            for (int k = 0; k < out.length; k++) {
                out[k] = randomSlot(random);
            }
            return out.length;
        }
        if (expires == 0) {
            return 0;
        }
        long[] bits = ttlBits;
        int words = bits.length;
        int w = random.nextInt(words);
        int n = 0;
        for (int visited = 0; visited <= words && n < out.length; visited++, w = (w + 1) == words ? 0 : w + 1) {
            long word = bits[w];
            if (visited == 0) {
                word &= -1L << random.nextInt(64); // start inside the first word at a random bit
            }
            while (word != 0 && n < out.length) {
                out[n++] = (w << 6) + Long.numberOfTrailingZeros(word);
                word &= word - 1;
            }
        }
        return n;
    }

    /** @return whether the TTL bit of {@code slot} is set (integrity checks) */
    boolean ttlBit(int slot) {
        return (ttlBits[slot >>> 6] & (1L << slot)) != 0;
    }

    /** @return whether {@code slot} holds a live entry. */
    public boolean isLive(int slot) {
        int v = refs[slot];
        return v != EMPTY && v != TOMBSTONE;
    }

    /** Calls {@code visitor} with every live entry address. The visitor must not modify the table. */
    public void forEach(LongConsumer visitor) {
        for (int v : refs) {
            if (v != EMPTY && v != TOMBSTONE) {
                visitor.accept(allocator.address(v));
            }
        }
    }
}
