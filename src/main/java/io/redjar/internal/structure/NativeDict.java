package io.redjar.internal.structure;

import io.redjar.internal.memory.NativeMemory;
import io.redjar.internal.memory.SizeClasses;
import io.redjar.internal.memory.SlabAllocator;

import java.util.function.LongConsumer;
import java.util.random.RandomGenerator;

import static io.redjar.internal.structure.NativeDictDescriptor.CAPACITY_OFFSET;
import static io.redjar.internal.structure.NativeDictDescriptor.DEAD_OFFSET;
import static io.redjar.internal.structure.NativeDictDescriptor.SIZE_OFFSET;
import static io.redjar.internal.structure.NativeDictDescriptor.SLOTS_OFFSET;

/**
 * An off-heap hash table from byte-string keys to records: the member index of a large sorted set
 * (member to skip list node), the fields of a large hash (field to field+value record) and the
 * members of a large set (member to member record). The 8-byte payload of each entry is the
 * record's address; the key bytes live in the record and a {@link RecordLayout} says where.
 *
 * <p>Design: the same table as the keyspace's {@code KeyTable}, moved off-heap. A dict is a 24-byte
 * native root ({@link NativeDictDescriptor}) pointing at a power-of-two slot array, both taken from
 * the shard's {@link SlabAllocator} so that the allocator's {@code usedBytes} accounts for them
 * (arrays above 64 KiB become the allocator's dedicated system blocks) and a keyspace entry can hold
 * the dict as one address. Each live slot packs the top 16 bits of the key's 64-bit hash (a
 * fingerprint that rejects almost every non-matching probe without reading the record) with the
 * 48-bit record address. Linear probing; deletion leaves a tombstone, so records never move except
 * when the whole table is rebuilt. The table grows when live plus dead slots pass 3/4 and shrinks
 * when live slots fall under 1/10; a rebuild rehashes the keys from their records. Only
 * {@link #insert} and {@link #maybeShrink} rebuild, so a slot number stays valid until the caller
 * itself inserts or shrinks (call {@link #maybeShrink} once a command's deletions are done).
 *
 * <p>SCAN: every record whose home bucket is {@code b} sits in the run of non-empty slots that
 * starts at {@code b} (tombstones never break a run; only rebuilds empty slots), so
 * {@link #scanBucket} returns exactly one home bucket's records and the cursor walks home buckets
 * in Redis's reverse-binary order. With power-of-two sizes this keeps Redis's guarantee: a key
 * present for the whole scan is returned at least once, even if the table grows or shrinks
 * between calls.
 *
 * <p>Ownership: with {@code ownsRecords} the dict frees records on {@link #deleteAt} and
 * {@link #free} (sets and hashes); without it (a sorted set's index, whose records are the skip
 * list's nodes) it only detaches them.
 *
 * <p><b>Thread-safety:</b> not thread-safe; one instance per shard and record kind, used under the
 * shard's lock. The instance holds no dict, only the allocator and the layout.
 */
public final class NativeDict {
    /** Smallest slot array. */
    public static final int MIN_CAPACITY = 8;
    /** Largest slot array (2^30 slots, 8 GiB). */
    public static final int MAX_CAPACITY = 1 << 30;
    private static final long FP_MASK = 0xFFFF_0000_0000_0000L;
    private static final long ADDR_MASK = ~FP_MASK;
    private static final long TOMBSTONE = 1L;

    /** Where a record keeps its key. */
    public interface RecordLayout {
        /** @return the address of the key bytes of {@code record} */
        long keyAddress(long record);

        /** @return the key length of {@code record} */
        int keyLength(long record);

        /** @return the size {@code record} was allocated with */
        long recordSize(long record);
    }

    private final SlabAllocator allocator;
    private final RecordLayout layout;
    private final boolean ownsRecords;

    /**
     * @param allocator   the shard's allocator, for roots, slot arrays and (when owned) records
     * @param layout      how to find a record's key
     * @param ownsRecords whether {@link #deleteAt} and {@link #free} free the records
     */
    public NativeDict(SlabAllocator allocator, RecordLayout layout, boolean ownsRecords) {
        this.allocator = allocator;
        this.layout = layout;
        this.ownsRecords = ownsRecords;
    }

    /** @return the 64-bit hash this dict uses for {@code key[off..off+len)}. */
    public static long hash(byte[] key, int off, int len) {
        return NativeMemory.hash(key, off, len);
    }

    /** @return the hash of the whole array. */
    public static long hash(byte[] key) {
        return NativeMemory.hash(key, 0, key.length);
    }

    // ------------------------------------------------------------------ lifecycle

    /** @return the root of a new empty dict. */
    public long create() {
        return create(0);
    }

