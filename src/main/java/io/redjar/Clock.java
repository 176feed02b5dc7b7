package io.redjar;

/**
 * The store's source of time, in milliseconds since the epoch. Expiry, TTL replies, {@code TIME}
 * and idle times all read it, so a test can drive time with a {@link ManualClock} instead of
 * sleeping.
 *
 * <p><b>Thread-safety:</b> implementations must be safe to call from any thread.
 */
@FunctionalInterface
public interface Clock {
    /** @return the current time in milliseconds since the epoch */
    long millis();

    /** @return the current time in microseconds since the epoch (for {@code TIME}) */
    default long micros() {
        return millis() * 1000L;
    }

    /** @return the wall clock */
    static Clock system() {
        return SystemClock.INSTANCE;
    }

    /** The wall clock, with microsecond {@code TIME}. */
    final class SystemClock implements Clock {
        static final SystemClock INSTANCE = new SystemClock();

        private SystemClock() {
        }

        @Override
        public long millis() {
            return System.currentTimeMillis();
        }

        @Override
        public long micros() {
            java.time.Instant now = java.time.Instant.now();
            return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
        }
    }
}
