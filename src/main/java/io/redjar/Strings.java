package io.redjar;

import io.redjar.internal.Engine;
import io.redjar.internal.command.CallPath;
import io.redjar.internal.types.StringOps;
import io.redjar.internal.util.Preconditions;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * String commands on one database, called directly (no parsing): {@code GET}, {@code SET} and the
 * rest of Redis's string family. Each method has a {@code byte[]} form and a {@code String} form
 * (UTF-8 for keys and values).
 *
 * <p>Errors are Redis's, as exceptions: {@link WrongTypeException} when the key holds another type,
 * {@link NotIntegerException} for counters on non-integers, {@link RedJarException} otherwise, with
 * the same text Redis replies.
 *
 * <p><b>Arguments:</b> a null argument, or a null element of an array or map argument, is
 * rejected with {@link NullPointerException} naming it ({@code "key must not be null"},
 * {@code "members[1] must not be null"}) before the store is touched; a {@code Duration} or
 * {@code Instant} whose milliseconds overflow a {@code long} with {@link IllegalArgumentException}.
 * Values that Redis itself judges (negative counts, zero expiries, ...) get Redis's error.
 *
 * <p><b>Thread-safety:</b> thread-safe; each call is one atomic command.
 */
public final class Strings {
    private final CallPath path;
    private final int db;