    /** @return the root of a new empty dict sized for {@code expected} records without growing. */
    public long create(int expected) {
        long d = allocator.allocate(NativeDictDescriptor.ROOT_SIZE);
        int cap = capacityFor(expected);
        NativeMemory.putLong(d + SLOTS_OFFSET, newSlots(cap));
        NativeMemory.putInt(d + CAPACITY_OFFSET, cap);
        NativeMemory.putInt(d + SIZE_OFFSET, 0);
        NativeMemory.putInt(d + DEAD_OFFSET, 0);
        NativeMemory.putInt(d + 20, 0);
        return d;
    }

    /** Frees the slot array, the root and, when owned, every record; {@code dict} is invalid after. */
    public void free(long dict) {
        long s = slots(dict);
        int cap = capacity(dict);
        if (ownsRecords) {
            for (int i = 0; i < cap; i++) {
                long v = NativeMemory.getLong(s + 8L * i);
                if (v != 0 && v != TOMBSTONE) {
                    long r = v & ADDR_MASK;
                    allocator.free(r, layout.recordSize(r));
                }
            }
        }
        allocator.free(s, 8L * cap);
        allocator.free(dict, NativeDictDescriptor.ROOT_SIZE);
    }

    private long newSlots(int cap) {
        long s = allocator.allocate(8L * cap);
        NativeMemory.fill(s, 8L * cap, (byte) 0);
        return s;
    }

    // ------------------------------------------------------------------ header

    private static long slots(long dict) {
        return NativeMemory.getLong(dict + SLOTS_OFFSET);
    }

    /** @return the number of live records. */
    public static int size(long dict) {
        return NativeMemory.getInt(dict + SIZE_OFFSET);
    }

    /** @return the slot array length. */
    public static int capacity(long dict) {
        return NativeMemory.getInt(dict + CAPACITY_OFFSET);
    }

    /** @return the number of tombstones. */
    public static int dead(long dict) {
        return NativeMemory.getInt(dict + DEAD_OFFSET);
    }

    /** @return allocator bytes of the root and the slot array (records not included). */
    public static long tableBytes(long dict) {
        return SizeClasses.blockSize(NativeDictDescriptor.ROOT_SIZE) + SizeClasses.blockSize(8L * capacity(dict));
    }

    private static long slot(long dict, int i) {
        return NativeMemory.getLong(slots(dict) + 8L * i);
    }

    /** @return the record in {@code slot}. */
    public static long record(long dict, int slot) {
        return slot(dict, slot) & ADDR_MASK;
    }

    /** @return whether {@code slot} holds a live record. */
    public static boolean isLive(long dict, int slot) {
        long v = slot(dict, slot);
        return v != 0 && v != TOMBSTONE;
    }

    // ------------------------------------------------------------------ lookup

    /** @return the slot holding {@code key[off..off+len)}, or -1. */
    public int find(long dict, byte[] key, int off, int len) {
        return find(dict, key, NativeMemory.BYTE_ARRAY_BASE + off, len, NativeMemory.hash(key, off, len));
    }

    /** @return the slot holding {@code key[off..off+len)} whose hash is {@code hash}, or -1. */
    public int find(long dict, byte[] key, int off, int len, long hash) {
        return find(dict, key, NativeMemory.BYTE_ARRAY_BASE + off, len, hash);
    }

    /**
     * @param base   a {@code byte[]} (with {@link NativeMemory#BYTE_ARRAY_BASE}-relative offset) or
     *               null (native address)
     * @param hash   {@code NativeMemory.hash(base, offset, len)}
     * @return the slot holding the key, or -1
     */
    public int find(long dict, Object base, long offset, int len, long hash) {
        long s = slots(dict);
        int m = capacity(dict) - 1;
        long fp = hash & FP_MASK;
        int i = (int) hash & m;
        RecordLayout l = layout;
        while (true) {
            long v = NativeMemory.getLong(s + 8L * i);
            if (v == 0) {
                return -1;
            }
            if ((v & FP_MASK) == fp && v != TOMBSTONE) {
                long r = v & ADDR_MASK;
                if (ByteStrings.equals(null, l.keyAddress(r), l.keyLength(r), base, offset, len)) {
                    return i;
                }
            }
            i = (i + 1) & m;
        }
    }

    /** @return the record for {@code key}, or 0. */
    public long get(long dict, byte[] key, int off, int len) {
        int slot = find(dict, key, off, len);
        return slot < 0 ? 0 : record(dict, slot);
    }

    // ------------------------------------------------------------------ update

