package io.redjar;

import io.redjar.internal.Engine;
import io.redjar.internal.command.CallPath;
import io.redjar.internal.types.SetOps;
import io.redjar.internal.util.Preconditions;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.Function;

/**
 * Set commands on one database, called directly (no parsing): {@code SADD}, {@code SMEMBERS},
 * the set algebra and the rest of Redis's set family. Each method has a {@code byte[]} form and a
 * {@code String} form (UTF-8 for keys and members).
 *
 * <pre>{@code
 * Sets sets = store.sets();
 * sets.sadd("tags:1", "java", "redis");
 * sets.sadd("tags:2", "redis", "c");
 * Set<String> both = sets.sinter("tags:1", "tags:2");   // [redis]
 * }</pre>
 *
 * <p>The {@code String} forms return members as a {@link LinkedHashSet} (or, where members may
 * repeat, a {@link List}) in Redis's reply order: ascending for a set of integers (intset), the
 * table's order otherwise. The {@code byte[]} forms return lists in the same order. A missing key
 * reads as an empty set.
 *
 * <p>Errors are Redis's, as exceptions: {@link WrongTypeException} when a key holds another type,
 * {@link RedJarException} otherwise (for example {@code ERR wrong number of arguments for 'sadd'
 * command} when no member is given), with the same text Redis replies.
 *
 * <p><b>Arguments:</b> a null argument, or a null element of an array or map argument, is
 * rejected with {@link NullPointerException} naming it ({@code "key must not be null"},
 * {@code "members[1] must not be null"}) before the store is touched; a {@code Duration} or
 * {@code Instant} whose milliseconds overflow a {@code long} with {@link IllegalArgumentException}.
 * Values that Redis itself judges (negative counts, zero expiries, ...) get Redis's error.
 * Only {@link #sscan}'s {@code pattern} may be null.
 *
 * <p><b>Thread-safety:</b> thread-safe; each call is one atomic command (the multi-key ones lock
 * every key they name), except {@link #sscan}, whose iterator runs many SSCAN steps with Redis's
 * SSCAN guarantee (every member present for the whole iteration is returned at least once;
 * members may repeat).
 */
public final class Sets {
    private static final String NOT_POSITIVE = "ERR value is out of range, must be positive";

    private final CallPath path;
    private final int db;

    Sets(Engine engine, int db) {
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
        return bs(items);
    }

    private static byte[][] args(String command, byte[][] items) {
        if (items.length == 0) {
            throw arity(command);
        }
        return items;
    }

    private static Set<String> strings(List<byte[]> members) {
        Set<String> out = new LinkedHashSet<>(Math.max(16, members.size() * 4 / 3 + 1));
        for (byte[] m : members) {
            out.add(s(m));
        }
        return out;
    }

    private static List<String> stringList(List<byte[]> members) {
        List<String> out = new ArrayList<>(members.size());
        for (byte[] m : members) {
            out.add(s(m));
        }
        return out;
    }

    private static List<Boolean> flags(boolean[] r) {
        List<Boolean> out = new ArrayList<>(r.length);
        for (boolean x : r) {
            out.add(x);
        }
        return out;
    }

    // ---- single-key commands -----------------------------------------------------------------

    /**
     * SADD: adds the members.
     *
     * @return how many were not already members
     * @throws RedJarException {@code ERR wrong number of arguments for 'sadd' command} when no
     *                         member is given
     */
    public long sadd(byte[] key, byte[]... members) {
        Preconditions.notNull(key, "key");
        Preconditions.noNullElements(members, "members");
        return path.call("sadd", db, o -> o.sets().sadd(db, key, args("sadd", members), 0));
    }

    /** SADD. @return how many were added */
    public long sadd(String key, String... members) {
        Preconditions.notNull(key, "key");
        Preconditions.noNullElements(members, "members");
        byte[] k = b(key);
        return path.call("sadd", db, o -> o.sets().sadd(db, k, args("sadd", members), 0));
    }

    /**
     * SREM: removes the members; the key goes when the set empties.
     *
     * @return how many were members
     * @throws RedJarException {@code ERR wrong number of arguments for 'srem' command} when no
     *                         member is given
     */
    public long srem(byte[] key, byte[]... members) {
        Preconditions.notNull(key, "key");
        Preconditions.noNullElements(members, "members");
        return path.call("srem", db, o -> o.sets().srem(db, key, args("srem", members), 0));
    }

