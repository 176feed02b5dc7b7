package io.redjar;

import io.redjar.internal.blocking.BlockingRegistry;
import io.redjar.internal.blocking.BlockingPops;
import io.redjar.internal.blocking.BlockingRegistry;
import io.redjar.internal.blocking.Waiter;
import io.redjar.internal.util.Preconditions;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

/**
 * The typed handles' end of a blocking pop ({@link Lists#blpop}, {@link SortedSets#bzpopmin}, ...):
 * turns a {@link BlockingPops.Outcome} into a value now, a wait on the calling thread, or a
 * future. Served results are never null; null is the timeout (and cancel) result.
 */
final class BlockingCalls {
    /** Timeouts are capped here so that "now + timeout" cannot overflow (about 73 million years). */
    private static final long MAX_TIMEOUT_MS = Long.MAX_VALUE / 4;

    private BlockingCalls() {
    }

    /**
     * @return the timeout in ms (rounded up to a whole ms), 0 for "forever"
     * @throws NullPointerException     {@code timeout must not be null}
     * @throws IllegalArgumentException {@code timeout must not be negative: PT-1S}
     */
    static long timeoutMillis(Duration timeout) {
        Preconditions.notNegative(timeout, "timeout");
        if (timeout.compareTo(Duration.ofMillis(MAX_TIMEOUT_MS)) >= 0) {
            return MAX_TIMEOUT_MS;
        }
        long ms = timeout.toMillis();
        return timeout.minusMillis(ms).isZero() ? ms : ms + 1;
    }

    /** Throws if the calling thread is interrupted (clearing the flag), before anything is popped. */
    static void checkInterrupt() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
    }

    /**
     * Waits on the calling thread for a blocked pop.
     *
     * @param finish maps a served result (never null) to the caller's value; may throw
     * @return the value, or null on timeout
     * @throws InterruptedException when interrupted while blocked: the waiter is cancelled and
     *                              nothing is taken. If an element was handed over at the same
     *                              moment, it is returned instead and the interrupt flag is set.
     */
    static <R, T> T await(BlockingRegistry blocking, BlockingPops.Outcome<R> o, Function<R, T> finish) throws InterruptedException {
        if (!o.blocked()) {
            R now = o.now();
            return now == null ? null : finish.apply(now); // null: not allowed to wait (Store.multi)
        }
        Waiter<R> w = o.waiter();
        R r;
        try {
            r = w.future().get();
        } catch (InterruptedException e) {
            if (blocking.cancel(w)) {
                throw e;
            }
            r = w.future().join(); // served (or timed out) just before the interrupt
            if (r == null) {
                throw e;
            }
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
        return r == null ? null : finish.apply(r);
    }

    /** A future for a pop: completed already, or completed when the waiter is served or times out. */
    static <R, T> CompletableFuture<T> async(BlockingRegistry blocking, BlockingPops.Outcome<R> o, Function<R, T> finish) {
        if (!o.blocked()) {
            try {
                R now = o.now();
                return CompletableFuture.completedFuture(now == null ? null : finish.apply(now));
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        return new BlockedFuture<>(blocking, o.waiter(), finish);
    }

    /**
     * A blocked pop's future: {@link #cancel} unblocks the pop, which then takes nothing. If the
     * pop was served before the cancel could win, {@code cancel} returns false and the future holds
     * the element (it is never lost).
     */
    private static final class BlockedFuture<R, T> extends CompletableFuture<T> {
        private final BlockingRegistry registry;
        private final Waiter<R> waiter;
        private final Function<R, T> finish;
        private volatile boolean cancelRequested;

        BlockedFuture(BlockingRegistry registry, Waiter<R> waiter, Function<R, T> finish) {
            this.registry = registry;
            this.waiter = waiter;
            this.finish = finish;
            waiter.future().whenComplete((r, ex) -> {
                if (ex != null) {
                    completeExceptionally(ex);
                } else if (r != null) {
                    settle(r);
                } else if (!cancelRequested) {
                    complete(null); // timed out
                }
            });
        }

        private void settle(R r) {
            try {
                complete(finish.apply(r));
            } catch (RuntimeException e) {
                completeExceptionally(e);
            }
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            if (isDone()) {
                return isCancelled();
            }
            cancelRequested = true;
            if (registry.cancel(waiter)) {
                return super.cancel(mayInterruptIfRunning); // nothing was taken
            }
            R r = waiter.future().join(); // already claimed: completes at once
            if (r == null) {
                return super.cancel(mayInterruptIfRunning); // it had timed out: nothing taken
            }
            settle(r); // served first: keep the element
            return false;
        }
    }
}
