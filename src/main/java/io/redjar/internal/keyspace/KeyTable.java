package io.redjar.internal.keyspace;

import io.redjar.internal.memory.NativeMemory;
import io.redjar.internal.memory.SlabAllocator;

import java.util.function.LongConsumer;

/**
 * The keys of one database within one shard: an open-addressing hash table of entry addresses.
 *
 * <p>Design: a power-of-two {@code long[]}; each live slot packs the top 16 bits of the key's
 * 64-bit hash (a fingerprint that rejects almost every non-matching probe without touching native
 * memory) with the 48-bit address of the entry ({@link EntryDescriptor}). Linear probing; deletion
 * leaves a tombstone, so an entry never moves except when the whole table is rebuilt. The table
 * grows when live plus dead slots pass 3/4 and shrinks when live slots fall under 1/10 (Redis's
 * {@code HASHTABLE_MIN_FILL}); a rebuild rehashes the keys from native memory. Only
 * {@link #insert} and {@link #maybeShrink} rebuild, so a slot number stays valid until the holder
 * itself inserts or shrinks.
 *
 * <p>SCAN: every entry whose home bucket is {@code b} sits in the run of non-empty slots that
 * starts at {@code b} (tombstones never break a run, and only rebuilds empty a slot). So
 * {@link #scanBucket} can return exactly the entries of one home bucket, and the cursor walks home
 * buckets in Redis's reverse-binary order. Because the table size is a power of two, this gives
 * Redis's guarantee: every key present for the whole iteration is returned at least once, even if
 * the table grows or shrinks between calls.
 *
 * <p>This class is the structure only (like Redis's {@code dict}); expiry, LRU and type rules live
 * in {@link Keyspace}. It owns its entries' memory: {@link #deleteAt} frees the block.
 *
 * <p><b>Thread-safety:</b> not thread-safe; guarded by its {@link Shard}'s lock.
 */
public final class KeyTable {
    /** Smallest table. */
    static final int MIN_CAPACITY = 8;
    private static final long FP_MASK = 0xFFFF_0000_0000_0000L;
    private static final long ADDR_MASK = ~FP_MASK;
    private static final long TOMBSTONE = 1L;

    private final SlabAllocator allocator;
    private long[] slots = new long[MIN_CAPACITY];
    private int mask = MIN_CAPACITY - 1;
    private int size;
    private int dead;
    private int expires;
    /** Position of the active-expiry sweep. */
    int sweepCursor;

    KeyTable(SlabAllocator allocator) {
        this.allocator = allocator;
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
        return slots.length;
    }

    /** @return bytes used by the slot array. */
    public long tableBytes() {
        return 8L * slots.length + 16;
    }

    /** @return the entry address in {@code slot}. */
    public long entry(int slot) {
        return slots[slot] & ADDR_MASK;
    }

