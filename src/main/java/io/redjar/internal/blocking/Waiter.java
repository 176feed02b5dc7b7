package io.redjar.internal.blocking;

import io.redjar.Reply;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One blocked command (BLPOP, BZPOPMIN, BLMOVE...): the keys it waits on, how to serve it from a
 * key that became ready, its deadline, and the future its caller waits on.
 *
 * <p>A waiter is served at most once: whoever wins {@link #claim()} (a serving thread, the timeout
 * sweep, or a cancelling caller) completes it; everyone else skips it.
 *
 * <p><b>Thread-safety:</b> thread-safe.
 */
public final class Waiter {
    /** Serves the waiter from one ready key; runs with the locks of {@link #shards()} held. */
    @FunctionalInterface
    public interface Attempt {
        /**
         * @param key the key that became ready (one of the waiter's keys)
         * @return the reply, or null if that key cannot serve this waiter now (missing, empty,
         *         another type): the waiter then stays blocked
         */
        Reply tryServe(byte[] key);
    }

    final int db;
    final byte[][] keys;
    final int[] shards;
    final Attempt attempt;
    final long deadline;
    final Reply timeoutReply;
    private final AtomicBoolean claimed = new AtomicBoolean();
    final CompletableFuture<Reply> future = new CompletableFuture<>();

    /**
     * @param db           the database
     * @param keys         the keys waited on, in the command's order
     * @param shards       every shard a serve touches (the keys' shards and, for BLMOVE, the
     *                     destination's), sorted ascending, distinct
     * @param attempt      how to serve from a ready key
     * @param deadline     absolute ms by the store's clock, or 0 to wait forever
     * @param timeoutReply the reply when the deadline passes
     */
    public Waiter(int db, byte[][] keys, int[] shards, Attempt attempt, long deadline, Reply timeoutReply) {
        this.db = db;
        this.keys = keys;
        this.shards = shards;
        this.attempt = attempt;
        this.deadline = deadline;
        this.timeoutReply = timeoutReply;
    }

    /** @return the future completed with the reply (served, timed out, or cancelled as null array) */
    public CompletableFuture<Reply> future() {
        return future;
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
