package io.redjar.internal.types;

import io.redjar.internal.keyspace.KeyEvent;
import io.redjar.internal.keyspace.EntryDescriptor;
import io.redjar.internal.keyspace.Keyspace;
import io.redjar.internal.keyspace.Shard;
import io.redjar.internal.keyspace.ValueType;
import io.redjar.internal.memory.NativeMemory;
import io.redjar.internal.memory.SlabAllocator;
import io.redjar.internal.structure.Intset;
import io.redjar.internal.structure.NativeDict;
import io.redjar.internal.structure.NativeDictDescriptor;
import io.redjar.internal.util.Glob;
import io.redjar.internal.util.Numbers;
import io.redjar.internal.util.Sizes;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import static io.redjar.internal.types.SetStructures.HT_TAG;
import static io.redjar.internal.types.SetStructures.isHashtable;
import static io.redjar.internal.types.SetStructures.root;

/**
 * The set type's operations (Redis 7.0's {@code t_set.c} without the argument parsing): parsed
 * arguments in, plain values out; each call locks its keys' shards, works, propagates its effect
 * and returns.
 *
 * <p>Encodings are Redis 7.0's: {@code intset} while every member is a canonical 64-bit integer
 * ({@code string2ll}) and the count is at most {@code set-max-intset-entries}; {@code hashtable}
 * ({@link NativeDict} with {@link NativeDictDescriptor#SET_RECORDS}) from the first non-integer
 * member or the first add past the limit, never back. A new set starts as an intset when its first
 * member is an integer ({@code setTypeCreate}); the *STORE commands build the destination from an
 * empty intset, so it is an intset exactly when every result member is an integer and the count is
 * within the limit. SPOP with a count close to the set's size rebuilds the remaining members into a
 * new set, as Redis does, so that set may become an intset again. See {@link SetStructures} for the
 * value layout.
 *
 * <p><b>Thread-safety:</b> thread-safe; each call is atomic with respect to every other command.
 */
public final class SetOps {
    private static final byte[] SADD = ascii("SADD");
    private static final byte[] SREM = ascii("SREM");
    private static final byte[] SMOVE = ascii("SMOVE");
    private static final byte[] DEL = ascii("DEL");
    /** Redis's SPOP_MOVE_STRATEGY_MUL. */
    private static final int SPOP_MOVE_STRATEGY_MUL = 5;
    /** A dict handle for lookups only (find never allocates). */
    private static final NativeDict READER = new NativeDict(null, NativeDictDescriptor.SET_RECORDS, false);

    private final Keyspace ks;
    private final CollectionLimits limits;

    public SetOps(Keyspace ks, CollectionLimits limits) {
        this.ks = ks;
        this.limits = limits;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    // ---- the structure layer over one entry (caller holds the lock) ------------------------

    private static NativeDict dict(SlabAllocator a) {
        return new NativeDict(a, NativeDictDescriptor.SET_RECORDS, true);
    }

    private static void putValue(long e, long value) {
        NativeMemory.putLong(EntryDescriptor.valueAddress(e), value);
    }

    private static void putHint(long e, int hint) {
        int flags = EntryDescriptor.flags(e);
        flags = (flags & ~(0x3 << EntryDescriptor.ENC_SHIFT)) | (hint << EntryDescriptor.ENC_SHIFT);
        EntryDescriptor.setFlags(e, flags);
    }

    /** Redis caps set-max-intset-entries at 2^30. */
    private int maxIntset() {
        return Math.min(limits.setMaxIntsetEntries, 1 << 30);
    }

    /** @return the number of members of the set whose value word is {@code v} */
    static int size(long v) {
        long r = root(v);
        return isHashtable(v) ? NativeDict.size(r) : Intset.length(r);
    }

    static boolean contains(long v, byte[] m) {
        long r = root(v);
        if (isHashtable(v)) {
            return READER.find(r, m, 0, m.length) >= 0;
        }
        return Numbers.isLong(m) && Intset.contains(r, Numbers.parseLong(m));
    }

    private static byte[] recordMember(long rec) {
        return NativeMemory.toArray(NativeDictDescriptor.SET_RECORDS.keyAddress(rec),
            NativeDictDescriptor.SET_RECORDS.keyLength(rec));
    }

    /** @return every member in iteration order (ascending for an intset) */
    static List<byte[]> members(long v) {
        long r = root(v);
        if (isHashtable(v)) {
            List<byte[]> out = new ArrayList<>(NativeDict.size(r));
            NativeDict.forEach(r, rec -> out.add(recordMember(rec)));
            return out;
        }
        int n = Intset.length(r);
        List<byte[]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(Numbers.formatLong(Intset.get(r, i)));
        }
        return out;
    }

