package io.redjar.internal.keyspace;

import io.redjar.AtomicTimeoutException;
import io.redjar.UndeclaredKeyException;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * The calling thread's atomic lambda ({@code Store.atomically}): the keys it declared, the shards
 * it locked for them, its deadline and whether it has written yet.
 *
 * <p><b>Design.</b> A lambda locks only its declared keys' shards, in ascending order (as every
 * multi-key command does), so it cannot deadlock with other commands and leaves every other shard
 * free. Two checks keep it honest while it runs; both cost one static volatile read on every
 * other thread and every call outside a lambda until the first lambda runs, one {@link ThreadLocal}
 * lookup after:
 * <ul>
 *   <li>{@link #checkKey}, from {@link Keyspace#shardOf}/{@link Keyspace#shardIndex} (every
 *       operation finds its key's shard through them): a key the lambda did not declare is
 *       refused with {@link UndeclaredKeyException} naming it, before anything is locked;</li>
 *   <li>{@link #checkShard}, from {@link Shard#lockUntracked()}: locking a shard the lambda does not
 *       hold (a whole-keyspace command such as {@code KEYS}/{@code FLUSHALL}, or {@code
 *       Store.multi}) is refused the same way: taking it could deadlock with a thread that holds
 *       it and waits for one of ours.</li>
 * </ul>
 * The deadline ({@link #checkDeadline}) is checked at the start of every call inside the lambda:
 * past it, a lambda that has not written yet is stopped with {@link AtomicTimeoutException}
 * (nothing to undo); one that has written is left to finish, since stopping it would expose half
 * of its effects (Redis refuses {@code SCRIPT KILL} on a writing script for the same reason).
 * Writes are noticed through {@link Keyspace#modified}.
 *
 * <p><b>Thread-safety:</b> a region is confined to the thread that opened it; the static
 * "a region has been opened" flag is volatile and only ever goes from 0 to 1.
 */
public final class AtomicRegion {
    private static final ThreadLocal<AtomicRegion> CURRENT = new ThreadLocal<>();
    /**
     * 0 until the first region opens in this JVM, then 1 for good: while 0 every check is one
     * volatile read; after, one {@link ThreadLocal} lookup. Sticky on purpose: a counter of open
     * regions would be written by every lambda on every thread, and every command on every
     * thread would read that contended cache line.
     */
    private static volatile int active;

    private final Keyspace ks;
    private final byte[][] keys;
    private final Set<ByteBuffer> keySet;
    private final int[] shards;
    private final long deadlineMs;
    private final AtomicRegion outer;
    private boolean wrote;

    private AtomicRegion(Keyspace ks, byte[][] keys, int[] shards, long deadlineMs, AtomicRegion outer) {
        this.ks = ks;
        this.keys = keys;
        this.shards = shards;
        this.deadlineMs = deadlineMs;
        this.outer = outer;
        if (keys.length > 8) {
            keySet = new HashSet<>();
            for (byte[] k : keys) {
                keySet.add(ByteBuffer.wrap(k));
            }
        } else {
            keySet = null;
        }
    }

    /**
     * Opens a region on the calling thread for {@code keys} of {@code ks}, whose shards
     * ({@code shards}, ascending) the caller is about to lock. A region opened inside another
     * one of the same keyspace must declare only keys the outer one declared.
     *
     * @throws UndeclaredKeyException when a nested region declares a key its outer one did not
     */
    public static AtomicRegion open(Keyspace ks, byte[][] keys, int[] shards, long deadlineMs) {
        AtomicRegion outer = CURRENT.get();
        if (outer != null && outer.ks == ks) {
            for (byte[] k : keys) {
                if (!outer.declared(k)) {
                    throw undeclared(k, "a nested atomically declares it but the enclosing one does not");
                }
            }
        }
        boolean nested = outer != null && outer.ks == ks;
        AtomicRegion r = new AtomicRegion(ks, keys, shards, nested ? Math.min(deadlineMs, outer.deadlineMs) : deadlineMs, outer);
        r.wrote = nested && outer.wrote;
        CURRENT.set(r);
        if (active == 0) {
            active = 1;
        }
        return r;
    }

    /** Closes this region (the innermost one of the calling thread). */
    public void close() {
        if (CURRENT.get() != this) {
            throw new IllegalStateException("atomic regions closed out of order");
        }
        if (outer != null && outer.ks == ks && wrote) {
            outer.wrote = true;
        }
        if (outer == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(outer);
        }
    }

    /** @return whether a region may be open on some thread (one volatile read) */
    /**
     * Takes the calling thread's region away until {@link #resume}: for work that runs on a
     * writer's thread but not as part of its call (a snapshot's shard capture encodes keys the
     * region did not declare, under the lock the writer is taking). @return what to resume
     */
    public static AtomicRegion suspend() {
        if (active == 0) {
            return null;
        }
        AtomicRegion r = CURRENT.get();
        if (r != null) {
            CURRENT.remove();
        }
        return r;
    }

    /** Restores what {@link #suspend()} took. */
    public static void resume(AtomicRegion r) {
        if (r != null) {
            CURRENT.set(r);
        }
    }

    public static boolean anyOpen() {
        return active != 0;
    }

    /** @return the region the calling thread is in for {@code ks}, or null */
    public static AtomicRegion current(Keyspace ks) {
        if (active == 0) {
            return null;
        }
        AtomicRegion r = CURRENT.get();
        return r != null && r.ks == ks ? r : null;
    }

    /** @return whether this region (or one nested in it) has written a key */
    public boolean wrote() {
        return wrote;
    }

    /** @return the shards this region locked, ascending */
    public int[] shards() {
        return shards;
    }

    private boolean declared(byte[] key) {
        if (keySet != null) {
            return keySet.contains(ByteBuffer.wrap(key));
        }
        for (byte[] k : keys) {
            if (Arrays.equals(k, key)) {
                return true;
            }
        }
        return false;
    }

    // ---- the checks (hot paths call these only when a region is open somewhere) -------------

    /** Refuses {@code key} if the calling thread is in a region of {@code ks} that did not declare it. */
    static void checkKey(Keyspace ks, byte[] key) {
        if (active == 0) {
            return;
        }
        AtomicRegion r = CURRENT.get();
        if (r != null && r.ks == ks && !r.declared(key)) {
            throw undeclared(key, "atomically did not declare it");
        }
    }

    /** Refuses to lock {@code s} if the calling thread is in a region of its keyspace and does not hold it. */
    static void checkShard(Shard s) {
        if (active == 0 || s.lock.isHeldByCurrentThread()) {
            return;
        }
        AtomicRegion r = CURRENT.get();
        if (r != null && r.ks.shard(s.index()) == s) {
            throw new UndeclaredKeyException("inside atomically, a command needs shard " + s.index()
                + " that the declared keys do not cover (commands that lock every shard, such as KEYS, SCAN, DBSIZE, "
                + "FLUSHALL, EVAL and Store.multi, are not allowed inside atomically)", null);
        }
    }

    /** A write under {@code ks}: marks the calling thread's region, if any, as having written. */
    static void noteWrite(Keyspace ks) {
        if (active == 0) {
            return;
        }
        AtomicRegion r = CURRENT.get();
        if (r != null && r.ks == ks) {
            r.wrote = true;
        }
    }

    /**
     * Stops a calling thread that is in a region of {@code ks} past its deadline and has not
     * written yet.
     *
     * @throws AtomicTimeoutException then
     */
    public static void checkDeadline(Keyspace ks) {
        if (active == 0) {
            return;
        }
        AtomicRegion r = CURRENT.get();
        if (r != null && r.ks == ks && !r.wrote && r.deadlineMs != Long.MAX_VALUE) {
            long now = ks.now();
            if (now > r.deadlineMs) {
                throw new AtomicTimeoutException("atomically ran past its time limit (busy-reply-threshold) without "
                    + "writing anything, and was stopped; " + (now - r.deadlineMs) + " ms over");
            }
        }
    }

    private static UndeclaredKeyException undeclared(byte[] key, String why) {
        return new UndeclaredKeyException("key '" + new String(key, StandardCharsets.UTF_8)
            + "' is not among the keys declared to atomically (" + why + ")", key);
    }
}
