package io.redjar.internal.types;

import io.redjar.NotIntegerException;
import io.redjar.RedJarException;
import io.redjar.internal.keyspace.KeyEvent;
import io.redjar.internal.keyspace.EntryDescriptor;
import io.redjar.internal.keyspace.Keyspace;
import io.redjar.internal.keyspace.Shard;
import io.redjar.internal.keyspace.ValueType;
import io.redjar.internal.memory.NativeMemory;
import io.redjar.internal.memory.SlabAllocator;
import io.redjar.internal.structure.Listpack;
import io.redjar.internal.structure.NativeDict;
import io.redjar.internal.structure.NativeDictDescriptor;
import io.redjar.internal.util.Glob;
import io.redjar.internal.util.LongDouble;
import io.redjar.internal.util.Numbers;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The hash type's operations (Redis 7.0's {@code t_hash.c} without the argument parsing): parsed
 * arguments in, plain values out; each call locks the key's shard, works on the value's native
 * structure, propagates its effect and returns.
 *
 * <p>Encodings as in Redis: a listpack of field, value pairs in insertion order while the hash has
 * at most {@code hash-max-listpack-entries} fields and no field or value longer than
 * {@code hash-max-listpack-value} bytes; a {@link NativeDict} of field+value records after that
 * (never back). The entry's value bytes hold the root address (rewritten in place when a listpack
 * moves) and its encoding hint says which ({@link #HINT_HASHTABLE}, anything else is a listpack).
 * An emptied hash is deleted at once.
 *
 * <p><b>Thread-safety:</b> thread-safe; each call is atomic with respect to every other command.
 */
public final class HashOps {
    /** Encoding hint of a hashtable-encoded hash (a listpack has 0, or 3 after COPY). */
    public static final int HINT_HASHTABLE = 1;

    private static final byte[] HSET = ascii("HSET");
    private static final byte[] HMSET = ascii("HMSET");
    private static final byte[] HSETNX = ascii("HSETNX");
    private static final byte[] HDEL = ascii("HDEL");
    private static final byte[] HINCRBY = ascii("HINCRBY");

    private final Keyspace ks;
    private final CollectionLimits limits;

    public HashOps(Keyspace ks, CollectionLimits limits) {
        this.ks = ks;
        this.limits = limits;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    // ---- entry helpers ----------------------------------------------------------------------

    /** @return whether the hash entry {@code e} is hashtable-encoded. */
    static boolean isHashtable(long e) {
        return EntryDescriptor.encodingHint(e) == HINT_HASHTABLE;
    }

    /** @return the root structure's address. */
    static long root(long e) {
        return NativeMemory.getLong(EntryDescriptor.valueAddress(e));
    }

    private static void setRoot(long e, long root) {
        NativeMemory.putLong(EntryDescriptor.valueAddress(e), root);
    }

    private static NativeDict dict(SlabAllocator a) {
        return new NativeDict(a, NativeDictDescriptor.HASH_RECORDS, true);
    }

    private static byte[] recordField(long r) {
        return NativeMemory.toArray(NativeDictDescriptor.hashFieldAddress(r), NativeDictDescriptor.HASH_RECORDS.keyLength(r));
    }

    /** @return the live hash entry for {@code key}, or 0 when missing; WRONGTYPE for other types. */
    private long readEntry(Shard s, int db, byte[] key) {
        int slot = ks.lookupRead(s, db, key, Keyspace.hash(key), ks.now(), true);
        if (slot < 0) {
            return 0;
        }
        long e = s.table(db).entry(slot);
        Keyspace.checkType(e, ValueType.HASH);
        return e;
    }

    /** Redis's {@code hashTypeLookupWriteOrCreate}. */
    private long writeEntry(Shard s, int db, byte[] key) {
        long h = Keyspace.hash(key);
        int slot = ks.lookup(s, db, key, h, ks.now(), true);
        if (slot >= 0) {
            long e = s.table(db).entry(slot);
            Keyspace.checkType(e, ValueType.HASH);
            return e;
        }
        long e = ks.allocateFor(s, db, key, h, -1, ValueType.HASH, 0, 8, Keyspace.NO_TTL);
        setRoot(e, Listpack.create(s.allocator()));
        return e;
    }

    /** @return the number of fields. */
    static long length(long e) {
        long root = root(e);
        return isHashtable(e) ? NativeDict.size(root) : Listpack.length(root) / 2;
    }

    /** @return the value of {@code field}, or null (SORT's {@code ->field} lookups use it too). */
    static byte[] getValue(SlabAllocator a, long e, byte[] field) {
        long root = root(e);
        if (isHashtable(e)) {
            int slot = dict(a).find(root, field, 0, field.length);
            return slot < 0 ? null : NativeDictDescriptor.hashValue(NativeDict.record(root, slot));
        }
        int pos = Listpack.find(root, Listpack.first(root), field, 0, field.length, 1);
        return pos < 0 ? null : Listpack.get(root, Listpack.next(root, pos));
    }

    /** Converts a listpack-encoded hash to a hashtable ({@code hashTypeConvertListpack}). */
    private static void convert(SlabAllocator a, long e) {
        long lp = root(e);
        NativeDict d = dict(a);
        long root = d.create(Listpack.length(lp) / 2);
        for (int pos = Listpack.first(lp); pos >= 0; ) {
            byte[] f = Listpack.get(lp, pos);
            int vp = Listpack.next(lp, pos);
            byte[] v = Listpack.get(lp, vp);
            d.insert(root, NativeDictDescriptor.newHashRecord(a, f, 0, f.length, v, 0, v.length));
            pos = Listpack.next(lp, vp);
        }
        Listpack.free(a, lp);
        setRoot(e, root);
        int flags = EntryDescriptor.flags(e) & ~(0x3 << EntryDescriptor.ENC_SHIFT);
        EntryDescriptor.setFlags(e, flags | (HINT_HASHTABLE << EntryDescriptor.ENC_SHIFT));
    }

    /** Redis's {@code hashTypeTryConversion} over {@code argv[from..to]} (fields and values). */
    private void tryConversion(SlabAllocator a, long e, byte[][] argv, int from, int to) {
        if (isHashtable(e)) {
            return;
        }
        int max = limits.hashMaxListpackValue;
        long sum = 0;
        for (int i = from; i <= to; i++) {
            if (argv[i].length > max) {
                convert(a, e);
                return;
            }
            sum += argv[i].length;
        }
        if (!Listpack.safeToAdd(root(e), sum)) {
            convert(a, e);
        }
    }

    /**
     * Redis's {@code hashTypeSet}: sets or updates a field, converting the hash when it outgrows
     * the listpack limits.
     *
     * @return whether the field existed (an update)
     */
    private boolean set(SlabAllocator a, long e, byte[] field, byte[] value) {
        if (!isHashtable(e)) {
            int max = limits.hashMaxListpackValue;
            if (field.length > max || value.length > max) {
                convert(a, e);
            }
        }
        if (isHashtable(e)) {
            long root = root(e);
            NativeDict d = dict(a);
            long h = NativeDict.hash(field);
            int slot = d.find(root, field, 0, field.length, h);
            long rec = NativeDictDescriptor.newHashRecord(a, field, 0, field.length, value, 0, value.length);
            if (slot >= 0) {
                long old = NativeDict.record(root, slot);
                NativeDict.replaceRecord(root, slot, rec);
                a.free(old, NativeDictDescriptor.HASH_RECORDS.recordSize(old));
                return true;
            }
            d.insert(root, h, rec);
            return false;
        }
        long lp = root(e);
        int pos = Listpack.find(lp, Listpack.first(lp), field, 0, field.length, 1);
        boolean update = pos >= 0;
        if (update) {
            lp = Listpack.replace(a, lp, Listpack.next(lp, pos), value, 0, value.length);
            setRoot(e, lp);
        } else {
            lp = Listpack.append(a, lp, field);
            lp = Listpack.append(a, lp, value);
            setRoot(e, lp);
            if (Listpack.length(lp) / 2 > limits.hashMaxListpackEntries) {
                convert(a, e);
            }
        }
        return update;
    }

    /** @return whether the field was there and is now deleted. */
    private static boolean delete(SlabAllocator a, long e, byte[] field) {
        long root = root(e);
        if (isHashtable(e)) {
            NativeDict d = dict(a);
            int slot = d.find(root, field, 0, field.length);
            if (slot < 0) {
                return false;
            }
            d.deleteAt(root, slot);
            return true;
        }
        int pos = Listpack.find(root, Listpack.first(root), field, 0, field.length, 1);
        if (pos < 0) {
            return false;
        }
        setRoot(e, Listpack.deleteRangeAt(a, root, pos, 2));
        return true;
    }

    /** Every field, value pair in iteration order (listpack order, or the table's). */
    private static List<byte[][]> pairs(long e) {
        long root = root(e);
        List<byte[][]> out = new ArrayList<>();
        if (isHashtable(e)) {
            NativeDict.forEach(root, r -> out.add(new byte[][] {recordField(r), NativeDictDescriptor.hashValue(r)}));
        } else {
            for (int pos = Listpack.first(root); pos >= 0; ) {
                int vp = Listpack.next(root, pos);
                out.add(new byte[][] {Listpack.get(root, pos), Listpack.get(root, vp)});
                pos = Listpack.next(root, vp);
            }
        }
        return out;
    }

    // ---- writes ------------------------------------------------------------------------------

    /**
     * HSET / HMSET: {@code argv[from..]} are field, value pairs (an even, positive number).
     *
     * @param hmset whether to propagate as HMSET
     * @return the number of fields created
     */
    public long hset(int db, byte[] key, byte[][] argv, int from, boolean hmset) {
        Shard s = ks.shardOf(key);
        s.lock();
        try {
            SlabAllocator a = s.allocator();
            long e = writeEntry(s, db, key);
            tryConversion(a, e, argv, from, argv.length - 1);
            long created = 0;
            for (int i = from; i < argv.length; i += 2) {
                if (!set(a, e, argv[i], argv[i + 1])) {
                    created++;
                }
            }
            byte[][] prop = new byte[argv.length - from + 2][];
            prop[0] = hmset ? HMSET : HSET;
            prop[1] = key;
            System.arraycopy(argv, from, prop, 2, argv.length - from);
            ks.propagate(db, prop);
            ks.modified(db, key, KeyEvent.HSET);
            return created;
        } finally {
            s.unlock();
        }
    }

    /** HSETNX: @return whether the field was set. */
    public boolean hsetnx(int db, byte[] key, byte[] field, byte[] value) {
        Shard s = ks.shardOf(key);
        s.lock();
        try {
            SlabAllocator a = s.allocator();
            long e = writeEntry(s, db, key);
            if (getValue(a, e, field) != null) {
                return false;
            }
            tryConversion(a, e, new byte[][] {field, value}, 0, 1);
            set(a, e, field, value);
            ks.propagate(db, HSETNX, key, field, value);
            ks.modified(db, key, KeyEvent.HSET);
            return true;
        } finally {
            s.unlock();
        }
    }

    /** HDEL: @return the number of fields deleted (the key goes when the hash empties). */
    public long hdel(int db, byte[] key, byte[][] fields, int from) {
        Shard s = ks.shardOf(key);
        s.lock();
        try {
            int slot = ks.lookup(s, db, key, Keyspace.hash(key), ks.now(), true);
            if (slot < 0) {
                return 0;
            }
            long e = s.table(db).entry(slot);
            Keyspace.checkType(e, ValueType.HASH);
            SlabAllocator a = s.allocator();
            long deleted = 0;
            boolean emptied = false;
            for (int i = from; i < fields.length; i++) {
                if (delete(a, e, fields[i])) {
                    deleted++;
                    if (length(e) == 0) {
                        emptied = true;
                        break;
                    }
                }
            }
            if (emptied) {
                ks.delete(s, db, slot);
            } else if (deleted > 0 && isHashtable(e)) {
                dict(a).maybeShrink(root(e));
            }
            if (deleted > 0) {
                byte[][] prop = new byte[fields.length - from + 2][];
                prop[0] = HDEL;
                prop[1] = key;
                System.arraycopy(fields, from, prop, 2, fields.length - from);
                ks.propagate(db, prop);
                ks.modified(db, key, KeyEvent.HDEL);
                if (emptied) {
                    ks.modified(db, key, KeyEvent.DEL);
                }
            }
            return deleted;
        } finally {
            s.unlock();
        }
    }

    /**
     * HINCRBY.
     *
     * @throws NotIntegerException {@code ERR hash value is not an integer} (a RedJarException,
     *                             so the reply text is unchanged)
     * @throws RedJarException     {@code ERR increment or decrement would overflow}
     */
    public long hincrby(int db, byte[] key, byte[] field, long incr) {
        Shard s = ks.shardOf(key);
        s.lock();
        try {
            SlabAllocator a = s.allocator();
            long e = writeEntry(s, db, key);
            byte[] cur = getValue(a, e, field);
            long value = 0;
            if (cur != null) {
                if (!Numbers.isLong(cur)) {
                    throw new NotIntegerException("ERR hash value is not an integer");
                }
                value = Numbers.parseLong(cur);
            }
            if ((incr < 0 && value < 0 && incr < Long.MIN_VALUE - value)
                || (incr > 0 && value > 0 && incr > Long.MAX_VALUE - value)) {
                throw new RedJarException("ERR increment or decrement would overflow");
            }
            value += incr;
            set(a, e, field, Numbers.formatLong(value));
            ks.propagate(db, HINCRBY, key, field, Numbers.formatLong(incr));
            ks.modified(db, key, KeyEvent.HINCRBY);
            return value;
        } finally {
            s.unlock();
        }
    }

    /**
     * HINCRBYFLOAT with long double arithmetic; propagated as {@code HSET key field result}.
     *
     * @throws RedJarException {@code ERR hash value is not a float}, NaN or infinity errors
     */
    public byte[] hincrbyfloat(int db, byte[] key, byte[] field, LongDouble incr) {
        if (incr.isNaN() || incr.isInfinite()) {
            throw new RedJarException("ERR value is NaN or Infinity");
        }
        Shard s = ks.shardOf(key);
        s.lock();
        try {
            SlabAllocator a = s.allocator();
            long e = writeEntry(s, db, key);
            byte[] cur = getValue(a, e, field);
            LongDouble value = LongDouble.ZERO;
            if (cur != null) {
                value = LongDouble.parseOrNull(cur, 0, cur.length);
                if (value == null) {
                    throw new RedJarException("ERR hash value is not a float");
                }
            }
            LongDouble result = value.add(incr);
            if (result.isNaN() || result.isInfinite()) {
                throw new RedJarException("ERR increment would produce NaN or Infinity");
            }
            byte[] text = result.toHumanString();
            set(a, e, field, text);
            ks.propagate(db, HSET, key, field, text);
            ks.modified(db, key, KeyEvent.HINCRBYFLOAT);
            return text;
        } finally {
            s.unlock();
        }
    }

    // ---- reads -------------------------------------------------------------------------------

    /** HGET: the value, or null. */
    public byte[] hget(int db, byte[] key, byte[] field) {
        Shard s = ks.shardOf(key);
        s.lock();
        try {
            long e = readEntry(s, db, key);
            return e == 0 ? null : getValue(s.allocator(), e, field);
        } finally {
            s.unlock();
        }
    }

    /** HMGET: values in field order, null where missing. */
    public byte[][] hmget(int db, byte[] key, byte[][] fields, int from) {
        Shard s = ks.shardOf(key);
        s.lock();
        try {
            long e = readEntry(s, db, key);
            byte[][] out = new byte[fields.length - from][];
            if (e != 0) {
                for (int i = from; i < fields.length; i++) {
                    out[i - from] = getValue(s.allocator(), e, fields[i]);
                }
            }
            return out;
        } finally {
            s.unlock();
        }
    }

    /** HLEN. */
    public long hlen(int db, byte[] key) {
        Shard s = ks.shardOf(key);
        s.lock();
        try {
            long e = readEntry(s, db, key);
            return e == 0 ? 0 : length(e);
        } finally {
            s.unlock();
        }
    }

    /** HEXISTS. */
    public boolean hexists(int db, byte[] key, byte[] field) {
        return hget(db, key, field) != null;
    }

    /** HSTRLEN. */
    public long hstrlen(int db, byte[] key, byte[] field) {
        byte[] v = hget(db, key, field);
        return v == null ? 0 : v.length;
    }

    /** HGETALL / HKEYS / HVALS: the field, value pairs in iteration order (empty when missing). */
    public List<byte[][]> hgetall(int db, byte[] key) {
        Shard s = ks.shardOf(key);
        s.lock();
        try {
            long e = readEntry(s, db, key);
            return e == 0 ? List.of() : pairs(e);
        } finally {
            s.unlock();
        }
    }

    /** Result of {@link #hscan}: the next cursor and the flat field, value list. */
    public static final class ScanResult {
        public final long cursor;
        public final List<byte[]> items;

        ScanResult(long cursor, List<byte[]> items) {
            this.cursor = cursor;
            this.items = items;
        }
    }

    /**
     * HSCAN: a listpack is returned whole with cursor 0; a table is walked bucket by bucket in
     * Redis's reverse-binary order until {@code count} elements (fields and values both count)
     * or ten times that many buckets.
     *
     * @param pattern a glob for the fields, or null for all
     */
    public ScanResult hscan(int db, byte[] key, long cursor, byte[] pattern, long count) {
        Shard s = ks.shardOf(key);
        s.lock();
        try {
            long e = readEntry(s, db, key);
            List<byte[]> items = new ArrayList<>();
            if (e == 0) {
                return new ScanResult(0, items);
            }
            long root = root(e);
            long next;
            if (isHashtable(e)) {
                NativeDict d = dict(s.allocator());
                long maxIterations = count * 10;
                next = cursor;
                do {
                    next = d.scanBucket(root, next, r -> {
                        items.add(recordField(r));
                        items.add(NativeDictDescriptor.hashValue(r));
                    });
                } while (next != 0 && maxIterations-- > 0 && items.size() / 2 < count); // COUNT counts fields, not reply items
            } else {
                for (int pos = Listpack.first(root); pos >= 0; pos = Listpack.next(root, pos)) {
                    items.add(Listpack.get(root, pos));
                }
                next = 0;
            }
            if (pattern != null) {
                List<byte[]> kept = new ArrayList<>(items.size());
                for (int i = 0; i < items.size(); i += 2) {
                    if (Glob.match(pattern, items.get(i), false)) {
                        kept.add(items.get(i));
                        kept.add(items.get(i + 1));
                    }
                }
                return new ScanResult(next, kept);
            }
            return new ScanResult(next, items);
        } finally {
            s.unlock();
        }
    }

    /** HRANDFIELD without a count: a random field, or null when the key is missing. */
    public byte[] hrandfield(int db, byte[] key) {
        Shard s = ks.shardOf(key);
        s.lock();
        try {
            long e = readEntry(s, db, key);
            if (e == 0) {
                return null;
            }
            return randomPair(e, ThreadLocalRandom.current())[0];
        } finally {
            s.unlock();
        }
    }

    private static byte[][] randomPair(long e, Random random) {
        long root = root(e);
        if (isHashtable(e)) {
            long r = NativeDict.record(root, NativeDict.randomSlot(root, random));
            return new byte[][] {recordField(r), NativeDictDescriptor.hashValue(r)};
        }
        int n = Listpack.length(root) / 2;
        int pos = Listpack.seek(root, 2L * random.nextInt(n));
        return new byte[][] {Listpack.get(root, pos), Listpack.get(root, Listpack.next(root, pos))};
    }

    /**
     * HRANDFIELD with a count, following Redis 7.0's cases: a negative count (or 1) picks that
     * many fields independently (repeats possible); a count at least the hash's size returns the
     * whole hash in iteration order; a smaller one returns that many distinct fields (in
     * listpack order for a listpack).
     *
     * @return the picked field, value pairs (empty when the key is missing or the count is 0)
     */
    public List<byte[][]> hrandfield(int db, byte[] key, long count) {
        io.redjar.internal.util.Sizes.checkLongMaxRange(count);
        Shard s = ks.shardOf(key);
        s.lock();
        try {
            long e = readEntry(s, db, key);
            if (e == 0 || count == 0) {
                return List.of();
            }
            io.redjar.internal.util.Sizes.checkRandomCount(count);
            Random random = ThreadLocalRandom.current();
            long size = length(e);
            boolean uniq = count > 0;
            long n = uniq ? count : -count;
            if (!uniq || n == 1) {
                List<byte[][]> out = new ArrayList<>((int) Math.min(n, 1 << 16));
                for (long i = 0; i < n; i++) {
                    out.add(randomPair(e, random));
                }
                return out;
            }
            List<byte[][]> all = pairs(e);
            if (n >= size) {
                return all;
            }
            // n distinct of size: selection sampling keeps the iteration order
            List<byte[][]> out = new ArrayList<>(io.redjar.internal.util.Sizes.toInt(n, io.redjar.internal.util.Sizes.OUT_OF_RANGE));
            long need = n;
            for (int i = 0; i < all.size() && need > 0; i++) {
                if (random.nextLong(all.size() - i) < need) {
                    out.add(all.get(i));
                    need--;
                }
            }
            if (isHashtable(e)) {
                java.util.Collections.shuffle(out, random);
            }
            return out;
        } finally {
            s.unlock();
        }
    }
}
