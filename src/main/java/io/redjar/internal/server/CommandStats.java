package io.redjar.internal.server;

import org.HdrHistogram.AtomicHistogram;

import java.util.concurrent.atomic.LongAdder;

/**
 * One command's counters for INFO commandstats: calls, total microseconds, rejected calls
 * (refused before running, e.g. wrong arity) and failed calls (ran and replied an error); and its
 * latency histogram for LATENCY HISTOGRAM and INFO latencystats (Redis 7.0's per-command
 * {@code hdr_histogram}: nanoseconds from 1 to 10^9, 2 significant digits, created at the first
 * timed call, fed only while {@code latency-tracking} is on).
 *
 * <p><b>Thread-safety:</b> thread-safe ({@link LongAdder}s and an {@link AtomicHistogram}; no
 * allocation on the hot path once the histogram exists).
 */
public final class CommandStats {
    private final LongAdder calls = new LongAdder();
    private final LongAdder nanos = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder failed = new LongAdder();
    /** Created at the first timed call (most commands are never called). */
    private volatile AtomicHistogram histogram;

    /** Lowest and highest latency the histogram tracks, in nanoseconds (Redis's bounds). */
    static final long HISTOGRAM_MIN = 1;
    static final long HISTOGRAM_MAX = 1_000_000_000L;

    /** Counts one call that ran for {@code elapsedNanos}. */
    public void recordCall(long elapsedNanos) {
        calls.increment();
        nanos.add(elapsedNanos);
    }

    /**
     * Adds {@code count} calls of {@code elapsedNanos} each to the latency histogram (a typed call
     * timed one in eight counts eight), clamped to the tracked range.
     */
    public void recordLatency(long elapsedNanos, long count) {
        AtomicHistogram h = histogram;
        if (h == null) {
            synchronized (this) {
                h = histogram;
                if (h == null) {
                    h = new AtomicHistogram(HISTOGRAM_MIN, HISTOGRAM_MAX, 2);
                    histogram = h;
                }
            }
        }
        h.recordValueWithCount(Math.max(HISTOGRAM_MIN, Math.min(HISTOGRAM_MAX, elapsedNanos)), count);
    }

    /** @return the latency histogram, or null if no timed call was recorded since the last reset */
    public AtomicHistogram histogram() {
        AtomicHistogram h = histogram;
        return h == null || h.getTotalCount() == 0 ? null : h;
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
        AtomicHistogram h = histogram;
        if (h != null) {
            h.reset();
        }
    }
}
