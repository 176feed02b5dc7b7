package io.redjar.internal.types;

import io.redjar.internal.keyspace.EntryDescriptor;
import io.redjar.internal.keyspace.KeyEvent;
import io.redjar.internal.keyspace.Keyspace;
import io.redjar.internal.keyspace.Shard;
import io.redjar.internal.keyspace.ValueType;
import io.redjar.internal.memory.NativeMemory;
import io.redjar.internal.structure.Quicklist;
import io.redjar.internal.util.Numbers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The list type's operations (Redis 7.0's {@code t_list.c} without argument parsing and without
 * blocking): each method takes parsed arguments, locks the shards of its keys, works on the
 * keys' {@link Quicklist}s, deletes a list the moment it becomes empty, propagates its effect
 * (only when something changed, as Redis's dirty counter decides) and returns plain values.
 *
 * <p>For a future blocking layer ({@code BLPOP}, {@code BLMOVE}, {@code BLMPOP}...):
 * {@link #mpop} and {@link #move} are the non-blocking attempts those commands make when they are
 * called and again when a key they wait on is pushed to; they return {@code null} when there was
 * nothing to pop, and propagate exactly what Redis replicates for the blocking forms too
 * ({@code LPOP key} / {@code LPOP key count}, {@code LMOVE} / {@code RPOPLPUSH}).
 *
 * <p>A new list takes the {@code list-max-listpack-size} current at creation as its node fill, as
 * Redis does. Where Redis checks the key before parsing an argument (LINDEX, LSET), the argument
 * comes as a {@link LongSupplier} that is called after the key checks, so errors come in Redis's
 * order.
 *
 * <p><b>Thread-safety:</b> thread-safe; each call is atomic with respect to every other command.
 */
public final class ListOps {
    private static final byte[] LPUSH = StringOps.ascii("LPUSH");
    private static final byte[] RPUSH = StringOps.ascii("RPUSH");
    private static final byte[] LPUSHX = StringOps.ascii("LPUSHX");
    private static final byte[] RPUSHX = StringOps.ascii("RPUSHX");
    private static final byte[] LPOP = StringOps.ascii("LPOP");
    private static final byte[] RPOP = StringOps.ascii("RPOP");
    private static final byte[] LINSERT = StringOps.ascii("LINSERT");
    private static final byte[] BEFORE = StringOps.ascii("BEFORE");
    private static final byte[] AFTER = StringOps.ascii("AFTER");
    private static final byte[] LSET = StringOps.ascii("LSET");
    private static final byte[] LREM = StringOps.ascii("LREM");
    private static final byte[] LTRIM = StringOps.ascii("LTRIM");
    private static final byte[] LMOVE = StringOps.ascii("LMOVE");
    private static final byte[] RPOPLPUSH = StringOps.ascii("RPOPLPUSH");
    private static final byte[] LEFT = StringOps.ascii("LEFT");
    private static final byte[] RIGHT = StringOps.ascii("RIGHT");

    private final Keyspace ks;
    private final CollectionLimits limits;

    public ListOps(Keyspace ks, CollectionLimits limits) {
        this.ks = ks;
        this.limits = limits;
    }

    /** What {@link #mpop} popped: the key and the elements, in pop order. */
    public record Popped(byte[] key, List<byte[]> elements) {
    }

    // ---- helpers ---------------------------------------------------------------------------

    /** {@link #entry} for a read (Redis's lookupKeyRead): counts a keyspace hit or miss. */
    private long entryRead(Shard s, int db, byte[] key, long h, long now, boolean touch) {
        int slot = ks.lookupRead(s, db, key, h, now, touch);
        if (slot < 0) {
            return 0;
        }
        long e = s.table(db).entry(slot);
        Keyspace.checkType(e, ValueType.LIST);
        return e;
    }

    /** @return the entry of a live list under {@code key}, or 0; WRONGTYPE for another type */
    private long entry(Shard s, int db, byte[] key, long h, long now, boolean touch) {
        int slot = ks.lookup(s, db, key, h, now, touch);
        if (slot < 0) {
            return 0;
        }
        long e = s.table(db).entry(slot);
        Keyspace.checkType(e, ValueType.LIST);
        return e;
    }

    private static long root(long e) {
        return NativeMemory.getLong(EntryDescriptor.valueAddress(e));
    }

    /** Creates an empty list under a key known to be absent; @return its quicklist. */
    private long create(Shard s, int db, byte[] key, long h) {
        long e = ks.allocateFor(s, db, key, h, -1, ValueType.LIST, 0, ListStructures.VALUE_SIZE, Keyspace.NO_TTL);
        long ql = Quicklist.create(s.allocator(), limits.listMaxListpackSize, limits.listCompressDepth);
        NativeMemory.putLong(EntryDescriptor.valueAddress(e), ql);
        return ql;
    }

    /**
     * Deletes the key if its list is empty (caller holds the lock; the key is live).
     *
     * @return whether it did (the caller then reports {@link KeyEvent#DEL} after its own event)
     */
    private boolean deleteIfEmpty(Shard s, int db, byte[] key, long h, long ql) {
        if (Quicklist.length(ql) == 0) {
            ks.delete(s, db, ks.lookup(s, db, key, h, ks.now(), false));
            return true;
        }
        return false;
    }

    /** Reports a pop from {@code key}, then its deletion when the pop emptied it (Redis's order). */
    private void popped(int db, byte[] key, boolean head, boolean deleted) {
        ks.modified(db, key, head ? KeyEvent.LPOP : KeyEvent.RPOP);
        if (deleted) {
            ks.modified(db, key, KeyEvent.DEL);
        }
    }

    /**
     * Redis 7.0 keeps an element of 1 GiB or more in a "plain" quicklist node; RedJar's nodes are
     * always listpacks, which stop at 1 GiB, so such an element is refused before anything
     * changes (reachable only through the typed API or a raised {@code proto-max-bulk-len}).
     */
    static void checkElements(byte[]... values) {
        for (byte[] v : values) {
            if (v.length > MAX_ELEMENT) {
                throw new io.redjar.RedJarException("ERR list element of " + v.length
                    + " bytes is too large (RedJar lists hold elements below 1 GiB)");
            }
        }
    }

    /** The largest element a listpack node takes: 1 GiB less the listpack header, entry header, backlen and terminator. */
    static final long MAX_ELEMENT = io.redjar.internal.structure.ListpackDescriptor.MAX_SAFETY_SIZE - 32;

    private static byte[][] argv(byte[] a, byte[] b, byte[][] rest) {
        byte[][] out = new byte[2 + rest.length][];
        out[0] = a;
        out[1] = b;
        System.arraycopy(rest, 0, out, 2, rest.length);
        return out;
    }

    // ---- push ------------------------------------------------------------------------------

    /**
     * LPUSH / RPUSH / LPUSHX / RPUSHX.
     *
     * @param onlyIfExists the X forms: do nothing when the key is missing
     * @return the length after the push (0 when an X form found no key)
     */
    public long push(int db, byte[] key, boolean head, boolean onlyIfExists, byte[]... values) {
        checkElements(values);
        Shard s = ks.shardOf(key);
        long h = Keyspace.hash(key);
        s.lock();
        try {
            long e = entry(s, db, key, h, ks.now(), true);
            long ql;
            if (e == 0) {
                if (onlyIfExists) {
                    return 0;
                }
                ql = create(s, db, key, h);
            } else {
                ql = root(e);
            }
            for (byte[] v : values) {
                Quicklist.push(s.allocator(), ql, v, head);
            }
            byte[] name = onlyIfExists ? (head ? LPUSHX : RPUSHX) : (head ? LPUSH : RPUSH);
            ks.propagate(db, argv(name, key, values));
            ks.modified(db, key, head ? KeyEvent.LPUSH : KeyEvent.RPUSH);
            return Quicklist.length(ql);
        } finally {
            s.unlock();
        }
    }

    // ---- pop -------------------------------------------------------------------------------

    /** LPOP / RPOP without a count: the element, or null when the key is missing. */
    public byte[] pop(int db, byte[] key, boolean head) {
        Shard s = ks.shardOf(key);
        long h = Keyspace.hash(key);
        s.lock();
        try {
            long e = entry(s, db, key, h, ks.now(), true);
            if (e == 0) {
                return null;
            }
            long ql = root(e);
            byte[] v = Quicklist.pop(s.allocator(), ql, head);
            boolean deleted = deleteIfEmpty(s, db, key, h, ql);
            ks.propagate(db, head ? LPOP : RPOP, key);
            popped(db, key, head, deleted);
            return v;
        } finally {
            s.unlock();
        }
    }

    /**
     * LPOP / RPOP with a count (already checked non-negative).
     *
     * @return the popped elements in pop order (empty for count 0), or null when the key is missing
     */
    public List<byte[]> pop(int db, byte[] key, boolean head, long count) {
        Shard s = ks.shardOf(key);
        long h = Keyspace.hash(key);
        s.lock();
        try {
            long e = entry(s, db, key, h, ks.now(), true);
            if (e == 0) {
                return null;
            }
            if (count == 0) {
                return List.of();
            }
            List<byte[]> out = popRange(s, root(e), head, count);
            boolean deleted = deleteIfEmpty(s, db, key, h, root(e));
            ks.propagate(db, head ? LPOP : RPOP, key, Numbers.formatLong(count));
            popped(db, key, head, deleted);
            return out;
        } finally {
            s.unlock();
        }
    }

    /** Removes up to {@code count} elements from one end; @return them in pop order. */
    private static List<byte[]> popRange(Shard s, long ql, boolean head, long count) {
        long len = Quicklist.length(ql);
        long n = Math.min(count, len);
        List<byte[]> out = Quicklist.range(ql, head ? 0 : -1, n, head);
        Quicklist.deleteRange(s.allocator(), ql, head ? 0 : -n, n);
        return out;
    }

    /**
     * LMPOP (and the non-blocking attempt of BLMPOP / BLPOP / BRPOP): pops from the first
     * non-empty list among {@code keys[from..to)}.
     *
     * @param count how many (at least 1), or -1 for the BLPOP/BRPOP form: one element, replicated
     *              as {@code LPOP key} without a count
     * @return the key and the elements, or null when every key is missing
     */
    public Popped mpop(int db, byte[][] keys, int from, int to, boolean head, long count) {
        int[] shards = ks.shardsOf(keys, from, to, 1);
        ks.lock(shards);
        try {
            long now = ks.now();
            for (int i = from; i < to; i++) {
                byte[] key = keys[i];
                Shard s = ks.shardOf(key);
                long h = Keyspace.hash(key);
                long e = entry(s, db, key, h, now, true);
                if (e == 0) {
                    continue;
                }
                long ql = root(e);
                long len = Quicklist.length(ql);
                List<byte[]> out = popRange(s, ql, head, count < 0 ? 1 : count);
                boolean deleted = deleteIfEmpty(s, db, key, h, ql);
                if (count < 0) {
                    ks.propagate(db, head ? LPOP : RPOP, key);
                } else {
                    ks.propagate(db, head ? LPOP : RPOP, key, Numbers.formatLong(Math.min(count, len)));
                }
                popped(db, key, head, deleted);
                return new Popped(key, out);
            }
            return null;
        } finally {
            ks.unlock(shards);
        }
    }

    /**
     * LMOVE / RPOPLPUSH (and the non-blocking attempt of BLMOVE / BRPOPLPUSH): pops from one end of
     * {@code src} and pushes onto one end of {@code dst}; the destination's type is checked before
     * anything is popped, and a same-key move rotates the list in place (it never disappears).
     *
     * @param asRpoplpush replicate as {@code RPOPLPUSH src dst} instead of {@code LMOVE}
     * @return the moved element, or null when {@code src} is missing
     */
    public byte[] move(int db, byte[] src, byte[] dst, boolean fromHead, boolean toHead, boolean asRpoplpush) {
        byte[][] keys = {src, dst};
        int[] shards = ks.shardsOf(keys, 0, 2, 1);
        ks.lock(shards);
        try {
            long now = ks.now();
            Shard ss = ks.shardOf(src);
            long sh = Keyspace.hash(src);
            long se = entry(ss, db, src, sh, now, true);
            if (se == 0) {
                return null;
            }
            long sql = root(se);
            Shard ds = ks.shardOf(dst);
            long dh = Keyspace.hash(dst);
            long de = entry(ds, db, dst, dh, now, true);
            byte[] v = Quicklist.pop(ss.allocator(), sql, fromHead);
            long dql = de == 0 ? create(ds, db, dst, dh) : root(de);
            Quicklist.push(ds.allocator(), dql, v, toHead);
            boolean deleted = !Arrays.equals(src, dst) && deleteIfEmpty(ss, db, src, sh, sql);
            if (asRpoplpush) {
                ks.propagate(db, RPOPLPUSH, src, dst);
            } else {
                ks.propagate(db, LMOVE, src, dst, fromHead ? LEFT : RIGHT, toHead ? LEFT : RIGHT);
            }
            ks.modified(db, dst, toHead ? KeyEvent.LPUSH : KeyEvent.RPUSH); // Redis: the push, then the pop
            popped(db, src, fromHead, deleted);
            return v;
        } finally {
            ks.unlock(shards);
        }
    }

    // ---- reads -----------------------------------------------------------------------------

    /** LLEN. */
    public long llen(int db, byte[] key) {
        Shard s = ks.shardOf(key);
        s.lock();
        try {
            long e = entryRead(s, db, key, Keyspace.hash(key), ks.now(), true);
            return e == 0 ? 0 : Quicklist.length(root(e));
        } finally {
            s.unlock();
        }
    }

    /** LRANGE with Redis's index rules; empty when the key is missing. */
    public List<byte[]> range(int db, byte[] key, long start, long end) {
        Shard s = ks.shardOf(key);
        s.lock();
        try {
            long e = entryRead(s, db, key, Keyspace.hash(key), ks.now(), true);
            if (e == 0) {
                return List.of();
            }
            long ql = root(e);
            long llen = Quicklist.length(ql);
            if (start < 0) {
                start = llen + start;
            }
            if (end < 0) {
                end = llen + end;
            }
            if (start < 0) {
                start = 0;
            }
            if (start > end || start >= llen) {
                return List.of();
            }
            if (end >= llen) {
                end = llen - 1;
            }
            return Quicklist.range(ql, start, end - start + 1, true);
        } finally {
            s.unlock();
        }
    }

    /**
     * LINDEX: the element, or null when the key is missing or the index out of range.
     *
     * @param index parsed after the key checks (Redis's order)
     */
    public byte[] index(int db, byte[] key, LongSupplier index) {
        Shard s = ks.shardOf(key);
        s.lock();
        try {
            long e = entryRead(s, db, key, Keyspace.hash(key), ks.now(), true);
            if (e == 0) {
                return null;
            }
            return Quicklist.get(root(e), index.getAsLong());
        } finally {
            s.unlock();
        }
    }

    /**
     * LPOS.
     *
     * @param rank   non-zero; negative searches from the tail
     * @param count  -1 when not given, 0 for all matches
     * @param maxlen 0 for no limit
     * @return the matching indexes (at most one when {@code count} is -1), or null when the key is
     *     missing
     */
    public long[] pos(int db, byte[] key, byte[] element, long rank, long count, long maxlen) {
        Shard s = ks.shardOf(key);
        s.lock();
        try {
            long e = entryRead(s, db, key, Keyspace.hash(key), ks.now(), true);
            if (e == 0) {
                return null;
            }
            long ql = root(e);
            boolean forward = rank > 0;
            if (rank < 0) {
                rank = -rank;
            }
            long llen = Quicklist.length(ql);
            long want = count == -1 ? 1 : count;
            long[] out = new long[8];
            int n = 0;
            long matches = 0;
            Quicklist.Cursor c = Quicklist.seek(ql, forward ? 0 : -1, forward);
            long index = 0;
            while (c != null && (maxlen == 0 || index < maxlen)) {
                if (c.equalsValue(element)) {
                    matches++;
                    if (matches >= rank) {
                        if (n == out.length) {
                            out = Arrays.copyOf(out, n * 2);
                        }
                        out[n++] = forward ? index : llen - index - 1;
                        if (want != 0 && matches - rank + 1 >= want) {
                            break;
                        }
                    }
                }
                index++;
                if (!c.advance()) {
                    break;
                }
            }
            return Arrays.copyOf(out, n);
        } finally {
            s.unlock();
        }
    }

    // ---- writes ----------------------------------------------------------------------------

    /**
     * LSET.
     *
     * @param index parsed after the key checks (Redis's order)
     * @throws io.redjar.RedJarException {@code ERR no such key} / {@code ERR index out of range}
     */
    public void set(int db, byte[] key, LongSupplier index, byte[] value) {
        checkElements(value);
        Shard s = ks.shardOf(key);
        s.lock();
        try {
            long e = entry(s, db, key, Keyspace.hash(key), ks.now(), true);
            if (e == 0) {
                throw new io.redjar.RedJarException("ERR no such key");
            }
            long i = index.getAsLong();
            if (!Quicklist.replace(s.allocator(), root(e), i, value)) {
                throw new io.redjar.RedJarException("ERR index out of range");
            }
            ks.propagate(db, LSET, key, Numbers.formatLong(i), value);
            ks.modified(db, key, KeyEvent.LSET);
        } finally {
            s.unlock();
        }
    }

    /**
     * LINSERT.
     *
     * @return the new length, -1 when the pivot is not found, 0 when the key is missing
     */
    public long insert(int db, byte[] key, boolean after, byte[] pivot, byte[] value) {
        checkElements(value);
        Shard s = ks.shardOf(key);
        s.lock();
        try {
            long e = entry(s, db, key, Keyspace.hash(key), ks.now(), true);
            if (e == 0) {
                return 0;
            }
            long ql = root(e);
            Quicklist.Cursor c = Quicklist.seek(ql, 0, true);
            while (c != null && c.valid()) {
                if (c.equalsValue(pivot)) {
                    Quicklist.insert(s.allocator(), c, value, after);
                    ks.propagate(db, LINSERT, key, after ? AFTER : BEFORE, pivot, value);
                    ks.modified(db, key, KeyEvent.LINSERT);
                    return Quicklist.length(ql);
                }
                if (!c.advance()) {
                    break;
                }
            }
            return -1;
        } finally {
            s.unlock();
        }
    }

    /**
     * LREM: {@code count > 0} removes from the head, {@code < 0} from the tail, 0 all.
     *
     * @return how many were removed
     */
    public long remove(int db, byte[] key, long count, byte[] value) {
        Shard s = ks.shardOf(key);
        long h = Keyspace.hash(key);
        s.lock();
        try {
            long e = entry(s, db, key, h, ks.now(), true);
            if (e == 0) {
                return 0;
            }
            long ql = root(e);
            long toRemove = count;
            boolean forward = true;
            if (toRemove < 0) {
                toRemove = -toRemove; // Long.MIN_VALUE stays negative: never reached, removes all (as Redis)
                forward = false;
            }
            long removed = 0;
            Quicklist.Cursor c = Quicklist.seek(ql, forward ? 0 : -1, forward);
            boolean more = c != null;
            while (more) {
                if (c.equalsValue(value)) {
                    more = Quicklist.deleteAndAdvance(s.allocator(), c);
                    removed++;
                    if (toRemove != 0 && removed == toRemove) {
                        break;
                    }
                } else {
                    more = c.advance();
                }
            }
            if (removed > 0) {
                boolean deleted = deleteIfEmpty(s, db, key, h, ql);
                ks.propagate(db, LREM, key, Numbers.formatLong(count), value);
                ks.modified(db, key, KeyEvent.LREM);
                if (deleted) {
                    ks.modified(db, key, KeyEvent.DEL);
                }
            }
            return removed;
        } finally {
            s.unlock();
        }
    }

    /** LTRIM with Redis's index rules; nothing when the key is missing. */
    public void trim(int db, byte[] key, long start, long end) {
        Shard s = ks.shardOf(key);
        long h = Keyspace.hash(key);
        s.lock();
        try {
            long e = entry(s, db, key, h, ks.now(), true);
            if (e == 0) {
                return;
            }
            long ql = root(e);
            long llen = Quicklist.length(ql);
            byte[][] asIs = {LTRIM, key, Numbers.formatLong(start), Numbers.formatLong(end)};
            if (start < 0) {
                start = llen + start;
            }
            if (end < 0) {
                end = llen + end;
            }
            if (start < 0) {
                start = 0;
            }
            long ltrim;
            long rtrim;
            if (start > end || start >= llen) {
                ltrim = llen;
                rtrim = 0;
            } else {
                if (end >= llen) {
                    end = llen - 1;
                }
                ltrim = start;
                rtrim = llen - end - 1;
            }
            Quicklist.deleteRange(s.allocator(), ql, 0, ltrim);
            Quicklist.deleteRange(s.allocator(), ql, -rtrim, rtrim);
            boolean deleted = false;
            if (ltrim + rtrim > 0) {
                deleted = deleteIfEmpty(s, db, key, h, ql);
                ks.propagate(db, asIs);
            }
            ks.modified(db, key, KeyEvent.LTRIM); // Redis reports it even when nothing was trimmed
            if (deleted) {
                ks.modified(db, key, KeyEvent.DEL);
            }
        } finally {
            s.unlock();
        }
    }

    /** @return every element of the list under {@code key}, head first (empty when missing); for tests */
    public List<byte[]> all(int db, byte[] key) {
        return new ArrayList<>(range(db, key, 0, -1));
    }
}