    private static byte[] randomMember(long v, ThreadLocalRandom rnd) {
        long r = root(v);
        if (isHashtable(v)) {
            return recordMember(NativeDict.record(r, NativeDict.randomSlot(r, rnd)));
        }
        return Numbers.formatLong(Intset.random(r, rnd));
    }

    /** {@code setTypeConvert(OBJ_ENCODING_HT)} in place. */
    private static void convert(SlabAllocator a, long e) {
        long is = root(SetStructures.value(e));
        int n = Intset.length(is);
        NativeDict d = dict(a);
        long root = d.create(n);
        for (int i = 0; i < n; i++) {
            byte[] m = Numbers.formatLong(Intset.get(is, i));
            d.insert(root, NativeDictDescriptor.newSetRecord(a, m, 0, m.length));
        }
        Intset.free(a, is);
        putValue(e, root | HT_TAG);
        putHint(e, 1);
    }

    /** {@code setTypeAdd}: @return whether {@code m} was added */
    private boolean add(SlabAllocator a, long e, byte[] m) {
        long v = SetStructures.value(e);
        long r = root(v);
        if (!isHashtable(v)) {
            if (Numbers.isLong(m)) {
                int before = Intset.length(r);
                long nr = Intset.add(a, r, Numbers.parseLong(m));
                if (nr != r) {
                    putValue(e, nr);
                }
                if (Intset.length(nr) == before) {
                    return false;
                }
                if (Intset.length(nr) > maxIntset()) {
                    convert(a, e);
                }
                return true;
            }
            convert(a, e);
            r = root(SetStructures.value(e));
        }
        NativeDict d = dict(a);
        long h = NativeDict.hash(m);
        if (d.find(r, m, 0, m.length, h) >= 0) {
            return false;
        }
        d.insert(r, h, NativeDictDescriptor.newSetRecord(a, m, 0, m.length));
        return true;
    }

    /** {@code setTypeRemove}: @return whether {@code m} was removed */
    private static boolean remove(SlabAllocator a, long e, byte[] m) {
        long v = SetStructures.value(e);
        long r = root(v);
        if (isHashtable(v)) {
            NativeDict d = dict(a);
            int slot = d.find(r, m, 0, m.length);
            if (slot < 0) {
                return false;
            }
            d.deleteAt(r, slot);
            d.maybeShrink(r);
            return true;
        }
        if (!Numbers.isLong(m)) {
            return false;
        }
        int before = Intset.length(r);
        long nr = Intset.remove(a, r, Numbers.parseLong(m));
        if (nr != r) {
            putValue(e, nr);
        }
        return Intset.length(nr) != before;
    }

    /** Creates an empty set under an absent key ({@code setTypeCreate} when {@code intset}). */
    private long create(Shard s, int db, byte[] key, long hash, boolean intset) {
        long root = intset ? Intset.create(s.allocator()) : dict(s.allocator()).create() | HT_TAG;
        long e = ks.allocateFor(s, db, key, hash, -1, ValueType.SET, intset ? 0 : 1, 8, Keyspace.NO_TTL);
        putValue(e, root);
        return e;
    }

    /**
     * Writes {@code members} (distinct) as the set under {@code key}, replacing whatever was there
     * and dropping its TTL (Redis's {@code setKey} of a set built from an empty intset).
     */
    private void storeSet(Shard s, int db, byte[] key, long hash, int slot, List<byte[]> members) {
        boolean intset = members.size() <= maxIntset();
        for (int i = 0; intset && i < members.size(); i++) {
            intset = Numbers.isLong(members.get(i));
        }
        SlabAllocator a = s.allocator();
        long root;
        if (intset) {
            root = Intset.create(a);
            for (byte[] m : members) {
                root = Intset.add(a, root, Numbers.parseLong(m));
            }
        } else {
            NativeDict d = dict(a);
            root = d.create(members.size());
            for (byte[] m : members) {
                d.insert(root, NativeDictDescriptor.newSetRecord(a, m, 0, m.length));
            }
            root |= HT_TAG;
        }
        long e = ks.allocateFor(s, db, key, hash, slot, ValueType.SET, intset ? 0 : 1, 8, Keyspace.NO_TTL);
        putValue(e, root);
    }

