package io.redjar;

import io.redjar.internal.util.Preconditions;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock that moves only when told to. Give it to {@link Store.Builder#clock(Clock)} and call
 * {@link #advance(Duration)} to make keys expire without sleeping.
 *
 * <p><b>Thread-safety:</b> thread-safe.
 */
public final class ManualClock implements Clock {
    private final AtomicLong millis;

    /** Starts at {@code startMillis} ms since the epoch. */
    public ManualClock(long startMillis) {
        this.millis = new AtomicLong(startMillis);
    }

    /** Starts at the current wall-clock time. */
    public ManualClock() {
        this(System.currentTimeMillis());
    }

    @Override
    public long millis() {
        return millis.get();
    }

    /**
     * Moves the clock forward (or back, for a negative duration).
     *
     * @throws NullPointerException     if {@code duration} is null
     * @throws IllegalArgumentException if the duration's milliseconds do not fit a {@code long}, or
     *                                  the clock would pass {@code Long.MIN_VALUE}/{@code MAX_VALUE}
     *                                  (the clock is then unchanged)
     */
    public void advance(Duration duration) {
        long delta = Preconditions.millis(duration, "duration");
        millis.getAndUpdate(now -> {
            try {
                return Math.addExact(now, delta);
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("duration " + duration + " moves the clock out of range", e);
            }
        });
    }

    /** Sets the clock. */
    public void set(long epochMillis) {
        millis.set(epochMillis);
    }
}