    /** SREM. @return how many were removed */
    public long srem(String key, String... members) {
        Preconditions.notNull(key, "key");
        Preconditions.noNullElements(members, "members");
        byte[] k = b(key);
        return path.call("srem", db, o -> o.sets().srem(db, k, args("srem", members), 0));
    }

    /** SMEMBERS: every member in Redis's order (empty for a missing key). */
    public List<byte[]> smembers(byte[] key) {
        Preconditions.notNull(key, "key");
        return path.call("smembers", db, o -> o.sets().smembers(db, key));
    }

    /** SMEMBERS: every member, a {@link LinkedHashSet} in Redis's order. */
    public Set<String> smembers(String key) {
        Preconditions.notNull(key, "key");
        return strings(path.call("smembers", db, o -> o.sets().smembers(db, b(key))));
    }

    /** SISMEMBER: @return whether {@code member} is in the set */
    public boolean sismember(byte[] key, byte[] member) {
        Preconditions.notNull(key, "key");
        Preconditions.notNull(member, "member");
        return path.call("sismember", db, o -> o.sets().sismember(db, key, member));
    }

    /** SISMEMBER: @return whether {@code member} is in the set */
    public boolean sismember(String key, String member) {
        Preconditions.notNull(key, "key");
        Preconditions.notNull(member, "member");
        return sismember(b(key), b(member));
    }

    /**
     * SMISMEMBER: one flag per member, in argument order (all false for a missing key).
     *
     * @throws RedJarException {@code ERR wrong number of arguments for 'smismember' command} when
     *                         no member is given
     */
    public List<Boolean> smismember(byte[] key, byte[]... members) {
        Preconditions.notNull(key, "key");
        Preconditions.noNullElements(members, "members");
        return flags(path.call("smismember", db, o -> o.sets().smismember(db, key, args("smismember", members), 0)));
    }

    /** SMISMEMBER: one flag per member, in argument order. */
    public List<Boolean> smismember(String key, String... members) {
        Preconditions.notNull(key, "key");
        Preconditions.noNullElements(members, "members");
        byte[] k = b(key);
        return flags(path.call("smismember", db, o -> o.sets().smismember(db, k, args("smismember", members), 0)));
    }

    /** SCARD: @return the number of members (0 for a missing key) */
    public long scard(byte[] key) {
        Preconditions.notNull(key, "key");
        return path.call("scard", db, o -> o.sets().scard(db, key));
    }

    /** SCARD: @return the number of members (0 for a missing key) */
    public long scard(String key) {
        Preconditions.notNull(key, "key");
        return scard(b(key));
    }

    /** SPOP key: removes and returns a random member, or null for a missing key. */
    public byte[] spop(byte[] key) {
        Preconditions.notNull(key, "key");
        return path.call("spop", db, o -> o.sets().spop(db, key));
    }

    /** SPOP key: removes and returns a random member, or null for a missing key. */
    public String spop(String key) {
        Preconditions.notNull(key, "key");
        return s(spop(b(key)));
    }

    private static void checkPopCount(long count) {
        if (count < 0) {
            throw new RedJarException(NOT_POSITIVE);
        }
    }

    /**
     * SPOP key count: removes and returns up to {@code count} distinct random members (the whole
     * set, deleting the key, when it has no more).
     *
     * @throws RedJarException {@code ERR value is out of range, must be positive} for a negative
     *                         count
     */
    public List<byte[]> spop(byte[] key, long count) {
        Preconditions.notNull(key, "key");
        checkPopCount(count);
        return path.call("spop", db, o -> o.sets().spop(db, key, count));
    }

    /** SPOP key count; see {@link #spop(byte[], long)}. @return the popped members */
    public Set<String> spop(String key, long count) {
        Preconditions.notNull(key, "key");
        checkPopCount(count);
        return strings(path.call("spop", db, o -> o.sets().spop(db, b(key), count)));
    }

    /** SRANDMEMBER key: a random member (not removed), or null for a missing key. */
    public byte[] srandmember(byte[] key) {
        Preconditions.notNull(key, "key");
        return path.call("srandmember", db, o -> o.sets().srandmember(db, key));
    }

    /** SRANDMEMBER key: a random member (not removed), or null for a missing key. */
    public String srandmember(String key) {
        Preconditions.notNull(key, "key");
        return s(srandmember(b(key)));
    }