    /** {@link #find} for a read (Redis's lookupKeyRead): counts a keyspace hit or miss. */
    private long findRead(Shard s, int db, byte[] key, long now, boolean touch) {
        int slot = ks.lookupRead(s, db, key, Keyspace.hash(key), now, touch);
        if (slot < 0) {
            return 0;
        }
        long e = s.table(db).entry(slot);
        Keyspace.checkType(e, ValueType.SET);
        return e;
    }

    /** @return the entry of a live set under {@code key}, 0 when missing; WRONGTYPE otherwise */
    private long find(Shard s, int db, byte[] key, long now, boolean touch) {
        int slot = ks.lookup(s, db, key, Keyspace.hash(key), now, touch);
        if (slot < 0) {
            return 0;
        }
        long e = s.table(db).entry(slot);
        Keyspace.checkType(e, ValueType.SET);
        return e;
    }

    private static byte[][] argv(byte[] cmd, byte[] key, byte[][] rest, int from, int to) {
        byte[][] out = new byte[2 + to - from][];
        out[0] = cmd;
        out[1] = key;
        System.arraycopy(rest, from, out, 2, to - from);
        return out;
    }

    // ---- single-key commands ---------------------------------------------------------------

    /** SADD {@code members[from..]}: @return how many were added */
    public long sadd(int db, byte[] key, byte[][] members, int from) {
        Shard s = ks.shardOf(key);
        long h = Keyspace.hash(key);
        s.lock();
        try {
            int slot = ks.lookup(s, db, key, h, ks.now(), true);
            long e;
            if (slot < 0) {
                e = create(s, db, key, h, Numbers.isLong(members[from]));
            } else {
                e = s.table(db).entry(slot);
                Keyspace.checkType(e, ValueType.SET);
            }
            long added = 0;
            for (int i = from; i < members.length; i++) {
                if (add(s.allocator(), e, members[i])) {
                    added++;
                }
            }
            if (added > 0) {
                ks.propagate(db, argv(SADD, key, members, from, members.length));
                ks.modified(db, key, KeyEvent.SADD);
            }
            return added;
        } finally {
            s.unlock();
        }
    }

    /** SREM {@code members[from..]}: @return how many were removed; an emptied set is deleted */
    public long srem(int db, byte[] key, byte[][] members, int from) {
        Shard s = ks.shardOf(key);
        long h = Keyspace.hash(key);
        s.lock();
        try {
            int slot = ks.lookup(s, db, key, h, ks.now(), true);
            if (slot < 0) {
                return 0;
            }
            long e = s.table(db).entry(slot);
            Keyspace.checkType(e, ValueType.SET);
            long removed = 0;
            boolean deleted = false;
            for (int i = from; i < members.length; i++) {
                if (remove(s.allocator(), e, members[i])) {
                    removed++;
                    if (size(SetStructures.value(e)) == 0) {
                        ks.delete(s, db, slot);
                        deleted = true;
                        break;
                    }
                }
            }
            if (removed > 0) {
                ks.propagate(db, argv(SREM, key, members, from, members.length));
                ks.modified(db, key, KeyEvent.SREM);
                if (deleted) {
                    ks.modified(db, key, KeyEvent.DEL);
                }
            }
            return removed;
        } finally {
            s.unlock();
        }
    }

    /** SCARD. */
    public long scard(int db, byte[] key) {
        Shard s = ks.shardOf(key);
        s.lock();
        try {
            long e = findRead(s, db, key, ks.now(), true);
            return e == 0 ? 0 : size(SetStructures.value(e));
        } finally {
            s.unlock();
        }
    }

