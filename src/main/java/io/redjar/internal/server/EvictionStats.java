package io.redjar.internal.server;

/**
 * The eviction figures INFO's stats section shows (kept here, below the command layer, so that
 * the INFO adapter does not depend on the evictor).
 *
 * <p><b>Thread-safety:</b> implementations are thread-safe.
 */
public interface EvictionStats {
    /** None evicted, never over the limit (a host without an evictor). */
    EvictionStats NONE = new EvictionStats() {
        @Override
        public long evictedKeys() {
            return 0;
        }

        @Override
        public long totalExceededMillis() {
            return 0;
        }

        @Override
        public long currentExceededMillis() {
            return 0;
        }

        @Override
        public void resetStats() {
        }
    };

    /** @return keys evicted since the store opened ({@code evicted_keys}) */
    long evictedKeys();

    /** @return {@code total_eviction_exceeded_time} in ms (the current stretch included, as Redis) */
    long totalExceededMillis();

    /** @return {@code current_eviction_exceeded_time} in ms */
    long currentExceededMillis();

    /** Resets the counters CONFIG RESETSTAT clears. */
    void resetStats();
}