    /**
     * SRANDMEMBER key count: a positive count gives up to {@code count} distinct members; a
     * negative count gives exactly {@code -count} members drawn independently, so they may repeat
     * (hence a list). Empty for a missing key or a zero count.
     *
     * @throws RedJarException          for {@code Long.MIN_VALUE}, as Redis
     * @throws IllegalArgumentException for a negative {@code count} below {@code -(Integer.MAX_VALUE - 8)}:
     *                                  more elements than a list holds
     */
    public List<byte[]> srandmember(byte[] key, long count) {
        Preconditions.notNull(key, "key");
        Counts.random(count, false);
        return path.call("srandmember", db, o -> o.sets().srandmember(db, key, count));
    }

    /** SRANDMEMBER key count; see {@link #srandmember(byte[], long)}. */
    public List<String> srandmember(String key, long count) {
        Preconditions.notNull(key, "key");
        Counts.random(count, false);
        return stringList(path.call("srandmember", db, o -> o.sets().srandmember(db, b(key), count)));
    }

    /**
     * SMOVE: moves {@code member} from {@code source} to {@code destination} atomically.
     *
     * @return whether it moved (when both keys are the same: whether it is a member)
     * @throws WrongTypeException when either key holds another type
     */
    public boolean smove(byte[] source, byte[] destination, byte[] member) {
        Preconditions.notNull(source, "source");
        Preconditions.notNull(destination, "destination");
        Preconditions.notNull(member, "member");
        return path.call("smove", db, o -> o.sets().smove(db, source, destination, member));
    }

    /** SMOVE; see {@link #smove(byte[], byte[], byte[])}. */
    public boolean smove(String source, String destination, String member) {
        Preconditions.notNull(source, "source");
        Preconditions.notNull(destination, "destination");
        Preconditions.notNull(member, "member");
        return smove(b(source), b(destination), b(member));
    }

    // ---- set algebra -------------------------------------------------------------------------

    private List<byte[]> algebra(SetOps.Op op, String command, byte[][] keys) {
        return path.call(command, db, o -> o.sets().algebra(db, op, args(command, keys), 0));
    }

    private List<byte[]> algebra(SetOps.Op op, String command, String[] keys) {
        return path.call(command, db, o -> o.sets().algebra(db, op, args(command, keys), 0));
    }

    /**
     * SINTER: the members of every set (empty if any key is missing).
     *
     * @throws RedJarException {@code ERR wrong number of arguments for 'sinter' command} when no
     *                         key is given
     */
    public List<byte[]> sinter(byte[]... keys) {
        Preconditions.noNullElements(keys, "keys");
        return algebra(SetOps.Op.INTER, "sinter", keys);
    }

    /** SINTER; see {@link #sinter(byte[]...)}. */
    public Set<String> sinter(String... keys) {
        Preconditions.noNullElements(keys, "keys");
        return strings(algebra(SetOps.Op.INTER, "sinter", keys));
    }

    /** SUNION: the members of any of the sets (missing keys are empty sets). */
    public List<byte[]> sunion(byte[]... keys) {
        Preconditions.noNullElements(keys, "keys");
        return algebra(SetOps.Op.UNION, "sunion", keys);
    }

    /** SUNION. */
    public Set<String> sunion(String... keys) {
        Preconditions.noNullElements(keys, "keys");
        return strings(algebra(SetOps.Op.UNION, "sunion", keys));
    }

    /** SDIFF: the members of the first set that are in none of the others. */
    public List<byte[]> sdiff(byte[]... keys) {
        Preconditions.noNullElements(keys, "keys");
        return algebra(SetOps.Op.DIFF, "sdiff", keys);
    }

    /** SDIFF. */
    public Set<String> sdiff(String... keys) {
        Preconditions.noNullElements(keys, "keys");
        return strings(algebra(SetOps.Op.DIFF, "sdiff", keys));
    }

    private static byte[][] sources(String name, byte[][] keys) {
        if (keys.length == 0) {
            throw arity(name);
        }
        return keys;
    }

    private static byte[][] bs(String[] keys) {
        byte[][] out = new byte[keys.length][];
        for (int i = 0; i < keys.length; i++) {
            out[i] = b(keys[i]);
        }
        return out;
    }

    /**
     * SINTERSTORE: stores the intersection at {@code destination}, replacing whatever was there
     * (and its time to live); an empty result deletes {@code destination}.
     *
     * @return the size of the stored set
     * @throws RedJarException {@code ERR wrong number of arguments for 'sinterstore' command}
     *                         when no source key is given
     */
    public long sinterstore(byte[] destination, byte[]... keys) {
        Preconditions.notNull(destination, "destination");
        Preconditions.noNullElements(keys, "keys");
        return path.call("sinterstore", db, o -> o.sets().store(db, SetOps.Op.INTER, destination, sources("sinterstore", keys)));
    }