    /** SISMEMBER. */
    public boolean sismember(int db, byte[] key, byte[] member) {
        return smismember(db, key, new byte[][] {member}, 0)[0];
    }

    /** SMISMEMBER {@code members[from..]}: one flag per member (all false for a missing key). */
    public boolean[] smismember(int db, byte[] key, byte[][] members, int from) {
        Shard s = ks.shardOf(key);
        s.lock();
        try {
            long e = findRead(s, db, key, ks.now(), true);
            boolean[] out = new boolean[members.length - from];
            if (e != 0) {
                long v = SetStructures.value(e);
                for (int i = from; i < members.length; i++) {
                    out[i - from] = contains(v, members[i]);
                }
            }
            return out;
        } finally {
            s.unlock();
        }
    }

    /** SMEMBERS: every member (ascending for an intset), empty for a missing key. */
    public List<byte[]> smembers(int db, byte[] key) {
        Shard s = ks.shardOf(key);
        s.lock();
        try {
            long e = findRead(s, db, key, ks.now(), true);
            return e == 0 ? List.of() : members(SetStructures.value(e));
        } finally {
            s.unlock();
        }
    }

    /** SPOP without a count: a random member, removed (propagated as SREM), or null. */
    public byte[] spop(int db, byte[] key) {
        Shard s = ks.shardOf(key);
        long h = Keyspace.hash(key);
        s.lock();
        try {
            int slot = ks.lookup(s, db, key, h, ks.now(), true);
            if (slot < 0) {
                return null;
            }
            long e = s.table(db).entry(slot);
            Keyspace.checkType(e, ValueType.SET);
            byte[] m = randomMember(SetStructures.value(e), ThreadLocalRandom.current());
            remove(s.allocator(), e, m);
            ks.propagate(db, SREM, key, m);
            ks.modified(db, key, KeyEvent.SPOP);
            if (size(SetStructures.value(e)) == 0) {
                ks.delete(s, db, slot);
                ks.modified(db, key, KeyEvent.DEL);
            }
            return m;
        } finally {
            s.unlock();
        }
    }

    /**
     * SPOP with a count ({@code spopWithCountCommand}): up to {@code count} distinct random
     * members, removed. Popping the whole set deletes it (propagated as DEL); otherwise each
     * popped member is propagated as an SREM.
     *
     * @return the popped members; empty for a missing key or a zero count
     */
    public List<byte[]> spop(int db, byte[] key, long count) {
        Shard s = ks.shardOf(key);
        long h = Keyspace.hash(key);
        s.lock();
        try {
            int slot = ks.lookup(s, db, key, h, ks.now(), true);
            if (slot < 0) {
                return List.of();
            }
            long e = s.table(db).entry(slot);
            Keyspace.checkType(e, ValueType.SET);
            if (count == 0) {
                return List.of();
            }
            long v = SetStructures.value(e);
            int size = size(v);
            if (count >= size) {
                ks.stats().read(true); // Redis answers this case with SUNION's read lookup
                List<byte[]> all = members(v);
                ks.delete(s, db, slot);
                ks.propagate(db, DEL, key);
                ks.modified(db, key, KeyEvent.SPOP);
                ks.modified(db, key, KeyEvent.DEL);
                return all;
            }
            SlabAllocator a = s.allocator();
            ThreadLocalRandom rnd = ThreadLocalRandom.current();
            long remaining = size - count;
            List<byte[]> popped = new ArrayList<>(Sizes.toInt(count, Sizes.OUT_OF_RANGE)); // count < size here
            if (remaining * SPOP_MOVE_STRATEGY_MUL > count) {
                // CASE 2: pop one random member at a time; the encoding stays
                for (long i = 0; i < count; i++) {
                    byte[] m = randomMember(SetStructures.value(e), rnd);
                    remove(a, e, m);
                    popped.add(m);
                }
            } else {
                // CASE 3: draw the members that stay into a new set (setTypeCreate from the first
                // of them), then hand out what is left of the old one
                List<byte[]> keep = new ArrayList<>(Sizes.toInt(remaining, Sizes.OUT_OF_RANGE));
                for (long i = 0; i < remaining; i++) {
                    byte[] m = randomMember(SetStructures.value(e), rnd);
                    remove(a, e, m);
                    keep.add(m);
                }
                popped.addAll(members(SetStructures.value(e)));
                long old = SetStructures.value(e);
                boolean intset = Numbers.isLong(keep.get(0));
                putValue(e, intset ? Intset.create(a) : dict(a).create() | HT_TAG);
                putHint(e, intset ? 0 : 1);
                for (byte[] m : keep) {
                    add(a, e, m);
                }
                if (isHashtable(old)) {
                    dict(a).free(root(old));
                } else {
                    Intset.free(a, root(old));
                }
            }
            for (byte[] m : popped) {
                ks.propagate(db, SREM, key, m);
            }
            ks.modified(db, key, KeyEvent.SPOP);
            return popped;
        } finally {
            s.unlock();
        }
    }

