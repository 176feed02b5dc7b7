package io.redjar;

import io.redjar.internal.Engine;
import io.redjar.internal.command.CallPath;
import io.redjar.internal.util.Preconditions;

import java.nio.charset.StandardCharsets;

/**
 * HyperLogLog commands on one database, called directly (no parsing): PFADD, PFCOUNT (one key or
 * the union of several) and PFMERGE. The value is Redis's HLL string, byte for byte (sparse or
 * dense encoding), so counts equal redis-server's for the same elements and the key can be
 * dumped to, restored from or replicated with real Redis; it is a string for {@link Strings}.
 *
 * <pre>{@code
 * HyperLogLogs hll = store.hyperLogLogs();
 * hll.add("visitors:mon", "alice", "bob", "carol");
 * hll.add("visitors:tue", "bob", "dave");
 * long mon = hll.count("visitors:mon");                         // 3
 * long both = hll.count("visitors:mon", "visitors:tue");        // 4
 * hll.merge("visitors:week", "visitors:mon", "visitors:tue");
 * }</pre>
 *
 * <p>Errors are Redis's: {@link WrongTypeException} for a key holding another type, a
 * {@link RedJarException} {@code WRONGTYPE Key is not a valid HyperLogLog string value.} for a
 * string that is not an HLL, {@code INVALIDOBJ Corrupted HLL object detected} for a damaged one. Elements are strings (UTF-8)
 * or bytes.
 *
 * <p><b>Arguments:</b> a null argument, or a null element of an array argument, is rejected with
 * {@link NullPointerException} naming it before the store is touched.
 *
 * <p><b>Thread-safety:</b> thread-safe; each call is one atomic command.
 */
public final class HyperLogLogs {
    private final CallPath path;
    private final int db;

    HyperLogLogs(Engine engine, int db) {
        this.path = engine.callPath();
        this.db = db;
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[][] bs(String[] s, String name) {
        Preconditions.noNullElements(s, name);
        byte[][] out = new byte[s.length][];
        for (int i = 0; i < s.length; i++) {
            out[i] = b(s[i]);
        }
        return out;
    }

    /**
     * PFADD: adds the elements (none: only creates the key).
     *
     * @return true if the estimate may have changed (a register grew or the key was created)
     */
    public boolean add(String key, String... elements) {
        Preconditions.notNull(key, "key");
        return add(b(key), bs(elements, "elements"));
    }

    /** PFADD with binary key and elements. */
    public boolean add(byte[] key, byte[]... elements) {
        Preconditions.notNull(key, "key");
        Preconditions.noNullElements(elements, "elements");
        byte[][] e = elements.clone();
        return path.call("pfadd", db, o -> o.hll().pfadd(db, key, e, 0)) == 1;
    }

    /**
     * PFCOUNT: the estimated cardinality of one key, or of the union of several (without
     * changing them); 0 for missing keys.
     */
    public long count(String key, String... more) {
        Preconditions.notNull(key, "key");
        byte[][] rest = bs(more, "more");
        byte[][] keys = new byte[rest.length + 1][];
        keys[0] = b(key);
        System.arraycopy(rest, 0, keys, 1, rest.length);
        return count(keys);
    }

    /** PFCOUNT with binary keys (at least one). */
    public long count(byte[]... keys) {
        Preconditions.noNullElements(keys, "keys");
        if (keys.length == 0) {
            throw new RedJarException("ERR wrong number of arguments for 'pfcount' command");
        }
        byte[][] k = keys.clone();
        return path.call("pfcount", db, o -> o.hll().pfcount(db, k, 0));
    }

    /** PFMERGE: the union of {@code dest} (if present) and the sources, stored in {@code dest}. */
    public void merge(String dest, String... sources) {
        Preconditions.notNull(dest, "dest");
        merge(b(dest), bs(sources, "sources"));
    }

    /** PFMERGE with binary keys. */
    public void merge(byte[] dest, byte[]... sources) {
        Preconditions.notNull(dest, "dest");
        Preconditions.noNullElements(sources, "sources");
        byte[][] argv = new byte[sources.length + 1][];
        argv[0] = dest;
        System.arraycopy(sources, 0, argv, 1, sources.length);
        path.call("pfmerge", db, o -> {
            o.hll().pfmerge(db, argv, 0);
            return null;
        });
    }
}