    /**
     * Adds a record whose key is absent. May rebuild the table: slot numbers taken before are
     * invalid after.
     *
     * @param hash the hash of the record's key
     * @return the slot it went into
     */
    public int insert(long dict, long hash, long record) {
        int size = size(dict);
        int dead = dead(dict);
        int cap = capacity(dict);
        if ((size + dead + 1) * 4L > cap * 3L) {
            rebuild(dict, capacityFor(size + 1));
        }
        int i = place(dict, slots(dict), capacity(dict) - 1, hash, record, true);
        NativeMemory.putInt(dict + SIZE_OFFSET, size + 1);
        return i;
    }

    /** Adds a record whose key is absent, hashing the key from the record. */
    public int insert(long dict, long record) {
        return insert(dict, hashOf(record), record);
    }

    private static int place(long dict, long s, int m, long hash, long record, boolean live) {
        int i = (int) hash & m;
        while (true) {
            long a = s + 8L * i;
            long v = NativeMemory.getLong(a);
            if (v == 0 || v == TOMBSTONE) {
                if (v == TOMBSTONE && live) {
                    NativeMemory.putInt(dict + DEAD_OFFSET, dead(dict) - 1);
                }
                NativeMemory.putLong(a, (hash & FP_MASK) | record);
                return i;
            }
            i = (i + 1) & m;
        }
    }

    /** Points {@code slot} at a new record with the same key (a hash value rewritten elsewhere). */
    public static void replaceRecord(long dict, int slot, long record) {
        long a = slots(dict) + 8L * slot;
        NativeMemory.putLong(a, (NativeMemory.getLong(a) & FP_MASK) | record);
    }

    /**
     * Removes the record at {@code slot} without freeing it; does not shrink.
     *
     * @return the record
     */
    public static long removeAt(long dict, int slot) {
        long a = slots(dict) + 8L * slot;
        long r = NativeMemory.getLong(a) & ADDR_MASK;
        NativeMemory.putLong(a, TOMBSTONE);
        NativeMemory.putInt(dict + SIZE_OFFSET, size(dict) - 1);
        NativeMemory.putInt(dict + DEAD_OFFSET, dead(dict) + 1);
        return r;
    }

    /** Removes and frees the record at {@code slot} (owning dicts only); does not shrink. */
    public void deleteAt(long dict, int slot) {
        if (!ownsRecords) {
            throw new IllegalStateException("this dict does not own its records");
        }
        long r = removeAt(dict, slot);
        allocator.free(r, layout.recordSize(r));
    }

    /**
     * Shrinks the table if live records fell under 1/10 of it (slot numbers are invalid after).
     *
     * @return whether it shrank
     */
    public boolean maybeShrink(long dict) {
        int cap = capacity(dict);
        int size = size(dict);
        if (cap > MIN_CAPACITY && size * 10L < cap) {
            rebuild(dict, capacityFor(size));
            return true;
        }
        return false;
    }

    private static int capacityFor(int n) {
        int cap = MIN_CAPACITY;
        while (cap * 3L < n * 4L + 4L) {
            if (cap == MAX_CAPACITY) {
                throw new IllegalStateException("dict too large");
            }
            cap <<= 1;
        }
        return cap;
    }

    private void rebuild(long dict, int capacity) {
        long old = slots(dict);
        int oldCap = capacity(dict);
        long fresh = newSlots(capacity);
        int m = capacity - 1;
        for (int i = 0; i < oldCap; i++) {
            long v = NativeMemory.getLong(old + 8L * i);
            if (v != 0 && v != TOMBSTONE) {
                long r = v & ADDR_MASK;
                place(dict, fresh, m, hashOf(r), r, false);
            }
        }
        allocator.free(old, 8L * oldCap);
        NativeMemory.putLong(dict + SLOTS_OFFSET, fresh);
        NativeMemory.putInt(dict + CAPACITY_OFFSET, capacity);
        NativeMemory.putInt(dict + DEAD_OFFSET, 0);
    }

    /** @return the hash of the key stored in {@code record}. */
    public long hashOf(long record) {
        return NativeMemory.hash(null, layout.keyAddress(record), layout.keyLength(record));
    }

    // ------------------------------------------------------------------ iteration

    /**
     * Visits the records whose home bucket is {@code cursor & (capacity - 1)} and returns the next
     * cursor in Redis's reverse-binary order (0 when the table has been covered). The visitor must
     * not modify the dict.
     */
    public long scanBucket(long dict, long cursor, LongConsumer visitor) {
        long s = slots(dict);
        int m = capacity(dict) - 1;
        int b = (int) (cursor & m);
        int i = b;
        while (true) {
            long v = NativeMemory.getLong(s + 8L * i);
            if (v == 0) {
                break;
            }
            if (v != TOMBSTONE) {
                long r = v & ADDR_MASK;
                if (((int) hashOf(r) & m) == b) {
                    visitor.accept(r);
                }
            }
            i = (i + 1) & m;
            if (i == b) {
                break;
            }
        }
        long c = cursor | ~(long) m;
        c = Long.reverse(c);
        c++;
        return Long.reverse(c);
    }