    /** SRANDMEMBER without a count: a random member, or null. */
    public byte[] srandmember(int db, byte[] key) {
        Shard s = ks.shardOf(key);
        s.lock();
        try {
            long e = findRead(s, db, key, ks.now(), true);
            return e == 0 ? null : randomMember(SetStructures.value(e), ThreadLocalRandom.current());
        } finally {
            s.unlock();
        }
    }

    /**
     * SRANDMEMBER with a count: {@code count >= 0} gives up to that many distinct members,
     * a negative count gives exactly {@code -count} members drawn with repetition.
     */
    public List<byte[]> srandmember(int db, byte[] key, long count) {
        io.redjar.internal.util.Sizes.checkLongMaxRange(count);
        Shard s = ks.shardOf(key);
        s.lock();
        try {
            long e = findRead(s, db, key, ks.now(), true);
            if (e == 0 || count == 0) {
                return List.of();
            }
            Sizes.checkRandomCount(count);
            long v = SetStructures.value(e);
            ThreadLocalRandom rnd = ThreadLocalRandom.current();
            if (count < 0 || count == 1) {
                long n = count < 0 ? -count : 1;
                List<byte[]> out = new ArrayList<>((int) Math.min(n, 1 << 16));
                for (long i = 0; i < n; i++) {
                    out.add(randomMember(v, rnd));
                }
                return out;
            }
            int size = size(v);
            List<byte[]> all = members(v);
            if (count >= size) {
                return all;
            }
            // partial Fisher-Yates: count distinct members in random order
            int c = Sizes.toInt(count, Sizes.OUT_OF_RANGE); // count < size here
            for (int i = 0; i < c; i++) {
                int j = i + rnd.nextInt(size - i);
                byte[] t = all.get(i);
                all.set(i, all.get(j));
                all.set(j, t);
            }
            return new ArrayList<>(all.subList(0, c));
        } finally {
            s.unlock();
        }
    }

    /** One SSCAN step's answer. */
    public static final class ScanResult {
        public final long cursor;
        public final List<byte[]> members;

        ScanResult(long cursor, List<byte[]> members) {
            this.cursor = cursor;
            this.members = members;
        }
    }

    /**
     * SSCAN: an intset returns every member at once with cursor 0; a hashtable walks home buckets
     * in Redis's reverse-binary cursor order, about {@code count} members per call (at most
     * {@code count * 10} buckets).
     *
     * @param pattern null for all members
     * @return null when the key is missing
     */
    public ScanResult sscan(int db, byte[] key, long cursor, byte[] pattern, long count) {
        Shard s = ks.shardOf(key);
        s.lock();
        try {
            long e = findRead(s, db, key, ks.now(), true);
            if (e == 0) {
                return null;
            }
            long v = SetStructures.value(e);
            List<byte[]> out = new ArrayList<>();
            long next;
            if (!isHashtable(v)) {
                out = members(v);
                next = 0;
            } else {
                long r = root(v);
                List<byte[]> got = out;
                long maxIterations = count * 10;
                next = cursor;
                do {
                    next = READER.scanBucket(r, next, rec -> got.add(recordMember(rec)));
                } while (next != 0 && maxIterations-- > 0 && got.size() < count);
            }
            if (pattern != null) {
                List<byte[]> kept = new ArrayList<>(out.size());
                for (byte[] m : out) {
                    if (Glob.match(pattern, m, false)) {
                        kept.add(m);
                    }
                }
                out = kept;
            }
            return new ScanResult(next, out);
        } finally {
            s.unlock();
        }
    }

