package io.redjar.internal.blocking;

import io.redjar.RedJarException;
import io.redjar.WrongTypeException;
import io.redjar.internal.keyspace.Keyspace;
import io.redjar.internal.types.ListOps;
import io.redjar.internal.types.ZSetOps;

import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The blocking pops, once: "try now under the keys' locks, else register a {@link Waiter} before
 * releasing them". Both the blocking commands ({@code BlockingCommands}, result type
 * {@link io.redjar.Reply}) and the typed handles ({@code io.redjar.Lists},
 * {@code io.redjar.SortedSets}, their own result types) call these methods; only the mapping of
 * the popped data to a result differs.
 *
 * <p>Each method returns an {@link Outcome}: either the result of the immediate attempt, or the
 * waiter the caller must wait on (or cancel with {@link BlockingRegistry#cancel}). No lock is held
 * when it returns.
 *
 * <p><b>Thread-safety:</b> thread-safe (stateless).
 */
public final class BlockingPops {
    private static final byte[] ZPOPMIN = "ZPOPMIN".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ZPOPMAX = "ZPOPMAX".getBytes(StandardCharsets.US_ASCII);

    private BlockingPops() {
    }

    /**
     * What a blocking pop did at once: served ({@code waiter == null}, {@code now} is the result)
     * or blocked ({@code waiter} registered; {@code now} is null).
     *
     * @param <R> the result type
     */
    public record Outcome<R>(R now, Waiter<R> waiter) {
        /** @return whether a waiter was registered */
        public boolean blocked() {
            return waiter != null;
        }
    }

    /** What BZPOPMIN / BZPOPMAX popped. */
    public record ZPopped(byte[] key, byte[] member, double score) {
    }

    /**
     * Tries {@code now} under the locks of {@code shards}; if it has nothing, registers a waiter
     * (still under the locks, so no push can be missed).
     */
    /** Per thread: how many atomic regions (EXEC, {@code Store.multi}) it is inside. */
    private static final ThreadLocal<int[]> NO_WAIT = ThreadLocal.withInitial(() -> new int[1]);

    /**
     * The calling thread enters an atomic region (it holds every shard lock): until the matching
     * {@link #exitNoWait()}, a pop that finds nothing answers as timed out instead of waiting.
     */
    public static void enterNoWait() {
        NO_WAIT.get()[0]++;
    }

    /** The calling thread leaves the atomic region {@link #enterNoWait()} entered. */
    public static void exitNoWait() {
        NO_WAIT.get()[0]--;
    }

    /** @return whether the calling thread is inside an atomic region */
    public static boolean noWait() {
        return NO_WAIT.get()[0] > 0;
    }

    /**
     * The common shape of every blocking command: under the locks of {@code shards}, try
     * {@code now}; if it has nothing (null), register a waiter served by {@code attempt} (still
     * under the locks, so no write can be missed), unless {@code timeoutMs} is negative or the
     * thread is in an atomic region: then answer {@code timeoutResult}. Used by the pops here and
     * by the stream reads (XREAD, XREADGROUP).
     */
    public static <R> Outcome<R> tryOrWait(BlockingHost engine, int db, byte[][] keys, int[] shards, long timeoutMs,
                                            Supplier<R> now, Waiter.Attempt<R> attempt, R timeoutResult) {
        Keyspace ks = engine.keyspace();
        ks.lock(shards);
        try {
            R r = now.get();
            if (r != null) {
                return new Outcome<>(r, null);
            }
            if (timeoutMs < 0 || NO_WAIT.get()[0] > 0) {
                return new Outcome<>(timeoutResult, null); // not allowed to block (inside EXEC)
            }
            long deadline = timeoutMs == 0 ? 0 : ks.now() + timeoutMs;
            Waiter<R> w = new Waiter<>(db, keys, shards, key -> {
                try {
                    return attempt.tryServe(key);
                } catch (RedJarException wrongType) {
                    return null; // the key now holds another type: stay blocked, as Redis does
                }
            }, deadline, timeoutResult);
            engine.blocking().register(w);
            return new Outcome<>(null, w);
        } finally {
            ks.unlock(shards);
        }
    }

    private static int[] shardsOf(Keyspace ks, byte[]... keys) {
        return ks.shardsOf(keys, 0, keys.length, 1);
    }

    /**
     * BLPOP / BRPOP ({@code count == -1}) and BLMPOP ({@code count >= 1}): pops from the first
     * non-empty list among {@code keys}, else waits for one to be created.
     *
     * @param timeoutMs     0 to wait forever, negative not to wait at all (inside EXEC)
     * @param out           maps what was popped (never null, at least one element) to the result
     * @param timeoutResult the waiter's result when it times out or is cancelled
     * @throws io.redjar.WrongTypeException when the first existing key is not a list (at once only)
     */
    public static <R> Outcome<R> listPop(BlockingHost engine, int db, byte[][] keys, boolean head, long count, long timeoutMs,
                                         Function<ListOps.Popped, R> out, R timeoutResult) {
        ListOps ops = engine.lists();
        return tryOrWait(engine, db, keys, shardsOf(engine.keyspace(), keys), timeoutMs,
            () -> map(ops.mpop(db, keys, 0, keys.length, head, count), out),
            key -> map(ops.mpop(db, new byte[][] {key}, 0, 1, head, count), out),
            timeoutResult);
    }

    private static <T, R> R map(T v, Function<T, R> f) {
        return v == null ? null : f.apply(v);
    }

    /**
     * BLMOVE / BRPOPLPUSH: moves one element from {@code src} to {@code dst}, else waits for
     * {@code src} to be created. When a waiter is served but the destination then holds another
     * type, the waiter completes with {@code wrongTypeDestination} applied to the error (Redis
     * replies the error to the blocked client).
     *
     * @param out maps the moved element to the result
     */
    public static <R> Outcome<R> listMove(BlockingHost engine, int db, byte[] src, byte[] dst, boolean fromHead, boolean toHead,
                                          boolean asRpoplpush, long timeoutMs, Function<byte[], R> out,
                                          Function<RedJarException, R> wrongTypeDestination, R timeoutResult) {
        ListOps ops = engine.lists();
        Supplier<R> move = () -> map(ops.move(db, src, dst, fromHead, toHead, asRpoplpush), out);
        return tryOrWait(engine, db, new byte[][] {src}, shardsOf(engine.keyspace(), src, dst), timeoutMs, move,
            key -> {
                try {
                    return move.get();
                } catch (WrongTypeException e) {
                    return wrongTypeDestination.apply(e);
                }
            }, timeoutResult);
    }

    /**
     * BZPOPMIN / BZPOPMAX: pops one member from the first non-empty sorted set among {@code keys}
     * (propagated as {@code ZPOPMIN|ZPOPMAX key}), else waits for one to be created.
     *
     * @throws io.redjar.WrongTypeException when an existing key before the first sorted set is not
     *                                      one (at once only)
     */
    public static <R> Outcome<R> zsetPop(BlockingHost engine, int db, byte[][] keys, boolean max, long timeoutMs,
                                         Function<ZPopped, R> out, R timeoutResult) {
        ZSetOps zsets = engine.zsets();
        byte[] name = max ? ZPOPMAX : ZPOPMIN;
        Waiter.Attempt<R> one = key -> {
            if (!"zset".equals(engine.keys().type(db, key))) {
                return null;
            }
            ZSetOps.Elements el = zsets.zpop(db, key, 1, max, new byte[][] {name, key});
            return el.size() == 0 ? null : out.apply(new ZPopped(key, el.members.get(0), el.scores.get(0)));
        };
        return tryOrWait(engine, db, keys, shardsOf(engine.keyspace(), keys), timeoutMs, () -> {
            for (byte[] key : keys) {
                String type = engine.keys().type(db, key);
                if ("none".equals(type)) {
                    continue;
                }
                if (!"zset".equals(type)) {
                    throw new WrongTypeException();
                }
                R r = one.tryServe(key);
                if (r != null) {
                    return r;
                }
            }
            return null;
        }, one, timeoutResult);
    }

    /**
     * BZMPOP: pops up to {@code count} members from the first existing sorted set among
     * {@code keys} (propagated as {@code ZPOPMIN|ZPOPMAX key count}), else waits for one to be
     * created.
     *
     * @throws io.redjar.WrongTypeException when the first existing key is not a sorted set (at once only)
     */
    public static <R> Outcome<R> zsetMPop(BlockingHost engine, int db, byte[][] keys, boolean max, long count, long timeoutMs,
                                          Function<ZSetOps.MPopResult, R> out, R timeoutResult) {
        ZSetOps zsets = engine.zsets();
        return tryOrWait(engine, db, keys, shardsOf(engine.keyspace(), keys), timeoutMs,
            () -> map(zsets.zmpop(db, keys, max, count), out),
            key -> "zset".equals(engine.keys().type(db, key)) ? map(zsets.zmpop(db, new byte[][] {key}, max, count), out) : null,
            timeoutResult);
    }
}
