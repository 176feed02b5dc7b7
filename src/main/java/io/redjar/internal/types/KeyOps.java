package io.redjar.internal.types;

import io.redjar.RedJarException;
import io.redjar.internal.keyspace.EntryDescriptor;
import io.redjar.internal.keyspace.KeyEvent;
import io.redjar.internal.keyspace.KeyTable;
import io.redjar.internal.keyspace.Keyspace;
import io.redjar.internal.keyspace.Shard;
import io.redjar.internal.keyspace.ValueType;
import io.redjar.internal.util.Glob;
import io.redjar.internal.util.Numbers;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Operations on keys of any type (Redis's {@code db.c} and {@code expire.c} commands): delete,
 * exists, type, rename, copy, move, expiry, OBJECT, KEYS, SCAN, RANDOMKEY, DBSIZE, flushing and
 * swapping databases. Arguments arrive parsed; each method locks what it touches, propagates and
 * returns plain values.
 *
 * <p><b>Thread-safety:</b> thread-safe; each call is atomic with respect to every other command.
 */
public final class KeyOps {
    /** Expire condition flags (EXPIRE ... NX|XX|GT|LT). */
    public static final int EXPIRE_NX = 1;
    public static final int EXPIRE_XX = 2;
    public static final int EXPIRE_GT = 4;
    public static final int EXPIRE_LT = 8;

    private static final byte[] DEL = StringOps.ascii("DEL");
    private static final byte[] PEXPIREAT = StringOps.ascii("PEXPIREAT");

    private final Keyspace ks;

    public KeyOps(Keyspace ks) {
        this.ks = ks;
    }

    /** DEL/UNLINK: the number of keys removed; propagates {@code name k...} when any was. */
    public long delete(int db, byte[][] keys, int from, byte[] name) {
        int[] shards = ks.shardsOf(keys, from, keys.length, 1);
        ks.lock(shards);
        try {
            long now = ks.now();
            long n = 0;
            for (int i = from; i < keys.length; i++) {
                Shard s = ks.shardOf(keys[i]);
                int slot = ks.lookup(s, db, keys[i], Keyspace.hash(keys[i]), now, false);
                if (slot >= 0) {
                    ks.delete(s, db, slot);
                    ks.modified(db, keys[i], KeyEvent.DEL);
                    n++;
                }
            }
            if (n > 0) {
                byte[][] prop = new byte[keys.length - from + 1][];
                prop[0] = name;
                System.arraycopy(keys, from, prop, 1, keys.length - from);
                ks.propagate(db, prop);
            }
            return n;
        } finally {
            ks.unlock(shards);
        }
    }

    /** EXISTS (a key named twice counts twice) or TOUCH ({@code touch}: refresh LRU). */
    public long exists(int db, byte[][] keys, int from, boolean touch) {
        int[] shards = ks.shardsOf(keys, from, keys.length, 1);
        ks.lock(shards);
        try {
            long now = ks.now();
            long n = 0;
            for (int i = from; i < keys.length; i++) {
                if (ks.lookup(ks.shardOf(keys[i]), db, keys[i], Keyspace.hash(keys[i]), now, touch) >= 0) {
                    n++;
                }
            }
            return n;
        } finally {
            ks.unlock(shards);
        }
    }

    /** Reads a live entry without touching its access time (TYPE, OBJECT). */
    private interface EntryReader<T> {
        T read(long entry, long now);
    }

    /**
     * Runs {@code reader} on the live entry of {@code key} under its shard lock, without touching
     * its LRU clock.
     *
     * @return the reader's result, or {@code missing} if the key does not exist
     */
    private <T> T inspect(int db, byte[] key, T missing, EntryReader<T> reader) {
        Shard s = ks.shardOf(key);
        s.lock();
        try {
            long now = ks.now();
            int slot = ks.lookup(s, db, key, Keyspace.hash(key), now, false);
            return slot < 0 ? missing : reader.read(s.table(db).entry(slot), now);
        } finally {
            s.unlock();
        }
    }

    /** TYPE: the type name, or {@code none}. */
    public String type(int db, byte[] key) {
        return inspect(db, key, "none", (e, now) -> ValueType.of(EntryDescriptor.type(e)).redisName());
    }

    /**
     * RENAME ({@code nx == false}) or RENAMENX.
     *
     * @return whether it renamed (RENAMENX's 1/0; RENAME always true)
     * @throws RedJarException {@code ERR no such key} if {@code src} is missing
     */
    public boolean rename(int db, byte[] src, byte[] dst, boolean nx) {
        int[] shards = ks.shardsOf(new byte[][] {src, dst}, 0, 2, 1);
        ks.lock(shards);
        try {
            long now = ks.now();
            Shard ss = ks.shardOf(src);
            int sslot = ks.lookup(ss, db, src, Keyspace.hash(src), now, false);
            if (sslot < 0) {
                throw new RedJarException("ERR no such key");
            }
            if (java.util.Arrays.equals(src, dst)) {
                return !nx;
            }
            Shard ds = ks.shardOf(dst);
            long dh = Keyspace.hash(dst);
            int dslot = ks.lookup(ds, db, dst, dh, now, false);
            if (dslot >= 0 && nx) {
                return false;
            }
            long e = ss.table(db).entry(sslot);
            ks.cloneInto(ss, e, ds, db, dst, dh, dslot, true, false);
            // the clone inserted into (and may have rebuilt) the source's table: find the source again
            int again = ss.table(db).find(src, 0, src.length, Keyspace.hash(src));
            if (ss == ds) {
                ks.dropMoved(ss, db, again);
            } else {
                ks.delete(ss, db, again);
            }
            ks.propagate(db, StringOps.ascii(nx ? "RENAMENX" : "RENAME"), src, dst);
            ks.modified(db, src, KeyEvent.RENAME_FROM);
            ks.modified(db, dst, KeyEvent.RENAME_TO);
            return true;
        } finally {
            ks.unlock(shards);
        }
    }

    /** @throws RedJarException {@code ERR DB index is out of range} unless {@code index} names a database */
    public void checkDb(int index) {
        if (index < 0 || index >= ks.databases()) {
            throw new RedJarException("ERR DB index is out of range");
        }
    }

    /**
     * COPY with Redis's checks on typed arguments ({@code copyCommand}): the destination database
     * exists, and is not the source itself.
     */
    public boolean copyChecked(int srcDb, byte[] src, int dstDb, byte[] dst, boolean replace) {
        checkDb(dstDb);
        if (dstDb == srcDb && java.util.Arrays.equals(src, dst)) {
            throw new RedJarException("ERR source and destination objects are the same");
        }
        return copy(srcDb, src, dstDb, dst, replace);
    }

    /** MOVE with Redis's checks on typed arguments ({@code moveCommand}). */
    public boolean moveChecked(int db, byte[] key, int dstDb) {
        checkDb(dstDb);
        if (dstDb == db) {
            throw new RedJarException("ERR source and destination objects are the same");
        }
        return move(db, key, dstDb);
    }

    /**
     * COPY. The caller has checked the databases exist and that source and destination differ.
     *
     * @return whether it copied
     */
    public boolean copy(int srcDb, byte[] src, int dstDb, byte[] dst, boolean replace) {
        int[] shards = ks.shardsOf(new byte[][] {src, dst}, 0, 2, 1);
        ks.lock(shards);
        try {
            long now = ks.now();
            Shard ss = ks.shardOf(src);
            int sslot = ks.lookup(ss, srcDb, src, Keyspace.hash(src), now, true);
            if (sslot < 0) {
                return false;
            }
            Shard ds = ks.shardOf(dst);
            long dh = Keyspace.hash(dst);
            int dslot = ks.lookup(ds, dstDb, dst, dh, now, false);
            if (dslot >= 0 && !replace) {
                return false;
            }
            ks.cloneInto(ss, ss.table(srcDb).entry(sslot), ds, dstDb, dst, dh, dslot, true, true);
            List<byte[]> prop = new ArrayList<>(List.of(StringOps.ascii("COPY"), src, dst, StringOps.ascii("DB"), Numbers.formatLong(dstDb)));
            if (replace) {
                prop.add(StringOps.ascii("REPLACE"));
            }
            ks.propagate(srcDb, prop.toArray(new byte[0][]));
            ks.modified(dstDb, dst, KeyEvent.COPY_TO);
            return true;
        } finally {
            ks.unlock(shards);
        }
    }

    /** MOVE: the caller has checked the databases differ and exist. */
    public boolean move(int db, byte[] key, int dstDb) {
        Shard s = ks.shardOf(key);
        long h = Keyspace.hash(key);
        s.lock();
        try {
            long now = ks.now();
            int slot = ks.lookup(s, db, key, h, now, false);
            if (slot < 0) {
                return false;
            }
            if (ks.lookup(s, dstDb, key, h, now, false) >= 0) {
                return false;
            }
            ks.moveEntry(s, db, slot, dstDb, h);
            ks.propagate(db, StringOps.ascii("MOVE"), key, Numbers.formatLong(dstDb));
            ks.modified(db, key, KeyEvent.MOVE_FROM);
            ks.modified(dstDb, key, KeyEvent.MOVE_TO);
            return true;
        } finally {
            s.unlock();
        }
    }

    // ---- expiry ----------------------------------------------------------------------------

    /**
     * EXPIRE/PEXPIRE/EXPIREAT/PEXPIREAT with Redis 7.0's checks and replies.
     *
     * @param amount  the argument as given
     * @param seconds whether it is in seconds
     * @param relative whether it is relative to now
     * @param cond    {@link #EXPIRE_NX} etc., already validated
     * @param command the command name for the error text
     * @return 1 if the timeout was set (or the key deleted), 0 otherwise
     */
    public long expire(int db, byte[] key, long amount, boolean seconds, boolean relative, int cond, String command) {
        Shard s = ks.shardOf(key);
        long h = Keyspace.hash(key);
        s.lock();
        try {
            long now = ks.now();
            long when = amount;
            if (seconds) {
                if (when > Long.MAX_VALUE / 1000 || when < Long.MIN_VALUE / 1000) {
                    throw new RedJarException("ERR invalid expire time in '" + command + "' command");
                }
                when *= 1000;
            }
            long base = relative ? now : 0;
            if (when > Long.MAX_VALUE - base) {
                throw new RedJarException("ERR invalid expire time in '" + command + "' command");
            }
            when += base;
            int slot = ks.lookup(s, db, key, h, now, false);
            if (slot < 0) {
                return 0;
            }
            long e = s.table(db).entry(slot);
            if (cond != 0) {
                long current = EntryDescriptor.hasExpire(e) ? EntryDescriptor.expireAt(e) : -1;
                if ((cond & EXPIRE_NX) != 0 && current != -1) {
                    return 0;
                }
                if ((cond & EXPIRE_XX) != 0 && current == -1) {
                    return 0;
                }
                if ((cond & EXPIRE_GT) != 0 && (when <= current || current == -1)) {
                    return 0;
                }
                if ((cond & EXPIRE_LT) != 0 && current != -1 && when >= current) {
                    return 0;
                }
            }
            if (when <= now) {
                ks.delete(s, db, slot);
                ks.propagate(db, DEL, key);
                ks.modified(db, key, KeyEvent.DEL);
                return 1;
            }
            ks.setExpire(s, db, slot, when);
            ks.propagate(db, PEXPIREAT, key, Numbers.formatLong(when));
            ks.modified(db, key, KeyEvent.EXPIRE);
            return 1;
        } finally {
            s.unlock();
        }
    }

    /**
     * Redis's {@code (ms+500)/1000} without the overflow at {@code PXAT 9223372036854775807}
     * (Redis replies the exact rounded value, 9223372036854776).
     */
    static long roundToSeconds(long ms) {
        return ms >= 0 ? ms / 1000 + (ms % 1000 + 500) / 1000 : (ms + 500) / 1000;
    }

    /**
     * TTL/PTTL ({@code expireTime == false}) or EXPIRETIME/PEXPIRETIME.
     *
     * @return -2 if missing, -1 if no TTL, else the value in seconds or ms
     */
    public long ttl(int db, byte[] key, boolean millis, boolean expireTime) {
        Shard s = ks.shardOf(key);
        s.lock();
        try {
            long now = ks.now();
            int slot = ks.lookup(s, db, key, Keyspace.hash(key), now, false);
            if (slot < 0) {
                return -2;
            }
            long e = s.table(db).entry(slot);
            if (!EntryDescriptor.hasExpire(e)) {
                return -1;
            }
            long at = EntryDescriptor.expireAt(e);
            if (expireTime) {
                return millis ? at : roundToSeconds(at);
            }
            long ttl = Math.max(0, at - now);
            return millis ? ttl : roundToSeconds(ttl);
        } finally {
            s.unlock();
        }
    }

    /** PERSIST: whether a TTL was removed. */
    public boolean persist(int db, byte[] key) {
        Shard s = ks.shardOf(key);
        s.lock();
        try {
            int slot = ks.lookup(s, db, key, Keyspace.hash(key), ks.now(), true);
            if (slot < 0 || !EntryDescriptor.hasExpire(s.table(db).entry(slot))) {
                return false;
            }
            ks.setExpire(s, db, slot, Keyspace.NO_TTL);
            ks.propagate(db, StringOps.ascii("PERSIST"), key);
            ks.modified(db, key, KeyEvent.PERSIST);
            return true;
        } finally {
            s.unlock();
        }
    }

    // ---- OBJECT ----------------------------------------------------------------------------

    /** OBJECT ENCODING: the encoding name, or null if the key is missing. */
    public String objectEncoding(int db, byte[] key) {
        return inspect(db, key, null, (e, now) -> EntryDescriptor.type(e) == ValueType.STRING.code()
            ? StringOps.encoding(e)
            : ks.structures(ValueType.of(EntryDescriptor.type(e))).encodingName(e));
    }

    /** OBJECT IDLETIME in seconds, or -1 if the key is missing. */
    public long objectIdleTime(int db, byte[] key) {
        return inspect(db, key, -1L, (e, now) -> {
            int lru = EntryDescriptor.lru(e);
            int clock = Keyspace.lruClock(now);
            return (long) (clock >= lru ? clock - lru : clock + (EntryDescriptor.LRU_MAX - lru));
        });
    }

    /**
     * OBJECT FREQ: the key's LFU counter decayed to now (Redis's {@code LFUDecrAndReturn}, not
     * written back), or -1 if the key is missing. Meaningful only under an LFU policy.
     */
    public long objectFreq(int db, byte[] key, int lfuDecayTime) {
        return inspect(db, key, -1L, (e, now) -> (long) io.redjar.internal.eviction.access.Lfu.decrAndReturn(EntryDescriptor.lru(e), now, lfuDecayTime));
    }

    /** OBJECT REFCOUNT, or -1 if the key is missing. */
    public long objectRefcount(int db, byte[] key) {
        return inspect(db, key, -1L, (e, now) ->
            EntryDescriptor.type(e) == ValueType.STRING.code() && StringOps.isSharedInteger(e) ? (long) Integer.MAX_VALUE : 1L);
    }

    /**
     * MEMORY USAGE: the bytes {@code key} takes, counted exactly rather than sampled: its key-table
     * slot, its entry block and every block its value owns, each as the allocator's size class
     * rounds it. Walks the whole value (O(N) in its size, as Redis's {@code SAMPLES 0}).
     *
     * @return the bytes, or -1 if the key is missing
     */
    public long memoryUsage(int db, byte[] key) {
        return inspect(db, key, -1L, (e, now) -> {
            long[] bytes = {KeyTable.SLOT_BYTES + io.redjar.internal.memory.SizeClasses.blockSize(EntryDescriptor.totalLength(e))};
            int type = EntryDescriptor.type(e);
            if (type != ValueType.STRING.code()) {
                Shard s = ks.shardOf(key);
                ks.structures(ValueType.of(type)).verify(s.allocator(), e,
                    (address, size) -> bytes[0] += io.redjar.internal.memory.SizeClasses.blockSize(size));
            }
            return bytes[0];
        });
    }

    /** @return the bytes the key tables of {@code db} take (their slots, on the heap) */
    public long tableBytes(int db) {
        long n = 0;
        for (int i = 0; i < ks.shardCount(); i++) {
            Shard s = ks.shard(i);
            s.lock();
            try {
                n += s.table(db).tableBytes();
            } finally {
                s.unlock();
            }
        }
        return n;
    }

    /** @return whether the key exists (without touching it). */
    public boolean exists(int db, byte[] key) {
        return exists(db, new byte[][] {key}, 0, false) == 1;
    }

    // ---- whole database --------------------------------------------------------------------

    /** KEYS: every live key matching the glob {@code pattern}. */
    public List<byte[]> keys(int db, byte[] pattern) {
        boolean all = pattern.length == 1 && pattern[0] == '*';
        List<byte[]> out = new ArrayList<>();
        ks.lockAll();
        try {
            long now = ks.now();
            for (int i = 0; i < ks.shardCount(); i++) {
                ks.shard(i).table(db).forEach(e -> {
                    if (!Keyspace.isExpired(e, now)) {
                        byte[] k = EntryDescriptor.key(e);
                        if (all || Glob.match(pattern, k, false)) {
                            out.add(k);
                        }
                    }
                });
            }
        } finally {
            ks.unlockAll();
        }
        return out;
    }

    /** One SCAN step's answer. */
    public static final class ScanResult {
        public final long cursor;
        public final List<byte[]> keys;

        ScanResult(long cursor, List<byte[]> keys) {
            this.cursor = cursor;
            this.keys = keys;
        }
    }

    /**
     * SCAN: visits home buckets of one shard after another, ~{@code count} keys per call.
     *
     * @param pattern null for all keys
     * @param type    a type name to keep, or null for all
     */
    public ScanResult scan(int db, long cursor, byte[] pattern, long count, String type) {
        int shardBits = Integer.numberOfTrailingZeros(ks.shardCount());
        int shard = (int) (cursor & (ks.shardCount() - 1));
        long v = cursor >>> shardBits;
        List<Long> raw = new ArrayList<>();
        List<byte[]> keys = new ArrayList<>();
        List<byte[]> expired = new ArrayList<>();
        long maxIterations = count * 10;
        long now = ks.now();
        long next;
        do {
            Shard s = ks.shard(shard);
            s.lock();
            try {
                KeyTable t = s.table(db);
                if (t.size() == 0) {
                    v = 0;
                } else {
                    v = t.scanBucket(v, e -> {
                        raw.add(e);
                    });
                    for (long e : raw) {
                        byte[] k = EntryDescriptor.key(e);
                        // Redis 7.0's order: MATCH first, so expired keys that do not match stay
                        if (pattern != null && !Glob.match(pattern, k, false)) {
                            continue;
                        }
                        if (Keyspace.isExpired(e, now)) {
                            expired.add(k);
                        } else if (type == null || ValueType.of(EntryDescriptor.type(e)).redisName().equalsIgnoreCase(type)) {
                            keys.add(k);
                        }
                    }
                }
            } finally {
                s.unlock();
            }
            count -= raw.size();
            raw.clear();
            if (v == 0) {
                shard++;
                if (shard == ks.shardCount()) {
                    next = 0;
                    break;
                }
            }
            next = (v << shardBits) | shard;
        } while (maxIterations-- > 0 && count > 0);
        for (byte[] k : expired) {
            exists(db, k); // lazy expiry deletes it and propagates DEL
        }
        return new ScanResult(next, keys);
    }

    /** RANDOMKEY: a random live key, or null if the database is empty. */
    public byte[] randomKey(int db) {
        ks.lockAll();
        try {
            ThreadLocalRandom rnd = ThreadLocalRandom.current();
            long now = ks.now();
            while (true) {
                long total = 0;
                for (int i = 0; i < ks.shardCount(); i++) {
                    total += ks.shard(i).table(db).size();
                }
                if (total == 0) {
                    return null;
                }
                long pick = rnd.nextLong(total);
                int i = 0;
                while (pick >= ks.shard(i).table(db).size()) {
                    pick -= ks.shard(i).table(db).size();
                    i++;
                }
                Shard s = ks.shard(i);
                KeyTable t = s.table(db);
                int slot = t.randomSlot(rnd);
                long e = t.entry(slot);
                byte[] k = EntryDescriptor.key(e);
                if (Keyspace.isExpired(e, now)) {
                    // reclaim it and pick again; ends, since every round deletes one key
                    ks.lookup(s, db, k, Keyspace.hash(k), now, false);
                    continue;
                }
                return k;
            }
        } finally {
            ks.unlockAll();
        }
    }

    /** DBSIZE: keys in the database, including expired keys not yet reclaimed (as Redis counts). */
    public long dbSize(int db) {
        return sumTables(db, KeyTable::size);
    }

    /** @return keys with a TTL in the database (for INFO keyspace). */
    public long expiresCount(int db) {
        return sumTables(db, KeyTable::expires);
    }

    private long sumTables(int db, java.util.function.ToIntFunction<KeyTable> count) {
        long n = 0;
        for (int i = 0; i < ks.shardCount(); i++) {
            Shard s = ks.shard(i);
            s.lock();
            try {
                n += count.applyAsInt(s.table(db));
            } finally {
                s.unlock();
            }
        }
        return n;
    }

    /** FLUSHDB ({@code db >= 0}) or FLUSHALL ({@code db == -1}). */
    public void flush(int db) {
        ks.lockAll();
        try {
            ks.flushing(db);
            for (int i = 0; i < ks.shardCount(); i++) {
                Shard s = ks.shard(i);
                for (int d = 0; d < ks.databases(); d++) {
                    if (db < 0 || d == db) {
                        s.table(d).clear();
                    }
                }
            }
            ks.propagate(Math.max(db, 0), StringOps.ascii(db < 0 ? "FLUSHALL" : "FLUSHDB"));
            ks.flushed(db);
        } finally {
            ks.unlockAll();
        }
    }

    /** SWAPDB: the caller has checked both indexes. */
    public void swapDb(int a, int b) {
        ks.lockAll();
        try {
            ks.swapDatabases(a, b);
            ks.propagate(0, StringOps.ascii("SWAPDB"), Numbers.formatLong(a), Numbers.formatLong(b));
        } finally {
            ks.unlockAll();
        }
    }
}
