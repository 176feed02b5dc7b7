package io.redjar.internal.eviction.access;

/**
 * Redis 7.0's LFU counter in an entry's 24 access bits ({@code evict.c}): the high 16 bits are the
 * last decrement time in minutes (wrapping), the low 8 a logarithmic access counter.
 *
 * <pre>
 *        16 bits      8 bits
 *   +----------------+--------+
 *   | Last decr time | LOG_C  |
 *   +----------------+--------+
 * </pre>
 *
 * New keys start at {@link #INIT_VAL}; an access first decays the counter by one per
 * {@code lfu-decay-time} minutes elapsed ({@link #decrAndReturn}), then increments it with
 * probability {@code 1 / ((counter - INIT_VAL) * lfu-log-factor + 1)} ({@link #logIncr}).
 *
 * <p><b>Thread-safety:</b> stateless.
 */
public final class Lfu {
    /** Redis's {@code LFU_INIT_VAL}. */
    public static final int INIT_VAL = 5;

    private Lfu() {
    }

    /** @return Redis's {@code LFUGetTimeInMinutes}: {@code (unixtime / 60) & 65535} */
    public static int minutes(long nowMs) {
        return (int) ((nowMs / 1000 / 60) & 0xFFFF);
    }

    /** @return the access bits of a new object (Redis's {@code createObject} under an LFU policy) */
    public static int initial(long nowMs) {
        return (minutes(nowMs) << 8) | INIT_VAL;
    }

    /** @return minutes since {@code ldt}, the time wrapping at most once ({@code LFUTimeElapsed}) */
    static long timeElapsed(int ldt, long nowMs) {
        int now = minutes(nowMs);
        return now >= ldt ? now - ldt : 65535 - ldt + now;
    }

    /** @return the counter decayed to now, without writing it ({@code LFUDecrAndReturn}) */
    public static int decrAndReturn(int bits, long nowMs, int decayTime) {
        int ldt = bits >>> 8;
        int counter = bits & 0xFF;
        long periods = decayTime != 0 ? timeElapsed(ldt, nowMs) / decayTime : 0;
        if (periods != 0) {
            counter = periods > counter ? 0 : (int) (counter - periods);
        }
        return counter;
    }

    /** @return the counter after one access given a uniform draw {@code r} in [0, 1] ({@code LFULogIncr}) */
    public static int logIncr(int counter, int logFactor, double r) {
        if (counter == 255) {
            return 255;
        }
        double base = counter - INIT_VAL;
        if (base < 0) {
            base = 0;
        }
        double p = 1.0 / (base * logFactor + 1);
        return r < p ? counter + 1 : counter;
    }

    /** @return the access bits after one access ({@code updateLFU}) */
    public static int touch(int bits, long nowMs, int logFactor, int decayTime, double r) {
        int counter = logIncr(decrAndReturn(bits, nowMs, decayTime), logFactor, r);
        return (minutes(nowMs) << 8) | counter;
    }
}
