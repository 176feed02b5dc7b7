package io.redjar.internal.types;

import io.redjar.NotIntegerException;
import io.redjar.RedJarException;
import io.redjar.SetOptions;
import io.redjar.internal.keyspace.EntryDescriptor;
import io.redjar.internal.keyspace.KeyEvent;
import io.redjar.internal.keyspace.Keyspace;
import io.redjar.internal.keyspace.Shard;
import io.redjar.internal.keyspace.ValueType;
import io.redjar.internal.memory.NativeMemory;
import io.redjar.internal.util.LongDouble;
import io.redjar.internal.util.Numbers;
import io.redjar.internal.util.Sizes;

import java.nio.charset.StandardCharsets;

/**
 * The string type's operations (Redis's {@code t_string.c} without the argument parsing): every
 * method takes already-parsed arguments, locks the key's shard, does the work, propagates its
 * deterministic effect, and returns a plain Java value. The typed handles call these directly; the
 * command adapter ({@code StringCommands}) parses argv, calls them and builds replies.
 *
 * <p>Values are stored as their bytes. The encoding {@code OBJECT ENCODING} reports is derived
 * from the bytes plus a two-bit hint, reproducing Redis's {@code int}/{@code embstr}/{@code raw}
 * choice without storing an integer form.
 *
 * <p><b>Thread-safety:</b> thread-safe; each call is atomic with respect to every other command.
 */
public final class StringOps {
    /** Redis's {@code proto-max-bulk-len} default: the largest string value. */
    public static final long MAX_STRING = Sizes.DEFAULT_PROTO_MAX_BULK_LEN;
    static final byte[] SET = ascii("SET");
    static final byte[] PXAT = ascii("PXAT");
    static final byte[] KEEPTTL = ascii("KEEPTTL");
    static final byte[] DEL = ascii("DEL");
    static final byte[] PEXPIREAT = ascii("PEXPIREAT");
    static final byte[] PERSIST = ascii("PERSIST");
    static final byte[] EMPTY = new byte[0];

    private final Keyspace ks;
    private final CollectionLimits limits;

    public StringOps(Keyspace ks) {
        this(ks, new CollectionLimits());
    }