    Strings(Engine engine, int db) {
        this.path = engine.callPath();
        this.db = db;
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String s(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    /** GET: the value, or null if the key does not exist. */
    public byte[] get(byte[] key) {
        Preconditions.notNull(key, "key");
        return path.call("get", db, key, (o, d, k) -> o.strings().get(d, k));
    }

    /** GET. */
    public String get(String key) {
        Preconditions.notNull(key, "key");
        return s(path.call("get", db, o -> o.strings().get(db, b(key))));
    }

    /** SET without options. */
    public void set(byte[] key, byte[] value) {
        Preconditions.notNull(key, "key");
        Preconditions.notNull(value, "value");
        path.call("set", db, key, value, (o, d, k, v) -> o.strings().set(d, k, v, SetOptions.none(), "set"));
    }

    /** SET without options. */
    public void set(String key, String value) {
        Preconditions.notNull(key, "key");
        Preconditions.notNull(value, "value");
        set(b(key), b(value));
    }

    /**
     * SET with options.
     *
     * @return whether the value was written (false when NX/XX prevented it)
     */
    public boolean set(byte[] key, byte[] value, SetOptions options) {
        Preconditions.notNull(key, "key");
        Preconditions.notNull(value, "value");
        Preconditions.notNull(options, "options");
        return path.call("set", db, o -> o.strings().set(db, key, value, options, "set")).written;
    }

    /** SET with options. */
    public boolean set(String key, String value, SetOptions options) {
        Preconditions.notNull(key, "key");
        Preconditions.notNull(value, "value");
        Preconditions.notNull(options, "options");
        return set(b(key), b(value), options);
    }

    /** SET with a time to live (SET key value PX ms). */
    public void set(String key, String value, Duration ttl) {
        Preconditions.notNull(key, "key");
        Preconditions.notNull(value, "value");
        Preconditions.notNull(ttl, "ttl");
        set(b(key), b(value), SetOptions.none().ttl(ttl));
    }

    /** SETNX: sets only if absent; returns whether it did. */
    public boolean setnx(byte[] key, byte[] value) {
        Preconditions.notNull(key, "key");
        Preconditions.notNull(value, "value");
        return set(key, value, SetOptions.none().nx());
    }

    /** SETNX. */
    public boolean setnx(String key, String value) {
        Preconditions.notNull(key, "key");
        Preconditions.notNull(value, "value");
        return setnx(b(key), b(value));
    }

    /** GETSET (SET ... GET): sets and returns the old value, or null. */
    public byte[] getSet(byte[] key, byte[] value) {
        Preconditions.notNull(key, "key");
        Preconditions.notNull(value, "value");
        return path.call("getset", db, o -> o.strings().getSet(db, key, value));
    }

    /** GETSET. */
    public String getSet(String key, String value) {
        Preconditions.notNull(key, "key");
        Preconditions.notNull(value, "value");
        return s(getSet(b(key), b(value)));
    }

    /** GETDEL: returns the value and deletes the key. */
    public byte[] getDel(byte[] key) {
        Preconditions.notNull(key, "key");
        return path.call("getdel", db, o -> o.strings().getDel(db, key));
    }

    /** GETDEL. */
    public String getDel(String key) {
        Preconditions.notNull(key, "key");
        return s(getDel(b(key)));
    }

    /** GETEX key PX ms: returns the value and sets its time to live. */
    public byte[] getEx(byte[] key, Duration ttl) {
        Preconditions.notNull(key, "key");
        Preconditions.notNull(ttl, "ttl");
        return path.call("getex", db, o -> o.strings().getEx(db, key, SetOptions.Expiry.PX, Preconditions.millis(ttl, "ttl"), false));
    }

    /** GETEX key PX ms. */
    public String getEx(String key, Duration ttl) {
        Preconditions.notNull(key, "key");
        Preconditions.notNull(ttl, "ttl");
        return s(getEx(b(key), ttl));
    }

    /** GETEX key PERSIST: returns the value and removes its time to live. */
    public byte[] getPersist(byte[] key) {
        Preconditions.notNull(key, "key");
        return path.call("getex", db, o -> o.strings().getEx(db, key, SetOptions.Expiry.NONE, 0, true));
    }

    /** GETEX key PERSIST. */
    public String getPersist(String key) {
        Preconditions.notNull(key, "key");
        return s(getPersist(b(key)));
    }

    /** MGET: values in key order, null for missing keys and keys of other types. */
    public List<byte[]> mget(byte[]... keys) {
        Preconditions.noNullElements(keys, "keys");
        return java.util.Collections.unmodifiableList(java.util.Arrays.asList(path.call("mget", db, o -> o.strings().mget(db, keys, 0))));
    }

    /** MGET. */
    public List<String> mget(String... keys) {
        Preconditions.noNullElements(keys, "keys");
        byte[][] all = new byte[keys.length][];
        for (int i = 0; i < keys.length; i++) {
            all[i] = b(keys[i]);
        }
        byte[][] v = path.call("mget", db, o -> o.strings().mget(db, all, 0));
        List<String> out = new ArrayList<>(v.length);
        for (byte[] x : v) {
            out.add(s(x));
        }
        return out;
    }

    /** MSET: sets every pair atomically. */
    public void mset(Map<String, String> pairs) {
        Preconditions.noNullEntries(pairs, "pairs");
        path.call("mset", db, o -> o.strings().mset(db, flatten(pairs, "mset"), 0, false));
    }

    /** MSETNX: sets every pair only if none of the keys exists; returns whether it did. */
    public boolean msetnx(Map<String, String> pairs) {
        Preconditions.noNullEntries(pairs, "pairs");
        return path.call("msetnx", db, o -> o.strings().mset(db, flatten(pairs, "msetnx"), 0, true));
    }

    private static byte[][] flatten(Map<String, String> pairs, String command) {
        if (pairs.isEmpty()) {
            throw new RedJarException("ERR wrong number of arguments for '" + command + "' command");
        }
        byte[][] a = new byte[pairs.size() * 2][];
        int i = 0;
        for (Map.Entry<String, String> e : new LinkedHashMap<>(pairs).entrySet()) {
            a[i++] = b(e.getKey());
            a[i++] = b(e.getValue());
        }
        return a;
    }

    /** APPEND: returns the new length. */
    public long append(byte[] key, byte[] suffix) {
        Preconditions.notNull(key, "key");
        Preconditions.notNull(suffix, "suffix");
        return path.call("append", db, o -> o.strings().append(db, key, suffix));
    }

    /** APPEND. */
    public long append(String key, String suffix) {
        Preconditions.notNull(key, "key");
        Preconditions.notNull(suffix, "suffix");
        return append(b(key), b(suffix));
    }

    /** STRLEN. */
    public long strlen(byte[] key) {
        Preconditions.notNull(key, "key");
        return path.call("strlen", db, o -> o.strings().strlen(db, key));
    }

    /** STRLEN. */
    public long strlen(String key) {
        Preconditions.notNull(key, "key");
        return strlen(b(key));
    }

    /** GETRANGE with Redis's negative-index rules. */
    public byte[] getrange(byte[] key, long start, long end) {
        Preconditions.notNull(key, "key");
        return path.call("getrange", db, o -> o.strings().getRange(db, key, start, end));
    }

    /** GETRANGE. */
    public String getrange(String key, long start, long end) {
        Preconditions.notNull(key, "key");
        return s(getrange(b(key), start, end));
    }

    /**
     * SETRANGE: returns the new length.
     *
     * @throws RedJarException {@code ERR offset is out of range} for a negative offset;
     *                         {@code ERR string exceeds maximum allowed size (proto-max-bulk-len)}
     *                         when {@code offset + value.length} passes the limit (also when the sum
     *                         overflows a {@code long}, as Redis 7.0.15)
     */
    public long setrange(byte[] key, long offset, byte[] value) {
        Preconditions.notNull(key, "key");
        Preconditions.notNull(value, "value");
        return path.call("setrange", db, o -> o.strings().setRange(db, key, offset, value)); // StringOps checks offset + length as Redis
    }

    /** SETRANGE. */
    public long setrange(String key, long offset, String value) {
        Preconditions.notNull(key, "key");
        Preconditions.notNull(value, "value");
        return setrange(b(key), offset, b(value));
    }

    /**
     * SETBIT: sets or clears one bit (bit 0 is the most significant bit of the first byte),
     * growing the value with zero bytes as needed; returns the bit's previous value.
     *
     * @throws RedJarException {@code ERR bit offset is not an integer or out of range} for an
     *                         offset below 0 or at or past {@code proto-max-bulk-len * 8}
     */
    public boolean setBit(byte[] key, long offset, boolean on) {
        Preconditions.notNull(key, "key");
        return path.call("setbit", db, o -> o.bits().setBit(db, key, o.bits().checkOffset(offset), on ? 1 : 0, null)) == 1;
    }

    /** SETBIT. */
    public boolean setBit(String key, long offset, boolean on) {
        Preconditions.notNull(key, "key");
        return setBit(b(key), offset, on);
    }

    /**
     * GETBIT: the bit at {@code offset}; false for a missing key or past the value's end.
     *
     * @throws RedJarException for an offset out of range, as {@link #setBit(byte[], long, boolean)}
     */
    public boolean getBit(byte[] key, long offset) {
        Preconditions.notNull(key, "key");
        return path.call("getbit", db, o -> o.bits().getBit(db, key, o.bits().checkOffset(offset))) == 1;
    }

    /** GETBIT. */
    public boolean getBit(String key, long offset) {
        Preconditions.notNull(key, "key");
        return getBit(b(key), offset);
    }

    /** BITCOUNT of the whole value (0 for a missing key). */
    public long bitCount(byte[] key) {
        Preconditions.notNull(key, "key");
        return path.call("bitcount", db, o -> o.bits().bitCount(db, key, null));
    }

    /** BITCOUNT. */
    public long bitCount(String key) {
        Preconditions.notNull(key, "key");
        return bitCount(b(key));
    }

    /** INCR. */
    public long incr(String key) {
        Preconditions.notNull(key, "key");
        return path.call("incr", db, o -> o.strings().incrBy(db, b(key), 1));
    }

    /** INCRBY. */
    public long incrBy(String key, long delta) {
        Preconditions.notNull(key, "key");
        return path.call("incrby", db, o -> o.strings().incrBy(db, b(key), delta));
    }

    /** INCRBY. */
    public long incrBy(byte[] key, long delta) {
        Preconditions.notNull(key, "key");
        return path.call("incrby", db, o -> o.strings().incrBy(db, key, delta));
    }

    /** DECR. */
    public long decr(String key) {
        Preconditions.notNull(key, "key");
        return path.call("decr", db, o -> o.strings().incrBy(db, b(key), -1));
    }

    /** DECRBY. */
    public long decrBy(String key, long delta) {
        Preconditions.notNull(key, "key");
        return path.call("decrby", db, o -> o.strings().decrBy(db, b(key), delta));
    }
}