    // ---- multi-key commands ----------------------------------------------------------------

    /** SMOVE: @return whether the member moved (or, when source and destination are the same key, is there) */
    public boolean smove(int db, byte[] src, byte[] dst, byte[] member) {
        int[] sh = ks.shardsOf(new byte[][] {src, dst}, 0, 2, 1);
        ks.lock(sh);
        try {
            long now = ks.now();
            Shard ss = ks.shardOf(src);
            Shard ds = ks.shardOf(dst);
            long srcHash = Keyspace.hash(src);
            long dstHash = Keyspace.hash(dst);
            int srcSlot = ks.lookup(ss, db, src, srcHash, now, true);
            int dstSlot = ks.lookup(ds, db, dst, dstHash, now, true);
            if (srcSlot < 0) {
                return false;
            }
            long se = ss.table(db).entry(srcSlot);
            Keyspace.checkType(se, ValueType.SET);
            long de = dstSlot < 0 ? 0 : ds.table(db).entry(dstSlot);
            if (de != 0) {
                Keyspace.checkType(de, ValueType.SET);
            }
            if (Arrays.equals(src, dst)) {
                return contains(SetStructures.value(se), member);
            }
            if (!remove(ss.allocator(), se, member)) {
                return false;
            }
            ks.modified(db, src, KeyEvent.SREM); // Redis's order: srem [del] [new] [sadd]
            if (size(SetStructures.value(se)) == 0) {
                ks.delete(ss, db, srcSlot); // entry blocks do not move, so de stays valid
                ks.modified(db, src, KeyEvent.DEL);
            }
            if (de == 0) {
                de = create(ds, db, dst, dstHash, Numbers.isLong(member));
            }
            boolean added = add(ds.allocator(), de, member);
            ks.propagate(db, SMOVE, src, dst, member);
            if (added) {
                ks.modified(db, dst, KeyEvent.SADD);
            }
            return true;
        } finally {
            ks.unlock(sh);
        }
    }

    /** The sets under {@code keys[from..to)}, value words (0 for missing); WRONGTYPE on any other type. */
    private long[] lookupAll(int db, byte[][] keys, int from, int to, long now) {
        long[] out = new long[to - from];
        for (int i = from; i < to; i++) {
            Shard s = ks.shardOf(keys[i]);
            long e = findRead(s, db, keys[i], now, true);
            out[i - from] = e == 0 ? 0 : SetStructures.value(e);
        }
        return out;
    }

    /** {@code sinterGenericCommand}'s member loop; {@code limit} 0 means none. */
    private static List<byte[]> intersect(long[] sets, long limit) {
        for (long v : sets) {
            if (v == 0) {
                return new ArrayList<>();
            }
        }
        long[] sorted = sets.clone();
        for (int i = 1; i < sorted.length; i++) { // stable insertion sort by size (qsort in Redis)
            long x = sorted[i];
            int j = i - 1;
            while (j >= 0 && size(sorted[j]) > size(x)) {
                sorted[j + 1] = sorted[j];
                j--;
            }
            sorted[j + 1] = x;
        }
        List<byte[]> out = new ArrayList<>();
        long first = sorted[0];
        for (byte[] m : members(first)) {
            boolean all = true;
            for (int j = 1; j < sorted.length && all; j++) {
                if (sorted[j] != first) {
                    all = contains(sorted[j], m);
                }
            }
            if (all) {
                out.add(m);
                if (limit > 0 && out.size() >= limit) {
                    break;
                }
            }
        }
        return out;
    }