    /**
     * Picks a live record uniformly at random (rejection sampling over slots; a table kept above
     * 1/10 full by {@link #maybeShrink} needs about ten draws at worst). Exactly uniform, where
     * Redis's {@code dictGetFairRandomKey} is only close to it.
     *
     * @return its slot, or -1 when empty
     */
    public static int randomSlot(long dict, RandomGenerator random) {
        if (size(dict) == 0) {
            return -1;
        }
        long s = slots(dict);
        int cap = capacity(dict);
        while (true) {
            int i = random.nextInt(cap);
            long v = NativeMemory.getLong(s + 8L * i);
            if (v != 0 && v != TOMBSTONE) {
                return i;
            }
        }
    }

    /** Calls {@code visitor} with every live record. The visitor must not modify the dict. */
    public static void forEach(long dict, LongConsumer visitor) {
        long s = slots(dict);
        int cap = capacity(dict);
        for (int i = 0; i < cap; i++) {
            long v = NativeMemory.getLong(s + 8L * i);
            if (v != 0 && v != TOMBSTONE) {
                visitor.accept(v & ADDR_MASK);
            }
        }
    }

    // ------------------------------------------------------------------ validation

    /**
     * Checks the table (for tests and integrity checks): a power-of-two capacity, live and dead
     * counts that match the slots, the load limit, every live slot's fingerprint, every record
     * reachable by probing from its home bucket, and no key stored twice. Reports the root, the slot
     * array and, when {@code ownsRecords}, every record to {@code blocks} (may be null).
     *
     * @throws IllegalStateException describing the first problem found
     */
    public static void validate(long dict, RecordLayout layout, boolean ownsRecords, BlockVisitor blocks) {
        int cap = capacity(dict);
        if (cap < MIN_CAPACITY || cap > MAX_CAPACITY || Integer.bitCount(cap) != 1) {
            throw new IllegalStateException("dict capacity " + cap + " is not a power of two in range");
        }
        long s = slots(dict);
        int live = 0;
        int tombstones = 0;
        for (int i = 0; i < cap; i++) {
            long v = NativeMemory.getLong(s + 8L * i);
            if (v == 0) {
                continue;
            }
            if (v == TOMBSTONE) {
                tombstones++;
                continue;
            }
            live++;
            long r = v & ADDR_MASK;
            if (r == 0 || (r & 7) != 0) {
                throw new IllegalStateException("dict slot " + i + " holds a bad record address " + Long.toHexString(r));
            }
            long h = NativeMemory.hash(null, layout.keyAddress(r), layout.keyLength(r));
            if ((h & FP_MASK) != (v & FP_MASK)) {
                throw new IllegalStateException("dict slot " + i + ": fingerprint does not match the record's key");
            }
            // probing from the home bucket must reach this slot without an empty slot or an equal key before it
            int j = (int) h & (cap - 1);
            while (j != i) {
                long w = NativeMemory.getLong(s + 8L * j);
                if (w == 0) {
                    throw new IllegalStateException("dict slot " + i + " unreachable: empty slot " + j + " on its probe path");
                }
                if (w != TOMBSTONE && (w & FP_MASK) == (v & FP_MASK)) {
                    long o = w & ADDR_MASK;
                    if (ByteStrings.equals(null, layout.keyAddress(o), layout.keyLength(o),
                        null, layout.keyAddress(r), layout.keyLength(r))) {
                        throw new IllegalStateException("dict key stored twice, slots " + j + " and " + i);
                    }
                }
                j = (j + 1) & (cap - 1);
            }
            if (ownsRecords && blocks != null) {
                blocks.block(r, layout.recordSize(r));
            }
        }
        if (live != size(dict) || tombstones != dead(dict)) {
            throw new IllegalStateException("dict counts size " + size(dict) + " dead " + dead(dict)
                + " != slots " + live + " live, " + tombstones + " tombstones");
        }
        if ((live + tombstones) * 4L > cap * 3L) {
            throw new IllegalStateException("dict over its load limit: " + (live + tombstones) + " used of " + cap);
        }
        if (live + tombstones == cap) {
            throw new IllegalStateException("dict has no empty slot");
        }
        if (blocks != null) {
            blocks.block(s, 8L * cap);
            blocks.block(dict, NativeDictDescriptor.ROOT_SIZE);
        }
    }
}
