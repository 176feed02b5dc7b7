package io.redjar;

import io.redjar.internal.Engine;
import io.redjar.internal.command.CallPath;
import io.redjar.internal.types.HashOps;
import io.redjar.internal.util.LongDouble;
import io.redjar.internal.util.Preconditions;

import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Function;

/**
 * Hash commands on one database, called directly (no parsing): {@code HSET}, {@code HGET} and the
 * rest of Redis's hash family. Each method has a {@code byte[]} form and a {@code String} form
 * (UTF-8 for keys, fields and values).
 *
 * <pre>{@code
 * Hashes h = store.hashes();
 * h.hset("user:1", Map.of("name", "Ada", "visits", "1"));
 * h.hincrBy("user:1", "visits", 1);                 // 2
 * Map<String, String> all = h.hgetAll("user:1");    // {name=Ada, visits=2}
 * }</pre>
 *
 * <p>Results keep Redis's order: for a small (listpack) hash, insertion order; for a large
 * (hashtable) hash, the table's order. A missing key reads as an empty hash.
 *
 * <p>Errors are Redis's, as exceptions: {@link WrongTypeException} when the key holds another type,
 * {@link NotIntegerException} from {@link #hincrBy} on a value that is not an integer
 * ({@code ERR hash value is not an integer}), {@link RedJarException} otherwise (for example
 * {@code ERR wrong number of arguments for 'hdel' command} when no field is given), with the same
 * text Redis replies.
 *
 * <p><b>Arguments:</b> a null argument, or a null element of an array or map argument, is
 * rejected with {@link NullPointerException} naming it ({@code "key must not be null"},
 * {@code "members[1] must not be null"}) before the store is touched; a {@code Duration} or
 * {@code Instant} whose milliseconds overflow a {@code long} with {@link IllegalArgumentException}.
 * Values that Redis itself judges (negative counts, zero expiries, ...) get Redis's error.
 * Only {@link #hscan}'s {@code pattern} may be null.
 *
 * <p><b>Thread-safety:</b> thread-safe; each call is one atomic command, except {@link #hscan},
 * whose iterator runs many HSCAN steps with Redis's HSCAN guarantee (every field present for the
 * whole iteration is returned at least once; fields may repeat).
 */
public final class Hashes {
    private final CallPath path;
    private final int db;