    /** A byte string with value equality, for union and difference. */
    private record Bytes(byte[] b) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Bytes x && Arrays.equals(b, x.b);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(b);
        }
    }

    private static List<byte[]> union(long[] sets) {
        Set<Bytes> seen = new HashSet<>();
        List<byte[]> out = new ArrayList<>();
        for (long v : sets) {
            if (v == 0) {
                continue;
            }
            for (byte[] m : members(v)) {
                if (seen.add(new Bytes(m))) {
                    out.add(m);
                }
            }
        }
        return out;
    }

    private static List<byte[]> difference(long[] sets) {
        List<byte[]> out = new ArrayList<>();
        if (sets[0] == 0) {
            return out;
        }
        for (byte[] m : members(sets[0])) {
            boolean keep = true;
            for (int j = 1; j < sets.length && keep; j++) {
                if (sets[j] == sets[0]) {
                    keep = false;
                } else if (sets[j] != 0) {
                    keep = !contains(sets[j], m);
                }
            }
            if (keep) {
                out.add(m);
            }
        }
        return out;
    }

    /**
     * Orders a SUNION/SDIFF result as Redis replies it: from a set built by adding to an empty
     * intset, so ascending when that set stays an intset.
     */
    private List<byte[]> replyOrder(List<byte[]> result) {
        if (result.size() > maxIntset()) {
            return result;
        }
        long[] n = new long[result.size()];
        for (int i = 0; i < n.length; i++) {
            if (!Numbers.isLong(result.get(i))) {
                return result;
            }
            n[i] = Numbers.parseLong(result.get(i));
        }
        Arrays.sort(n);
        List<byte[]> out = new ArrayList<>(n.length);
        for (long x : n) {
            out.add(Numbers.formatLong(x));
        }
        return out;
    }

    /** The three set algebra operations. */
    public enum Op { INTER, UNION, DIFF }

    private List<byte[]> compute(Op op, long[] sets) {
        return switch (op) {
            case INTER -> intersect(sets, 0);
            case UNION -> replyOrder(union(sets));
            case DIFF -> replyOrder(difference(sets));
        };
    }

    /** SINTER / SUNION / SDIFF over {@code keys[from..]}. */
    public List<byte[]> algebra(int db, Op op, byte[][] keys, int from) {
        int[] sh = ks.shardsOf(keys, from, keys.length, 1);
        ks.lock(sh);
        try {
            return compute(op, lookupAll(db, keys, from, keys.length, ks.now()));
        } finally {
            ks.unlock(sh);
        }
    }

    /** SINTERCARD over {@code keys[from..to)}; {@code limit} 0 means none. */
    public long sintercard(int db, byte[][] keys, int from, int to, long limit) {
        int[] sh = ks.shardsOf(keys, from, to, 1);
        ks.lock(sh);
        try {
            return intersect(lookupAll(db, keys, from, to, ks.now()), limit).size();
        } finally {
            ks.unlock(sh);
        }
    }

    /**
     * SINTERSTORE / SUNIONSTORE / SDIFFSTORE with typed arguments: the command propagated is
     * written from them.
     */
    public long store(int db, Op op, byte[] destination, byte[][] keys) {
        String name = op == Op.INTER ? "SINTERSTORE" : op == Op.UNION ? "SUNIONSTORE" : "SDIFFSTORE";
        return store(db, op, TypedArgv.keyAndItems(name, destination, keys));
    }

    /**
     * SINTERSTORE / SUNIONSTORE / SDIFFSTORE: {@code argv[1]} is the destination, {@code argv[2..]}
     * the sources. An empty result deletes the destination. Propagated verbatim when anything
     * changed.
     *
     * @return the size of the stored set
     */
    public long store(int db, Op op, byte[][] argv) {
        int[] sh = ks.shardsOf(argv, 1, argv.length, 1);
        ks.lock(sh);
        try {
            long now = ks.now();
            long[] sets = lookupAll(db, argv, 2, argv.length, now);
            List<byte[]> result = compute(op, sets);
            byte[] dst = argv[1];
            Shard ds = ks.shardOf(dst);
            long h = Keyspace.hash(dst);
            int slot = ks.lookup(ds, db, dst, h, now, false);
            if (result.isEmpty()) {
                if (slot >= 0) {
                    ks.delete(ds, db, slot);
                    ks.propagate(db, argv);
                    ks.modified(db, dst, KeyEvent.DEL);
                }
                return 0;
            }
            storeSet(ds, db, dst, h, slot, result);
            ks.propagate(db, argv);
            ks.modified(db, dst, op == Op.INTER ? KeyEvent.SINTERSTORE : op == Op.UNION ? KeyEvent.SUNIONSTORE : KeyEvent.SDIFFSTORE);
            return result.size();
        } finally {
            ks.unlock(sh);
        }
    }
}