    /** @return the slot holding {@code key}, or -1. Ignores expiry. */
    public int find(byte[] key, int off, int len, long hash) {
        long[] s = slots;
        int m = mask;
        long fp = hash & FP_MASK;
        int i = (int) hash & m;
        while (true) {
            long v = s[i];
            if (v == 0) {
                return -1;
            }
            if ((v & FP_MASK) == fp && v != TOMBSTONE && EntryDescriptor.keyEquals(v & ADDR_MASK, key, off, len)) {
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
    public int insert(long hash, long address) {
        if ((size + dead + 1) * 4L > slots.length * 3L) {
            rebuild(capacityFor(size + 1));
        }
        int i = place(slots, mask, hash, address);
        size++;
        if (EntryDescriptor.hasExpire(address)) {
            expires++;
        }
        return i;
    }

    private int place(long[] s, int m, long hash, long address) {
        int i = (int) hash & m;
        while (true) {
            long v = s[i];
            if (v == 0 || v == TOMBSTONE) {
                if (v == TOMBSTONE && s == slots) {
                    dead--;
                }
                s[i] = (hash & FP_MASK) | address;
                return i;
            }
            i = (i + 1) & m;
        }
    }

    /**
     * Points {@code slot} at a new block for the same key (after the entry was rewritten
     * elsewhere), keeping the expires count right.
     */
    void replaceAddress(int slot, long newAddress, boolean hadExpire, boolean hasExpire) {
        if (hadExpire != hasExpire) {
            expires += hasExpire ? 1 : -1;
        }
        slots[slot] = (slots[slot] & FP_MASK) | newAddress;
    }

    /** Records that the entry in place at {@code slot} gained or lost its expire flag. */
    void expireFlagChanged(boolean nowHasExpire) {
        expires += nowHasExpire ? 1 : -1;
    }

    /** Removes the entry at {@code slot} and frees its block. */
    public void deleteAt(int slot) {
        long e = detachAt(slot);
        allocator.free(e, EntryDescriptor.totalLength(e));
    }

    /**
     * Removes the entry at {@code slot} without freeing it (it moves to another table of the same
     * shard).
     *
     * @return the entry address
     */
    public long detachAt(int slot) {
        long e = slots[slot] & ADDR_MASK;
        slots[slot] = TOMBSTONE;
        size--;
        dead++;
        if (EntryDescriptor.hasExpire(e)) {
            expires--;
        }
        return e;
    }

    /**
     * Shrinks the table if live slots fell under 1/10 of it. Deletion never shrinks by itself, so
     * slot numbers a command holds stay valid across lookups that lazily expire other keys; the
     * keyspace calls this once a command's own deletes are done.
     */
    public void maybeShrink() {
        if (slots.length > MIN_CAPACITY && size * 10L < slots.length) {
            rebuild(capacityFor(size));
        }
    }

    /** Frees every entry and resets the table. */
    public void clear() {
        for (long v : slots) {
            if (v != 0 && v != TOMBSTONE) {
                long e = v & ADDR_MASK;
                allocator.free(e, EntryDescriptor.totalLength(e));
            }
        }
        slots = new long[MIN_CAPACITY];
        mask = MIN_CAPACITY - 1;
        size = 0;
        dead = 0;
        expires = 0;
        sweepCursor = 0;
    }

    private static int capacityFor(int n) {
        int cap = MIN_CAPACITY;
        while (cap * 3L < n * 4L + 4L) {
            cap <<= 1;
        }
        return cap;
    }

    private void rebuild(int capacity) {
        long[] old = slots;
        long[] fresh = new long[capacity];
        int m = capacity - 1;
        for (long v : old) {
            if (v != 0 && v != TOMBSTONE) {
                long e = v & ADDR_MASK;
                place(fresh, m, hashOf(e), e);
            }
        }
        slots = fresh;
        mask = m;
        dead = 0;
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
            long v = slots[i];
            if (v == 0) {
                break;
            }
            if (v != TOMBSTONE) {
                long e = v & ADDR_MASK;
                if (((int) hashOf(e) & m) == b) {
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
            int i = random.nextInt(slots.length);
            long v = slots[i];
            if (v != 0 && v != TOMBSTONE) {
                return i;
            }
            // mostly-empty tables are shrunk, so this loop ends quickly
            for (int k = 1; k <= 16; k++) {
                long w = slots[(i + k) & m];
                if (w != 0 && w != TOMBSTONE) {
                    return (i + k) & m;
                }
            }
        }
    }

    /** @return whether {@code slot} holds a live entry. */
    public boolean isLive(int slot) {
        long v = slots[slot];
        return v != 0 && v != TOMBSTONE;
    }

    /** Calls {@code visitor} with every live entry address. The visitor must not modify the table. */
    public void forEach(LongConsumer visitor) {
        for (long v : slots) {
            if (v != 0 && v != TOMBSTONE) {
                visitor.accept(v & ADDR_MASK);
            }
        }
    }
}
