package io.redjar.internal.blocking;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One blocked command (BLPOP, BZPOPMIN, BLMOVE...): the keys it waits on, how to serve it from a
 * key that became ready, its deadline, and the future its caller waits on.
 *
 * <p>A waiter is served at most once: whoever wins {@link #claim()} (a serving thread, the timeout
 * sweep, or a cancelling caller) completes it; everyone else skips it.
 *
 * <p>The result type {@code R} is what the caller wants: a {@link io.redjar.Reply} for the blocking
 * commands, a typed value for the typed handles ({@code io.redjar.Lists}, {@code io.redjar.SortedSets});
 * see {@link BlockingPops}.
 *
 * <p><b>Thread-safety:</b> thread-safe.
 *
 * @param <R> the result type
 */
public final class Waiter<R> {
    /** Serves the waiter from one ready key; runs with the locks of {@link #shards()} held. */
    @FunctionalInterface
    public interface Attempt<R> {
        /**
         * @param key the key that became ready (one of the waiter's keys)
         * @return the reply, or null if that key cannot serve this waiter now (missing, empty,
         *         another type): the waiter then stays blocked
         */
        R tryServe(byte[] key);
    }

    final int db;
    final byte[][] keys;
    final int[] shards;
    final Attempt<R> attempt;
    final long deadline;
    final R timeoutReply;
    private final AtomicBoolean claimed = new AtomicBoolean();
    final CompletableFuture<R> future = new CompletableFuture<>();

    /**
     * @param db           the database
     * @param keys         the keys waited on, in the command's order
     * @param shards       every shard a serve touches (the keys' shards and, for BLMOVE, the
     *                     destination's), sorted ascending, distinct
     * @param attempt      how to serve from a ready key
     * @param deadline     absolute ms by the store's clock, or 0 to wait forever
     * @param timeoutReply the reply when the deadline passes
     */
    public Waiter(int db, byte[][] keys, int[] shards, Attempt<R> attempt, long deadline, R timeoutReply) {
        this.db = db;
        this.keys = keys;
        this.shards = shards;
        this.attempt = attempt;
        this.deadline = deadline;
        this.timeoutReply = timeoutReply;
    }

    /** @return the future completed with the reply (served), or the timeout reply (timed out or cancelled) */
    public CompletableFuture<R> future() {
        return future;
    }

    /** @return the result this waiter completes with when it times out or is cancelled */
    public R timeoutReply() {
        return timeoutReply;
    }

    /** Completes with a reply its attempt produced (so of type {@code R}). */
    @SuppressWarnings("unchecked")
    void completeServed(Object reply) {
        future.complete((R) reply);
    }

    int[] shards() {
        return shards;
    }

    boolean claim() {
        return claimed.compareAndSet(false, true);
    }

    void unclaim() {
        claimed.set(false);
    }

    boolean isClaimed() {
        return claimed.get();
    }
}
