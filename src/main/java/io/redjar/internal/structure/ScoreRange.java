package io.redjar.internal.structure;

import io.redjar.internal.util.Numbers;

/**
 * A score interval with inclusive or exclusive ends, Redis's {@code zrangespec}. Either end may be
 * an infinity; NaN is never an end.
 *
 * <p>Design: an immutable value built once per command ({@link #parse} follows
 * {@code zslParseRange}); the skip list only calls {@link #gteMin} and {@link #lteMax}. A range whose
 * min is above its max, or whose equal ends are not both inclusive, is {@link #isEmpty() empty}
 * ({@code zslIsInRange}'s first test).
 *
 * <p><b>Thread-safety:</b> immutable; thread-safe.
 */
public final class ScoreRange {
    /** {@code [-inf, +inf]}: every score. */
    public static final ScoreRange ALL =
        new ScoreRange(Double.NEGATIVE_INFINITY, false, Double.POSITIVE_INFINITY, false);

    /** The lower end. */
    public final double min;
    /** Whether {@link #min} itself is excluded. */
    public final boolean minExclusive;
    /** The upper end. */
    public final double max;
    /** Whether {@link #max} itself is excluded. */
    public final boolean maxExclusive;

    /**
     * @throws IllegalArgumentException if an end is NaN
     */
    public ScoreRange(double min, boolean minExclusive, double max, boolean maxExclusive) {
        if (Double.isNaN(min) || Double.isNaN(max)) {
            throw new IllegalArgumentException("NaN range end");
        }
        this.min = min;
        this.minExclusive = minExclusive;
        this.max = max;
        this.maxExclusive = maxExclusive;
    }

    /**
     * Parses ZRANGEBYSCORE-style ends: a float, optionally prefixed by {@code '('} for an exclusive
     * end ({@code "-inf"}, {@code "+inf"} and {@code "(5"} included), with C {@code strtod}'s
     * leniency as in Redis 7.0 ({@code ""} and {@code "("} read as 0, leading spaces skipped,
     * {@code "1e999"} read as infinity).
     *
     * @return the range, or {@code null} when an end is not a valid float (Redis replies
     *     {@code ERR min or max is not a float})
     */
    public static ScoreRange parse(byte[] min, byte[] max) {
        boolean minEx = min.length > 0 && min[0] == '(';
        boolean maxEx = max.length > 0 && max[0] == '(';
        double lo = minEx ? Numbers.parseStrtodOrNaN(min, 1, min.length - 1) : Numbers.parseStrtodOrNaN(min, 0, min.length);
        double hi = maxEx ? Numbers.parseStrtodOrNaN(max, 1, max.length - 1) : Numbers.parseStrtodOrNaN(max, 0, max.length);
        if (Double.isNaN(lo) || Double.isNaN(hi)) {
            return null;
        }
        return new ScoreRange(lo, minEx, hi, maxEx);
    }

    /** @return whether no score can be inside the range. */
    public boolean isEmpty() {
        return min > max || (min == max && (minExclusive || maxExclusive));
    }

    /** @return whether {@code v} is not below the lower end ({@code zslValueGteMin}). */
    public boolean gteMin(double v) {
        return minExclusive ? v > min : v >= min;
    }

    /** @return whether {@code v} is not above the upper end ({@code zslValueLteMax}). */
    public boolean lteMax(double v) {
        return maxExclusive ? v < max : v <= max;
    }

    /** @return whether {@code v} is inside the range. */
    public boolean contains(double v) {
        return gteMin(v) && lteMax(v);
    }

    @Override
    public String toString() {
        return (minExclusive ? "(" : "[") + min + ", " + max + (maxExclusive ? ")" : "]");
    }
}