    /** SINTERSTORE; see {@link #sinterstore(byte[], byte[]...)}. */
    public long sinterstore(String destination, String... keys) {
        Preconditions.notNull(destination, "destination");
        Preconditions.noNullElements(keys, "keys");
        return sinterstore(b(destination), bs(keys));
    }

    /** SUNIONSTORE; see {@link #sinterstore(byte[], byte[]...)}. @return the stored set's size */
    public long sunionstore(byte[] destination, byte[]... keys) {
        Preconditions.notNull(destination, "destination");
        Preconditions.noNullElements(keys, "keys");
        return path.call("sunionstore", db, o -> o.sets().store(db, SetOps.Op.UNION, destination, sources("sunionstore", keys)));
    }

    /** SUNIONSTORE. @return the stored set's size */
    public long sunionstore(String destination, String... keys) {
        Preconditions.notNull(destination, "destination");
        Preconditions.noNullElements(keys, "keys");
        return sunionstore(b(destination), bs(keys));
    }

    /** SDIFFSTORE; see {@link #sinterstore(byte[], byte[]...)}. @return the stored set's size */
    public long sdiffstore(byte[] destination, byte[]... keys) {
        Preconditions.notNull(destination, "destination");
        Preconditions.noNullElements(keys, "keys");
        return path.call("sdiffstore", db, o -> o.sets().store(db, SetOps.Op.DIFF, destination, sources("sdiffstore", keys)));
    }

    /** SDIFFSTORE. @return the stored set's size */
    public long sdiffstore(String destination, String... keys) {
        Preconditions.notNull(destination, "destination");
        Preconditions.noNullElements(keys, "keys");
        return sdiffstore(b(destination), bs(keys));
    }

    /**
     * SINTERCARD numkeys keys... LIMIT limit: the size of the intersection, counting stops at
     * {@code limit}.
     *
     * @param limit the most to count, 0 for no limit
     * @throws RedJarException {@code ERR numkeys should be greater than 0} when no key is given;
     *                         {@code ERR LIMIT can't be negative}
     */
    public long sintercard(long limit, byte[]... keys) {
        Preconditions.noNullElements(keys, "keys");
        if (keys.length == 0) {
            throw new RedJarException("ERR numkeys should be greater than 0");
        }
        if (limit < 0) {
            throw new RedJarException("ERR LIMIT can't be negative");
        }
        return path.call("sintercard", db, o -> o.sets().sintercard(db, keys, 0, keys.length, limit));
    }

    /** SINTERCARD; see {@link #sintercard(long, byte[]...)}. */
    public long sintercard(long limit, String... keys) {
        Preconditions.noNullElements(keys, "keys");
        return sintercard(limit, bs(keys));
    }

    // ---- SSCAN -------------------------------------------------------------------------------

    /**
     * Iterates the set's members with SSCAN steps. A set of integers (intset) comes in one step;
     * a large one in steps of about {@code count} members. Each step locks the key only while it
     * runs: members added or removed meanwhile may or may not be returned, and a member may be
     * returned twice. A missing key (or one deleted during the iteration) ends it.
     *
     * @param pattern a glob on the members, or null for all
     * @param count   the SSCAN COUNT hint per step (positive)
     * @throws IllegalArgumentException if {@code count < 1}
     * @throws WrongTypeException       (from {@code hasNext}) when the key holds another type
     */
    public Iterator<byte[]> sscan(byte[] key, byte[] pattern, int count) {
        Preconditions.notNull(key, "key");
        byte[] p = pattern == null || (pattern.length == 1 && pattern[0] == '*') ? null : pattern;
        return scan(key, p, count, Function.identity());
    }

    /** SSCAN as an iterator; see {@link #sscan(byte[], byte[], int)}. */
    public Iterator<String> sscan(String key, String pattern, int count) {
        Preconditions.notNull(key, "key");
        byte[] p = pattern == null || pattern.equals("*") ? null : b(pattern);
        return scan(b(key), p, count, Sets::s);
    }

    private <T> Iterator<T> scan(byte[] key, byte[] pattern, int count, Function<byte[], T> f) {
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
                    SetOps.ScanResult r = path.call("sscan", db, o -> o.sets().sscan(db, key, cursor, pattern, count));
                    if (r == null) {
                        cursor = 0;
                        return false;
                    }
                    cursor = r.cursor;
                    page = r.members.iterator();
                }
                return true;
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return f.apply(page.next());
            }
        };
    }
}
