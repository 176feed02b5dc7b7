package io.redjar.internal.server;

import java.util.concurrent.atomic.LongAdder;

/**
 * One command's counters for INFO commandstats: calls, total microseconds, rejected calls
 * (refused before running, e.g. wrong arity) and failed calls (ran and replied an error).
 *
 * <p><b>Thread-safety:</b> thread-safe ({@link LongAdder}s; no allocation on the hot path).
 */
public final class CommandStats {
    private final LongAdder calls = new LongAdder();
    private final LongAdder nanos = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder failed = new LongAdder();

    /** Counts one call that ran for {@code elapsedNanos}. */
    public void recordCall(long elapsedNanos) {
        calls.increment();
        nanos.add(elapsedNanos);
    }

    /** Counts one call whose time was not measured (typed calls are timed one in eight). */
    public void recordUntimedCall() {
        calls.increment();
    }

    /** Counts one call that ran and replied an error. */
    public void recordFailed() {
        failed.increment();
    }

    /** Counts one call refused before it ran (wrong arity, ...). */
    public void recordRejected() {
        rejected.increment();
    }

    public long calls() {
        return calls.sum();
    }

    public long usec() {
        return nanos.sum() / 1000;
    }

    public long rejectedCalls() {
        return rejected.sum();
    }

    public long failedCalls() {
        return failed.sum();
    }

    /** CONFIG RESETSTAT: zeroes every counter. */
    public void reset() {
        calls.reset();
        nanos.reset();
        rejected.reset();
        failed.reset();
    }
}
