package io.redjar;

import io.redjar.internal.Engine;
import io.redjar.internal.command.CallPath;
import io.redjar.internal.types.KeyOps;
import io.redjar.internal.util.Preconditions;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Commands on keys of any type in one database: delete, exists, type, rename, copy, move, time to
 * live, introspection, KEYS and SCAN.
 *
 * <p><b>Arguments:</b> a null argument, or a null element of an array or map argument, is
 * rejected with {@link NullPointerException} naming it ({@code "key must not be null"},
 * {@code "members[1] must not be null"}) before the store is touched; a {@code Duration} or
 * {@code Instant} whose milliseconds overflow a {@code long} with {@link IllegalArgumentException}.
 * Values that Redis itself judges (negative counts, zero expiries, ...) get Redis's error.
 * Only {@link #scan}'s {@code pattern} and {@code type} may be null.
 *
 * <p><b>Thread-safety:</b> thread-safe; each call is one atomic command, except {@link #scan},
 * whose iterator runs many SCAN steps and gives Redis's SCAN guarantee (every key present for the
 * whole iteration is returned at least once; keys may repeat).
 */
public final class Keys {
    private static final byte[] DEL = "DEL".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] UNLINK = "UNLINK".getBytes(StandardCharsets.US_ASCII);

    /** How {@link #copy(String, String, CopyMode)} treats an existing destination. */
    public enum CopyMode {
        /** Copy only if the destination does not exist (COPY without REPLACE). */
        NO_REPLACE,
        /** Overwrite an existing destination (COPY ... REPLACE). */
        REPLACE
    }

    /** Conditions for {@link #pexpire(String, Duration, ExpireCondition)}. */
    public enum ExpireCondition {
        /** Always set. */
        ALWAYS(0),
        /** Only if the key has no time to live. */
        NX(KeyOps.EXPIRE_NX),
        /** Only if the key has a time to live. */
        XX(KeyOps.EXPIRE_XX),
        /** Only if the new expiry is later than the current one. */
        GT(KeyOps.EXPIRE_GT),
        /** Only if the new expiry is earlier than the current one. */
        LT(KeyOps.EXPIRE_LT);

        final int flag;

        ExpireCondition(int flag) {
            this.flag = flag;
        }
    }

    private static final byte[] RESTORE = b("RESTORE");
    private static final byte[] REPLACE = b("REPLACE");

    private final CallPath path;
    private final int db;

    Keys(Engine engine, int db) {
        this.path = engine.callPath();
        this.db = db;
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[][] bs(String... keys) {
        byte[][] a = new byte[keys.length][];
        for (int i = 0; i < keys.length; i++) {
            a[i] = b(keys[i]);
        }
        return a;
    }

    /** DEL: returns how many of the keys existed. */
    public long del(String... keys) {
        Preconditions.noNullElements(keys, "keys");
        return path.call("del", db, o -> o.keys().delete(db, bs(keys), 0, DEL));
    }

    /** DEL. */
    public long del(byte[] key) {
        Preconditions.notNull(key, "key");
        return path.call("del", db, o -> o.keys().delete(db, new byte[][] {key}, 0, DEL));
    }

    /** UNLINK (same as DEL in RedJar: freeing is already cheap). */
    public long unlink(String... keys) {
        Preconditions.noNullElements(keys, "keys");
        return path.call("unlink", db, o -> o.keys().delete(db, bs(keys), 0, UNLINK));
    }

    /** EXISTS: how many of the keys exist (a key named twice counts twice). */
    public long exists(String... keys) {
        Preconditions.noNullElements(keys, "keys");
        return path.call("exists", db, o -> o.keys().exists(db, bs(keys), 0, false));
    }

    /** @return whether {@code key} exists */
    public boolean exists(byte[] key) {
        Preconditions.notNull(key, "key");
        return path.call("exists", db, o -> o.keys().exists(db, key));
    }

    /** TOUCH: refreshes the keys' access time; returns how many exist. */
    public long touch(String... keys) {
        Preconditions.noNullElements(keys, "keys");
        return path.call("touch", db, o -> o.keys().exists(db, bs(keys), 0, true));
    }

    /** TYPE: {@code string}, {@code list}, ... or {@code none}. */
    public String type(String key) {
        Preconditions.notNull(key, "key");
        return path.call("type", db, o -> o.keys().type(db, b(key)));
    }

    /** RENAME. @throws RedJarException {@code ERR no such key} */
    public void rename(String key, String newKey) {
        Preconditions.notNull(key, "key");
        Preconditions.notNull(newKey, "newKey");
        path.call("rename", db, o -> o.keys().rename(db, b(key), b(newKey), false));
    }

    /** RENAMENX: returns whether it renamed. */
    public boolean renamenx(String key, String newKey) {
        Preconditions.notNull(key, "key");
        Preconditions.notNull(newKey, "newKey");
        boolean done = path.call("renamenx", db, o -> o.keys().rename(db, b(key), b(newKey), true));
        return done;
    }

    /** COPY within this database; returns whether it copied. */
    public boolean copy(String source, String destination, CopyMode mode) {
        Preconditions.notNull(source, "source");
        Preconditions.notNull(destination, "destination");
        Preconditions.notNull(mode, "mode");
        return copy(source, db, destination, mode);
    }

    /** COPY ... DB n; returns whether it copied. */
    public boolean copy(String source, int destinationDb, String destination, CopyMode mode) {
        Preconditions.notNull(source, "source");
        Preconditions.notNull(destination, "destination");
        Preconditions.notNull(mode, "mode");
        boolean done = path.call("copy", db, o -> o.keys().copyChecked(db, b(source), destinationDb, b(destination), mode == CopyMode.REPLACE));
        return done;
    }

    /** MOVE: returns whether it moved. */
    public boolean move(String key, int destinationDb) {
        Preconditions.notNull(key, "key");
        boolean done = path.call("move", db, o -> o.keys().moveChecked(db, b(key), destinationDb));
        return done;
    }

    /** PEXPIRE: returns whether the time to live was set. */
    public boolean pexpire(String key, Duration ttl) {
        Preconditions.notNull(key, "key");
        Preconditions.notNull(ttl, "ttl");
        return pexpire(key, ttl, ExpireCondition.ALWAYS);
    }

    /** PEXPIRE with NX/XX/GT/LT. */
    public boolean pexpire(String key, Duration ttl, ExpireCondition condition) {
        Preconditions.notNull(key, "key");
        Preconditions.notNull(ttl, "ttl");
        Preconditions.notNull(condition, "condition");
        return path.call("pexpire", db, o -> o.keys().expire(db, b(key), Preconditions.millis(ttl, "ttl"), false, true, condition.flag, "pexpire")) == 1;
    }

    /** PEXPIREAT. */
    public boolean pexpireAt(String key, Instant at) {
        Preconditions.notNull(key, "key");
        Preconditions.notNull(at, "at");
        return path.call("pexpireat", db, o -> o.keys().expire(db, b(key), Preconditions.epochMillis(at, "at"), false, false, 0, "pexpireat")) == 1;
    }

    /** TTL in seconds: -2 if the key is missing, -1 if it has no time to live. */
    public long ttl(String key) {
        Preconditions.notNull(key, "key");
        return path.call("ttl", db, o -> o.keys().ttl(db, b(key), false, false));
    }

    /** PTTL in milliseconds: -2 if the key is missing, -1 if it has no time to live. */
    public long pttl(String key) {
        Preconditions.notNull(key, "key");
        return path.call("pttl", db, o -> o.keys().ttl(db, b(key), true, false));
    }

    /** PEXPIRETIME: absolute ms, -2 if missing, -1 if none. */
    public long pexpireTime(String key) {
        Preconditions.notNull(key, "key");
        return path.call("pexpiretime", db, o -> o.keys().ttl(db, b(key), true, true));
    }

    /** PERSIST: returns whether a time to live was removed. */
    public boolean persist(String key) {
        Preconditions.notNull(key, "key");
        return path.call("persist", db, o -> o.keys().persist(db, b(key)));
    }

    /**
     * DUMP: the key's value serialized as Redis 7.0 does (RDB value, RDB version, CRC64), which
     * {@link #restore} here or RESTORE on a redis-server accepts.
     *
     * @return the payload, or null if the key is missing
     */
    public byte[] dump(String key) {
        Preconditions.notNull(key, "key");
        return path.call("dump", db, o -> o.dumps().dump(db, b(key)));
    }

    /**
     * RESTORE: creates {@code key} from a DUMP payload (RedJar's or a redis-server's).
     *
     * @param ttl     the time to live, or {@link Duration#ZERO} for none (a negative one is
     *                RESTORE's {@code ERR Invalid TTL value, must be >= 0})
     * @param replace whether an existing key is replaced (else it is an error)
     * @throws RedJarException {@code BUSYKEY} if the key exists and not {@code replace};
     *                         {@code ERR DUMP payload version or checksum are wrong} or
     *                         {@code ERR Bad data format} for a bad payload
     */
    public void restore(String key, Duration ttl, byte[] payload, boolean replace) {
        Preconditions.notNull(key, "key");
        long ms = Preconditions.millis(ttl, "ttl");
        Preconditions.notNull(payload, "payload");
        byte[][] argv = replace
            ? new byte[][] {RESTORE, b(key), b(Long.toString(ms)), payload, REPLACE}
            : new byte[][] {RESTORE, b(key), b(Long.toString(ms)), payload};
        path.run("restore", db, o -> o.dumps().restore(db, argv));
    }

    /** OBJECT ENCODING, or null if missing. */
    public String objectEncoding(String key) {
        Preconditions.notNull(key, "key");
        return path.call("object|encoding", db, o -> o.keys().objectEncoding(db, b(key)));
    }

    /** OBJECT IDLETIME in seconds, or -1 if missing. */
    public long objectIdletime(String key) {
        Preconditions.notNull(key, "key");
        return path.call("object|idletime", db, o -> o.keys().objectIdleTime(db, b(key)));
    }

    /** KEYS: every key matching the glob pattern (blocks the whole keyspace while it runs). */
    public List<String> keys(String pattern) {
        Preconditions.notNull(pattern, "pattern");
        List<String> out = new ArrayList<>();
        for (byte[] k : path.call("keys", db, o -> o.keys().keys(db, b(pattern)))) {
            out.add(new String(k, StandardCharsets.UTF_8));
        }
        return out;
    }

    /** RANDOMKEY, or null if the database is empty. */
    public String randomKey() {
        byte[] k = path.call("randomkey", db, o -> o.keys().randomKey(db));
        return k == null ? null : new String(k, StandardCharsets.UTF_8);
    }

    /** DBSIZE. */
    public long dbSize() {
        return path.call("dbsize", db, o -> o.keys().dbSize(db));
    }

    /** FLUSHDB. */
    public void flushDB() {
        path.run("flushdb", db, o -> o.keys().flush(db));
    }

    /**
     * Iterates the keys with SCAN steps.
     *
     * @param pattern a glob, or null for all keys
     * @param count   the SCAN COUNT hint per step
     * @param type    a type name ({@code string}, ...) or null for all
     */
    public Iterator<byte[]> scan(String pattern, int count, String type) {
        byte[] p = pattern == null || pattern.equals("*") ? null : b(pattern);
        if (count < 1) {
            throw new IllegalArgumentException("count must be positive");
        }
        return new Iterator<>() {
            long cursor = 0;
            boolean started;
            Iterator<byte[]> page = List.<byte[]>of().iterator();

            @Override
            public boolean hasNext() {
                while (!page.hasNext()) {
                    if (started && cursor == 0) {
                        return false;
                    }
                    started = true;
                    KeyOps.ScanResult r = path.call("scan", db, o -> o.keys().scan(db, cursor, p, count, type));
                    cursor = r.cursor;
                    page = r.keys.iterator();
                }
                return true;
            }

            @Override
            public byte[] next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return page.next();
            }
        };
    }
}
