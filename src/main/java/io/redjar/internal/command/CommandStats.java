package io.redjar.internal.command;

import java.util.concurrent.atomic.LongAdder;

/**
 * One command's counters for INFO commandstats: calls, total microseconds, rejected calls
 * (refused before running, e.g. wrong arity) and failed calls (ran and replied an error).
 *
 * <p><b>Thread-safety:</b> thread-safe ({@link LongAdder}s; no allocation on the hot path).
 */
public final class CommandStats {
    final LongAdder calls = new LongAdder();
    final LongAdder nanos = new LongAdder();
    final LongAdder rejected = new LongAdder();
    final LongAdder failed = new LongAdder();

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

    void reset() {
        calls.reset();
        nanos.reset();
        rejected.reset();
        failed.reset();
    }
}