    Hashes(Engine engine, int db) {
        this.path = engine.callPath();
        this.db = db;
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String s(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    private static RedJarException arity(String command) {
        return new RedJarException("ERR wrong number of arguments for '" + command + "' command");
    }

    /** The items as bytes; none is Redis's arity error for {@code command}. */
    private static byte[][] args(String command, String[] items) {
        if (items.length == 0) {
            throw arity(command);
        }
        byte[][] a = new byte[items.length][];
        for (int i = 0; i < items.length; i++) {
            a[i] = b(items[i]);
        }
        return a;
    }

    private static byte[][] args(String command, byte[][] items) {
        if (items.length == 0) {
            throw arity(command);
        }
        return items;
    }

    private static <T> List<T> column(List<byte[][]> pairs, int i, Function<byte[], T> f) {
        List<T> out = new ArrayList<>(pairs.size());
        for (byte[][] p : pairs) {
            out.add(f.apply(p[i]));
        }
        return out;
    }

    private static <T> List<Map.Entry<T, T>> entries(List<byte[][]> pairs, Function<byte[], T> f) {
        List<Map.Entry<T, T>> out = new ArrayList<>(pairs.size());
        for (byte[][] p : pairs) {
            out.add(new AbstractMap.SimpleImmutableEntry<>(f.apply(p[0]), f.apply(p[1])));
        }
        return out;
    }

    // ---- writes ------------------------------------------------------------------------------

    /**
     * HSET key field value.
     *
     * @return 1 if the field is new, 0 if an existing field was updated
     */
    public long hset(byte[] key, byte[] field, byte[] value) {
        Preconditions.notNull(key, "key");
        Preconditions.notNull(field, "field");
        Preconditions.notNull(value, "value");
        return path.call("hset", db, o -> o.hashes().hset(db, key, new byte[][] {field, value}, 0, false));
    }

    /** HSET key field value. @return 1 if the field is new, 0 if it was updated */
    public long hset(String key, String field, String value) {
        Preconditions.notNull(key, "key");
        Preconditions.notNull(field, "field");
        Preconditions.notNull(value, "value");
        return hset(b(key), b(field), b(value));
    }

    /**
     * HSET key field value [field value ...], in the map's iteration order (atomically).
     *
     * @return the number of fields created (updated ones do not count)
     * @throws RedJarException {@code ERR wrong number of arguments for 'hset' command} when the
     *                         map is empty
     */
    public long hset(String key, Map<String, String> fields) {
        Preconditions.notNull(key, "key");
        Preconditions.noNullEntries(fields, "fields");
        if (fields.isEmpty()) {
            throw arity("hset");
        }
        byte[][] a = new byte[fields.size() * 2][];
        int i = 0;
        for (Map.Entry<String, String> e : fields.entrySet()) {
            a[i++] = b(e.getKey());
            a[i++] = b(e.getValue());
        }
        return path.call("hset", db, o -> o.hashes().hset(db, b(key), a, 0, false));
    }

    /**
     * HSET with binary fields and values, in the map's iteration order (atomically). The map is
     * only iterated, so any map of arrays works (arrays compare by identity as map keys: use a
     * {@link LinkedHashMap} or a list-backed map to keep the order).
     *
     * @return the number of fields created
     * @throws RedJarException {@code ERR wrong number of arguments for 'hset' command} when the
     *                         map is empty
     */
    public long hset(byte[] key, Map<byte[], byte[]> fields) {
        Preconditions.notNull(key, "key");
        Preconditions.noNullEntries(fields, "fields");
        if (fields.isEmpty()) {
            throw arity("hset");
        }
        byte[][] a = new byte[fields.size() * 2][];
        int i = 0;
        for (Map.Entry<byte[], byte[]> e : fields.entrySet()) {
            a[i++] = e.getKey();
            a[i++] = e.getValue();
        }
        return path.call("hset", db, o -> o.hashes().hset(db, key, a, 0, false));
    }

    /** HSETNX: sets the field only if it does not exist; @return whether it did */
    public boolean hsetnx(byte[] key, byte[] field, byte[] value) {
        Preconditions.notNull(key, "key");
        Preconditions.notNull(field, "field");
        Preconditions.notNull(value, "value");
        return path.call("hsetnx", db, o -> o.hashes().hsetnx(db, key, field, value));
    }

    /** HSETNX: sets the field only if it does not exist; @return whether it did */
    public boolean hsetnx(String key, String field, String value) {
        Preconditions.notNull(key, "key");
        Preconditions.notNull(field, "field");
        Preconditions.notNull(value, "value");
        return hsetnx(b(key), b(field), b(value));
    }

    /**
     * HDEL: deletes the fields; the key goes when the hash empties.
     *
     * @return the number of fields that existed and were deleted
     * @throws RedJarException {@code ERR wrong number of arguments for 'hdel' command} when no
     *                         field is given
     */
    public long hdel(byte[] key, byte[]... fields) {
        Preconditions.notNull(key, "key");
        Preconditions.noNullElements(fields, "fields");
        return path.call("hdel", db, o -> o.hashes().hdel(db, key, args("hdel", fields), 0));
    }

    /** HDEL. @return the number of fields deleted */
    public long hdel(String key, String... fields) {
        Preconditions.notNull(key, "key");
        Preconditions.noNullElements(fields, "fields");
        return path.call("hdel", db, o -> o.hashes().hdel(db, b(key), args("hdel", fields), 0));
    }

    /**
     * HINCRBY: adds {@code delta} to the field's decimal integer (a missing field counts as 0).
     *
     * @return the new value
     * @throws NotIntegerException {@code ERR hash value is not an integer} when the field's value
     *                             is not a 64-bit decimal integer
     * @throws RedJarException     {@code ERR increment or decrement would overflow}
     */
    public long hincrBy(byte[] key, byte[] field, long delta) {
        Preconditions.notNull(key, "key");
        Preconditions.notNull(field, "field");
        return path.call("hincrby", db, o -> o.hashes().hincrby(db, key, field, delta));
    }

    /** HINCRBY; see {@link #hincrBy(byte[], byte[], long)}. @return the new value */
    public long hincrBy(String key, String field, long delta) {
        Preconditions.notNull(key, "key");
        Preconditions.notNull(field, "field");
        return hincrBy(b(key), b(field), delta);
    }

    private byte[] incrByFloat(byte[] key, byte[] field, double delta) {
        // as a client sends a double: its shortest decimal text, read with Redis's long double
        // rules (so 0.1 adds the long double nearest 0.1, as HINCRBYFLOAT k f 0.1 does)
        LongDouble incr = Double.isFinite(delta)
            ? LongDouble.parse(Double.toString(delta).getBytes(StandardCharsets.US_ASCII))
            : LongDouble.of(delta);
        return path.call("hincrbyfloat", db, o -> o.hashes().hincrbyfloat(db, key, field, incr));
    }

    /**
     * HINCRBYFLOAT, the binary form: the same as {@code HINCRBYFLOAT key field <delta>} with
     * {@code delta} written as Java's shortest decimal text ({@link Double#toString(double)}), in
     * Redis's long double arithmetic.
     *
     * @return the text now stored in the field, exactly as HINCRBYFLOAT replies it (e.g.
     *         {@code "10.6"})
     * @throws RedJarException {@code ERR hash value is not a float} when the field's value is not
     *                         a number; {@code ERR value is NaN or Infinity} for a NaN or
     *                         infinite {@code delta}; {@code ERR increment would produce NaN or
     *                         Infinity}
     */
    public byte[] hincrByFloat(byte[] key, byte[] field, double delta) {
        Preconditions.notNull(key, "key");
        Preconditions.notNull(field, "field");
        return incrByFloat(key, field, delta);
    }

    /**
     * HINCRBYFLOAT; see {@link #hincrByFloat(byte[], byte[], double)}.
     *
     * @return the stored text read as a double (the stored text, a long double's 17 significant
     *         digits, may be more precise than the double: read the field with {@link #hget} for
     *         the text itself)
     */
    public double hincrByFloat(String key, String field, double delta) {
        Preconditions.notNull(key, "key");
        Preconditions.notNull(field, "field");
        return Double.parseDouble(s(incrByFloat(b(key), b(field), delta)));
    }

    // ---- reads -------------------------------------------------------------------------------

    /** HGET: the field's value, or null if the field or the key is missing. */
    public byte[] hget(byte[] key, byte[] field) {
        Preconditions.notNull(key, "key");
        Preconditions.notNull(field, "field");
        return path.call("hget", db, o -> o.hashes().hget(db, key, field));
    }

    /** HGET: the field's value, or null if the field or the key is missing. */
    public String hget(String key, String field) {
        Preconditions.notNull(key, "key");
        Preconditions.notNull(field, "field");
        return s(hget(b(key), b(field)));
    }

    /**
     * HMGET: the values in field order, null for missing fields (all null for a missing key).
     *
     * @throws RedJarException {@code ERR wrong number of arguments for 'hmget' command} when no
     *                         field is given
     */
    public List<byte[]> hmget(byte[] key, byte[]... fields) {
        Preconditions.notNull(key, "key");
        Preconditions.noNullElements(fields, "fields");
        return Collections.unmodifiableList(java.util.Arrays.asList(path.call("hmget", db, o -> o.hashes().hmget(db, key, args("hmget", fields), 0))));
    }

    /** HMGET: the values in field order, null for missing fields. */
    public List<String> hmget(String key, String... fields) {
        Preconditions.notNull(key, "key");
        Preconditions.noNullElements(fields, "fields");
        byte[][] v = path.call("hmget", db, o -> o.hashes().hmget(db, b(key), args("hmget", fields), 0));
        List<String> out = new ArrayList<>(v.length);
        for (byte[] x : v) {
            out.add(s(x));
        }
        return out;
    }

    /**
     * HGETALL, binary: the field, value pairs in Redis's order (empty for a missing key). A list
     * of entries, because arrays make poor map keys.
     */
    public List<Map.Entry<byte[], byte[]>> hgetAll(byte[] key) {
        Preconditions.notNull(key, "key");
        return entries(path.call("hgetall", db, o -> o.hashes().hgetall(db, key)), Function.identity());
    }

    /** HGETALL: a {@link LinkedHashMap} in Redis's order (empty for a missing key). */
    public Map<String, String> hgetAll(String key) {
        Preconditions.notNull(key, "key");
        List<byte[][]> pairs = path.call("hgetall", db, o -> o.hashes().hgetall(db, b(key)));
        Map<String, String> out = new LinkedHashMap<>(Math.max(16, pairs.size() * 4 / 3 + 1));
        for (byte[][] p : pairs) {
            out.put(s(p[0]), s(p[1]));
        }
        return out;
    }

    /** HKEYS: the fields in Redis's order. */
    public List<byte[]> hkeys(byte[] key) {
        Preconditions.notNull(key, "key");
        return column(path.call("hkeys", db, o -> o.hashes().hgetall(db, key)), 0, Function.identity());
    }

    /** HKEYS: the fields in Redis's order. */
    public List<String> hkeys(String key) {
        Preconditions.notNull(key, "key");
        return column(path.call("hkeys", db, o -> o.hashes().hgetall(db, b(key))), 0, Hashes::s);
    }

    /** HVALS: the values in Redis's order. */
    public List<byte[]> hvals(byte[] key) {
        Preconditions.notNull(key, "key");
        return column(path.call("hvals", db, o -> o.hashes().hgetall(db, key)), 1, Function.identity());
    }

    /** HVALS: the values in Redis's order. */
    public List<String> hvals(String key) {
        Preconditions.notNull(key, "key");
        return column(path.call("hvals", db, o -> o.hashes().hgetall(db, b(key))), 1, Hashes::s);
    }

    /** HEXISTS: @return whether the field exists */
    public boolean hexists(byte[] key, byte[] field) {
        Preconditions.notNull(key, "key");
        Preconditions.notNull(field, "field");
        return path.call("hexists", db, o -> o.hashes().hexists(db, key, field));
    }

    /** HEXISTS: @return whether the field exists */
    public boolean hexists(String key, String field) {
        Preconditions.notNull(key, "key");
        Preconditions.notNull(field, "field");
        return hexists(b(key), b(field));
    }

    /** HLEN: @return the number of fields (0 for a missing key) */
    public long hlen(byte[] key) {
        Preconditions.notNull(key, "key");
        return path.call("hlen", db, o -> o.hashes().hlen(db, key));
    }

    /** HLEN: @return the number of fields (0 for a missing key) */
    public long hlen(String key) {
        Preconditions.notNull(key, "key");
        return hlen(b(key));
    }

    /** HSTRLEN: @return the length in bytes of the field's value (0 if missing) */
    public long hstrlen(byte[] key, byte[] field) {
        Preconditions.notNull(key, "key");
        Preconditions.notNull(field, "field");
        return path.call("hstrlen", db, o -> o.hashes().hstrlen(db, key, field));
    }

    /** HSTRLEN: @return the length in bytes (UTF-8) of the field's value (0 if missing) */
    public long hstrlen(String key, String field) {
        Preconditions.notNull(key, "key");
        Preconditions.notNull(field, "field");
        return hstrlen(b(key), b(field));
    }

    // ---- random fields -----------------------------------------------------------------------

    /** HRANDFIELD key: a random field, or null for a missing key. */
    public byte[] hrandfield(byte[] key) {
        Preconditions.notNull(key, "key");
        return path.call("hrandfield", db, o -> o.hashes().hrandfield(db, key));
    }

    /** HRANDFIELD key: a random field, or null for a missing key. */
    public String hrandfield(String key) {
        Preconditions.notNull(key, "key");
        return s(hrandfield(b(key)));
    }

    /**
     * HRANDFIELD key count: a positive count gives up to {@code count} distinct fields (the whole
     * hash when it has no more); a negative count gives exactly {@code -count} fields picked
     * independently, so they may repeat. Empty for a missing key or a zero count.
     *
     * @throws RedJarException          {@code ERR value is out of range, value must between
     *                                  -9223372036854775807 and 9223372036854775807} for
     *                                  {@code Long.MIN_VALUE}, as Redis
     * @throws IllegalArgumentException for a negative {@code count} below {@code -(Integer.MAX_VALUE - 8)}:
     *                                  more elements than a list holds
     */
    public List<byte[]> hrandfield(byte[] key, long count) {
        Preconditions.notNull(key, "key");
        return column(path.call("hrandfield", db, o -> o.hashes().hrandfield(db, key, Counts.random(count, false))), 0, Function.identity());
    }

    /** HRANDFIELD key count; see {@link #hrandfield(byte[], long)}. */
    public List<String> hrandfield(String key, long count) {
        Preconditions.notNull(key, "key");
        return column(path.call("hrandfield", db, o -> o.hashes().hrandfield(db, b(key), Counts.random(count, false))), 0, Hashes::s);
    }

    /**
     * HRANDFIELD key count WITHVALUES: as {@link #hrandfield(byte[], long)}, with each field's
     * value (a list of entries, since fields may repeat for a negative count).
     *
     * @throws RedJarException          {@code ERR value is out of range} when {@code |count|} exceeds
     *                                  {@code Long.MAX_VALUE / 2}, as Redis (for
     *                                  {@code Long.MIN_VALUE}, Redis's longer range message)
     * @throws IllegalArgumentException for a negative {@code count} below {@code -(Integer.MAX_VALUE - 8)}:
     *                                  more elements than a list holds
     */
    public List<Map.Entry<byte[], byte[]>> hrandfieldWithValues(byte[] key, long count) {
        Preconditions.notNull(key, "key");
        Counts.random(count, true);
        return entries(path.call("hrandfield", db, o -> o.hashes().hrandfield(db, key, count)), Function.identity());
    }

    /** HRANDFIELD key count WITHVALUES; see {@link #hrandfieldWithValues(byte[], long)}. */
    public List<Map.Entry<String, String>> hrandfieldWithValues(String key, long count) {
        Preconditions.notNull(key, "key");
        Counts.random(count, true);
        return entries(path.call("hrandfield", db, o -> o.hashes().hrandfield(db, b(key), count)), Hashes::s);
    }

    // ---- HSCAN -------------------------------------------------------------------------------

    /**
     * Iterates the hash's field, value pairs with HSCAN steps. A small (listpack) hash comes in
     * one step; a large one in steps of about {@code count} pairs. Each step locks the key only
     * while it runs: fields added or removed meanwhile may or may not be returned, and a field
     * may be returned twice. A missing key (or one deleted during the iteration) ends it.
     *
     * @param pattern a glob on the fields, or null for all fields
     * @param count   the HSCAN COUNT hint per step (positive)
     * @throws IllegalArgumentException if {@code count < 1}
     * @throws WrongTypeException       (from {@code hasNext}) when the key holds another type
     */
    public Iterator<Map.Entry<byte[], byte[]>> hscan(byte[] key, byte[] pattern, int count) {
        Preconditions.notNull(key, "key");
        byte[] p = pattern == null || (pattern.length == 1 && pattern[0] == '*') ? null : pattern;
        return scan(key, p, count, Function.identity());
    }

    /** HSCAN as an iterator; see {@link #hscan(byte[], byte[], int)}. */
    public Iterator<Map.Entry<String, String>> hscan(String key, String pattern, int count) {
        Preconditions.notNull(key, "key");
        byte[] p = pattern == null || pattern.equals("*") ? null : b(pattern);
        return scan(b(key), p, count, Hashes::s);
    }

    private <T> Iterator<Map.Entry<T, T>> scan(byte[] key, byte[] pattern, int count, Function<byte[], T> f) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be positive");
        }
        return new Iterator<>() {
            long cursor = 0;
            boolean started;
            Iterator<byte[]> page = Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                while (!page.hasNext()) {
                    if (started && cursor == 0) {
                        return false;
                    }
                    started = true;
                    HashOps.ScanResult r = path.call("hscan", db, o -> o.hashes().hscan(db, key, cursor, pattern, count));
                    cursor = r.cursor;
                    page = r.items.iterator();
                }
                return true;
            }

            @Override
            public Map.Entry<T, T> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                T field = f.apply(page.next());
                return new AbstractMap.SimpleImmutableEntry<>(field, f.apply(page.next()));
            }
        };
    }
}
