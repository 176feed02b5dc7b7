package io.redjar;

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

    /** Moves the clock forward (or back, for a negative duration). */
    public void advance(Duration d) {
        millis.addAndGet(d.toMillis());
    }

    /** Sets the clock. */
    public void set(long epochMillis) {
        millis.set(epochMillis);
    }
}
