package io.redjar;

import io.redjar.internal.util.Preconditions;

/**
 * The count checks of HRANDFIELD, SRANDMEMBER and ZRANDMEMBER for the typed handles: Redis's own
 * errors first, in Redis 7.0.15's order, then the one limit a Java list adds.
 */
final class Counts {
    private Counts() {
    }

    /**
     * @param withValues WITHVALUES / WITHSCORES: Redis then also rejects {@code |count| > LONG_MAX / 2}
     * @throws RedJarException          {@code ERR value is out of range, value must between ...} for
     *                                  {@code Long.MIN_VALUE}; {@code ERR value is out of range} for
     *                                  a paired count beyond {@code LONG_MAX / 2}
     * @throws IllegalArgumentException for a negative count asking for more elements than a list
     *                                  holds (Redis would try to send them all)
     */
    static long random(long count, boolean withValues) {
        io.redjar.internal.util.Sizes.checkLongMaxRange(count);
        if (withValues && (count < -Long.MAX_VALUE / 2 || count > Long.MAX_VALUE / 2)) {
            throw new RedJarException("ERR value is out of range");
        }
        return Preconditions.repliesFitAList(count, "count");
    }
}