    /** @param limits supplies {@code proto-max-bulk-len}, the largest string a command may build */
    public StringOps(Keyspace ks, CollectionLimits limits) {
        this.ks = ks;
        this.limits = limits;
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    // ---- reads -----------------------------------------------------------------------------

    /** GET: the value, or null if the key is missing. */
    public byte[] get(int db, byte[] key) {
        Shard s = ks.shardOf(key);
        long h = Keyspace.hash(key);
        s.lock();
        try {
            long e = Keyspace.entryOf(s, db, ks.lookupRead(s, db, key, h, ks.now(), true), ValueType.STRING);
            return e == 0 ? null : EntryDescriptor.value(e);
        } finally {
            s.unlock();
        }
    }

    /** STRLEN. */
    public long strlen(int db, byte[] key) {
        Shard s = ks.shardOf(key);
        long h = Keyspace.hash(key);
        s.lock();
        try {
            long e = Keyspace.entryOf(s, db, ks.lookupRead(s, db, key, h, ks.now(), true), ValueType.STRING);
            return e == 0 ? 0 : EntryDescriptor.valueLength(e);
        } finally {
            s.unlock();
        }
    }

    /** GETRANGE with Redis 7.0's index rules. */
    public byte[] getRange(int db, byte[] key, long start, long end) {
        Shard s = ks.shardOf(key);
        long h = Keyspace.hash(key);
        s.lock();
        try {
            long e = Keyspace.entryOf(s, db, ks.lookupRead(s, db, key, h, ks.now(), true), ValueType.STRING);
            if (e == 0) {
                return EMPTY;
            }
            long len = EntryDescriptor.valueLength(e);
            if (start < 0 && end < 0 && start > end) {
                return EMPTY;
            }
            if (start < 0) {
                start = len + start;
            }
            if (end < 0) {
                end = len + end;
            }
            if (start < 0) {
                start = 0;
            }
            if (end < 0) {
                end = 0;
            }
            if (end >= len) {
                end = len - 1;
            }
            if (start > end || len == 0) {
                return EMPTY;
            }
            return NativeMemory.toArray(EntryDescriptor.valueAddress(e) + start, Sizes.toInt(end - start + 1, Sizes.OUT_OF_RANGE));
        } finally {
            s.unlock();
        }
    }

    /** MGET: values in key order, null for missing keys and non-strings. */
    public byte[][] mget(int db, byte[][] keys, int from) {
        int[] shards = ks.shardsOf(keys, from, keys.length, 1);
        byte[][] out = new byte[keys.length - from][];
        ks.lock(shards);
        try {
            long now = ks.now();
            for (int i = from; i < keys.length; i++) {
                Shard s = ks.shardOf(keys[i]);
                int slot = ks.lookupRead(s, db, keys[i], Keyspace.hash(keys[i]), now, true);
                if (slot >= 0) {
                    long e = s.table(db).entry(slot);
                    if (EntryDescriptor.type(e) == ValueType.STRING.code()) {
                        out[i - from] = EntryDescriptor.value(e);
                    }
                }
            }
        } finally {
            ks.unlock(shards);
        }
        return out;
    }

    // ---- SET family ------------------------------------------------------------------------

    /** Result of {@link #set}: whether it was written, and the old value for {@code GET}. */
    public static final class SetResult {
        static final SetResult DONE = new SetResult(true, null, false);
        static final SetResult SKIPPED = new SetResult(false, null, false);
        public final boolean written;
        public final byte[] old;
        public final boolean oldWasString;

        SetResult(boolean written, byte[] old, boolean oldWasString) {
            this.written = written;
            this.old = old;
            this.oldWasString = oldWasString;
        }
    }

    /**
     * SET with every option. {@code command} names the command in the expire error
     * ({@code set}, {@code setex}, {@code psetex}).
     */
    public SetResult set(int db, byte[] key, byte[] value, SetOptions o, String command) {
        checkLength(value.length);
        Shard s = ks.shardOf(key);
        long h = Keyspace.hash(key);
        s.lock();
        try {
            long now = ks.now();
            long expireAt = o.resolveExpireAt(now, command);
            int slot = ks.lookup(s, db, key, h, now, true);
            if (o.isGet()) {
                ks.stats().read(slot >= 0); // SET ... GET reads first (Redis's getGenericCommand)
            }
            byte[] old = null;
            if (o.isGet() && slot >= 0) {
                old = EntryDescriptor.value(Keyspace.entryOf(s, db, slot, ValueType.STRING));
            }
            boolean found = slot >= 0;
            if ((o.condition() == SetOptions.Condition.NX && found) || (o.condition() == SetOptions.Condition.XX && !found)) {
                return o.isGet() ? new SetResult(false, old, true) : SetResult.SKIPPED;
            }
            ks.store(s, db, key, h, slot, ValueType.STRING, EntryDescriptor.ENC_AUTO, value, 0, value.length, expireAt);
            ks.modified(db, key, KeyEvent.SET);
            if (expireAt > 0) {
                ks.propagate(db, SET, key, value, PXAT, Numbers.formatLong(expireAt));
                ks.modified(db, key, KeyEvent.EXPIRE);
            } else if (expireAt == Keyspace.KEEP_TTL) {
                ks.propagate(db, SET, key, value, KEEPTTL);
            } else {
                ks.propagate(db, SET, key, value);
            }
            return o.isGet() ? new SetResult(true, old, true) : SetResult.DONE;
        } finally {
            s.unlock();
        }
    }

    /** GETSET: sets and returns the old value (null if missing). */
    public byte[] getSet(int db, byte[] key, byte[] value) {
        return set(db, key, value, SetOptions.none().get(), "getset").old;
    }

    /** GETDEL. */
    public byte[] getDel(int db, byte[] key) {
        Shard s = ks.shardOf(key);
        long h = Keyspace.hash(key);
        s.lock();
        try {
            int slot = ks.lookupRead(s, db, key, h, ks.now(), true);
            if (slot < 0) {
                return null;
            }
            long e = s.table(db).entry(slot);
            Keyspace.checkType(e, ValueType.STRING);
            byte[] v = EntryDescriptor.value(e);
            ks.delete(s, db, slot);
            ks.propagate(db, DEL, key);
            ks.modified(db, key, KeyEvent.DEL);
            return v;
        } finally {
            s.unlock();
        }
    }

    /**
     * GETEX. {@code expiry} is NONE (just GET), PERSIST is requested with {@code persist}, or one
     * of EX/PX/EXAT/PXAT with {@code value}.
     */
    public byte[] getEx(int db, byte[] key, SetOptions.Expiry expiry, long value, boolean persist) {
        Shard s = ks.shardOf(key);
        long h = Keyspace.hash(key);
        s.lock();
        try {
            long now = ks.now();
            int slot = ks.lookupRead(s, db, key, h, now, true);
            if (slot < 0) {
                return null;
            }
            long e = s.table(db).entry(slot);
            Keyspace.checkType(e, ValueType.STRING);
            long at = 0;
            if (expiry != SetOptions.Expiry.NONE) {
                at = SetOptions.absoluteExpire(expiry, value, now, "getex");
            }
            byte[] v = EntryDescriptor.value(e);
            if ((expiry == SetOptions.Expiry.PXAT || expiry == SetOptions.Expiry.EXAT) && at <= now) {
                ks.delete(s, db, slot);
                ks.propagate(db, DEL, key);
                ks.modified(db, key, KeyEvent.DEL);
            } else if (expiry != SetOptions.Expiry.NONE) {
                ks.setExpire(s, db, slot, at);
                ks.propagate(db, PEXPIREAT, key, Numbers.formatLong(at));
                ks.modified(db, key, KeyEvent.EXPIRE);
            } else if (persist && EntryDescriptor.hasExpire(e)) {
                ks.setExpire(s, db, slot, Keyspace.NO_TTL);
                ks.propagate(db, PERSIST, key);
                ks.modified(db, key, KeyEvent.PERSIST);
            }
            return v;
        } finally {
            s.unlock();
        }
    }

    /**
     * MSET ({@code nx == false}) or MSETNX: pairs at {@code argv[from..]}.
     *
     * @return whether the values were written (always true for MSET)
     */
    public boolean mset(int db, byte[][] argv, int from, boolean nx) {
        for (int i = from + 1; i < argv.length; i += 2) {
            checkLength(argv[i].length);
        }
        int[] shards = ks.shardsOf(argv, from, argv.length, 2);
        ks.lock(shards);
        try {
            long now = ks.now();
            if (nx) {
                for (int i = from; i < argv.length; i += 2) {
                    if (ks.lookup(ks.shardOf(argv[i]), db, argv[i], Keyspace.hash(argv[i]), now, false) >= 0) {
                        return false;
                    }
                }
            }
            for (int i = from; i < argv.length; i += 2) {
                byte[] key = argv[i];
                Shard s = ks.shardOf(key);
                long h = Keyspace.hash(key);
                int slot = ks.lookup(s, db, key, h, now, true);
                ks.store(s, db, key, h, slot, ValueType.STRING, EntryDescriptor.ENC_AUTO, argv[i + 1], 0, argv[i + 1].length, Keyspace.NO_TTL);
                ks.modified(db, key, KeyEvent.SET);
            }
            byte[][] prop = new byte[argv.length - from + 1][];
            prop[0] = nx ? ascii("MSETNX") : ascii("MSET");
            System.arraycopy(argv, from, prop, 1, argv.length - from);
            ks.propagate(db, prop);
            return true;
        } finally {
            ks.unlock(shards);
        }
    }

    // ---- in-place edits --------------------------------------------------------------------

    /** APPEND: returns the new length. */
    public long append(int db, byte[] key, byte[] suffix) {
        Shard s = ks.shardOf(key);
        long h = Keyspace.hash(key);
        s.lock();
        try {
            int slot = ks.lookup(s, db, key, h, ks.now(), true);
            if (slot < 0) {
                checkLength(suffix.length);
                ks.store(s, db, key, h, -1, ValueType.STRING, EntryDescriptor.ENC_AUTO, suffix, 0, suffix.length, Keyspace.NO_TTL);
                ks.propagate(db, ascii("APPEND"), key, suffix);
                ks.modified(db, key, KeyEvent.APPEND);
                return suffix.length;
            }
            long e = s.table(db).entry(slot);
            Keyspace.checkType(e, ValueType.STRING);
            int old = EntryDescriptor.valueLength(e);
            // Redis's checkStringLength(c, old, append): the sum is checked before it is formed
            int total = Sizes.checkStringLength(old, suffix.length, limits.protoMaxBulkLen);
            e = ks.resizeValue(s, db, slot, total);
            NativeMemory.copyFromArray(suffix, 0, EntryDescriptor.valueAddress(e) + old, suffix.length);
            setEncodingHint(e, EntryDescriptor.ENC_RAW);
            ks.propagate(db, ascii("APPEND"), key, suffix);
            ks.modified(db, key, KeyEvent.APPEND);
            return total;
        } finally {
            s.unlock();
        }
    }

    /** SETRANGE: returns the new length. {@code offset} is already checked non-negative. */
    public long setRange(int db, byte[] key, long offset, byte[] value) {
        if (offset < 0) {
            throw new RedJarException("ERR offset is out of range");
        }
        Shard s = ks.shardOf(key);
        long h = Keyspace.hash(key);
        s.lock();
        try {
            int slot = ks.lookup(s, db, key, h, ks.now(), true);
            if (slot < 0) {
                if (value.length == 0) {
                    return 0;
                }
                // offset + length may overflow a long: checked as Redis 7.0.15's checkStringLength
                int len = Sizes.checkStringLength(offset, value.length, limits.protoMaxBulkLen);
                long e = ks.allocateFor(s, db, key, h, -1, ValueType.STRING, EntryDescriptor.ENC_RAW, len, Keyspace.NO_TTL);
                long v = EntryDescriptor.valueAddress(e);
                NativeMemory.fill(v, offset, (byte) 0);
                NativeMemory.copyFromArray(value, 0, v + offset, value.length);
                ks.propagate(db, ascii("SETRANGE"), key, Numbers.formatLong(offset), value);
                ks.modified(db, key, KeyEvent.SETRANGE);
                return len;
            }
            long e = s.table(db).entry(slot);
            Keyspace.checkType(e, ValueType.STRING);
            int old = EntryDescriptor.valueLength(e);
            if (value.length == 0) {
                return old;
            }
            int need = Sizes.checkStringLength(offset, value.length, limits.protoMaxBulkLen);
            if (need > old) {
                e = ks.resizeValue(s, db, slot, need);
                NativeMemory.fill(EntryDescriptor.valueAddress(e) + old, need - old, (byte) 0);
            }
            NativeMemory.copyFromArray(value, 0, EntryDescriptor.valueAddress(e) + offset, value.length);
            setEncodingHint(e, EntryDescriptor.ENC_RAW);
            ks.propagate(db, ascii("SETRANGE"), key, Numbers.formatLong(offset), value);
            ks.modified(db, key, KeyEvent.SETRANGE);
            return Math.max(old, need);
        } finally {
            s.unlock();
        }
    }

    private static void setEncodingHint(long e, int hint) {
        int f = EntryDescriptor.flags(e) & ~(0x3 << EntryDescriptor.ENC_SHIFT);
        EntryDescriptor.setFlags(e, f | (hint << EntryDescriptor.ENC_SHIFT));
    }

    // ---- counters --------------------------------------------------------------------------

    /** DECRBY: {@code ERR decrement would overflow} for {@link Long#MIN_VALUE}, as Redis. */
    public long decrBy(int db, byte[] key, long delta) {
        if (delta == Long.MIN_VALUE) {
            throw new RedJarException("ERR decrement would overflow");
        }
        return incrBy(db, key, -delta);
    }

    /** INCRBY/DECRBY/INCR/DECR: returns the new value. */
    public long incrBy(int db, byte[] key, long delta) {
        Shard s = ks.shardOf(key);
        long h = Keyspace.hash(key);
        s.lock();
        try {
            int slot = ks.lookup(s, db, key, h, ks.now(), true);
            long e = Keyspace.entryOf(s, db, slot, ValueType.STRING);
            long value = e == 0 ? 0 : parseStoredLong(e);
            if ((delta < 0 && value < 0 && delta < Long.MIN_VALUE - value)
                || (delta > 0 && value > 0 && delta > Long.MAX_VALUE - value)) {
                throw new RedJarException("ERR increment or decrement would overflow");
            }
            long result = value + delta;
            byte[] digits = Numbers.formatLong(result);
            ks.store(s, db, key, h, slot, ValueType.STRING, EntryDescriptor.ENC_AUTO, digits, 0, digits.length, Keyspace.KEEP_TTL);
            ks.propagate(db, ascii("INCRBY"), key, Numbers.formatLong(delta));
            ks.modified(db, key, KeyEvent.INCRBY);
            return result;
        } finally {
            s.unlock();
        }
    }

    /**
     * INCRBYFLOAT with Redis 7.0's x87 {@code long double} arithmetic and formatting.
     *
     * @return the new value's text
     */
    public byte[] incrByFloat(int db, byte[] key, byte[] increment) {
        Shard s = ks.shardOf(key);
        long h = Keyspace.hash(key);
        s.lock();
        try {
            int slot = ks.lookup(s, db, key, h, ks.now(), true);
            long e = Keyspace.entryOf(s, db, slot, ValueType.STRING);
            LongDouble value = e == 0 ? LongDouble.ZERO : LongDouble.parse(EntryDescriptor.value(e));
            LongDouble incr = LongDouble.parse(increment);
            LongDouble result = value.add(incr);
            if (result.isNaN() || result.isInfinite()) {
                throw new RedJarException("ERR increment would produce NaN or Infinity");
            }
            byte[] text = result.toHumanString();
            ks.store(s, db, key, h, slot, ValueType.STRING, EntryDescriptor.ENC_EMBSTR, text, 0, text.length, Keyspace.KEEP_TTL);
            ks.propagate(db, SET, key, text, KEEPTTL);
            ks.modified(db, key, KeyEvent.INCRBYFLOAT);
            return text;
        } finally {
            s.unlock();
        }
    }

    /**
     * The two values LCS compares: each key's string, or empty if missing.
     *
     * @throws RedJarException {@code ERR The specified keys must contain string values}
     */
    public byte[][] lcsInputs(int db, byte[] a, byte[] b) {
        int[] shards = ks.shardsOf(new byte[][] {a, b}, 0, 2, 1);
        ks.lock(shards);
        try {
            long now = ks.now();
            byte[][] out = new byte[2][];
            byte[][] keys = {a, b};
            for (int i = 0; i < 2; i++) {
                Shard s = ks.shardOf(keys[i]);
                int slot = ks.lookupRead(s, db, keys[i], Keyspace.hash(keys[i]), now, true);
                if (slot < 0) {
                    out[i] = EMPTY;
                    continue;
                }
                long e = s.table(db).entry(slot);
                if (EntryDescriptor.type(e) != ValueType.STRING.code()) {
                    throw new RedJarException("ERR The specified keys must contain string values");
                }
                out[i] = EntryDescriptor.value(e);
            }
            return out;
        } finally {
            ks.unlock(shards);
        }
    }

    private static long parseStoredLong(long e) {
        int len = EntryDescriptor.valueLength(e);
        if (len == 0 || len > 20) {
            throw new NotIntegerException();
        }
        return Numbers.parseLong(EntryDescriptor.value(e));
    }

    private void checkLength(long len) {
        Sizes.checkStringLength(len, limits.protoMaxBulkLen);
    }

    /** @return the configured {@code proto-max-bulk-len} (LCS's transient-memory limit too) */
    public long protoMaxBulkLen() {
        return limits.protoMaxBulkLen;
    }

    // ---- OBJECT support --------------------------------------------------------------------

    /** @return the encoding name Redis would report for the string entry {@code e}. */
    public static String encoding(long e) {
        int hint = EntryDescriptor.encodingHint(e);
        int len = EntryDescriptor.valueLength(e);
        if (hint == EntryDescriptor.ENC_RAW) {
            return "raw";
        }
        boolean auto = hint == EntryDescriptor.ENC_AUTO || hint == EntryDescriptor.ENC_AUTO_PRIVATE;
        if (auto && len <= 20 && len > 0 && Numbers.isLong(EntryDescriptor.value(e))) {
            return "int";
        }
        return len <= 44 ? "embstr" : "raw";
    }

    /** @return whether Redis would share this value's object (small non-negative int). */
    public static boolean isSharedInteger(long e) {
        if (EntryDescriptor.encodingHint(e) != EntryDescriptor.ENC_AUTO || !"int".equals(encoding(e))) {
            return false;
        }
        long v = Numbers.parseLong(EntryDescriptor.value(e));
        return v >= 0 && v < 10000;
    }
}
