package io.redjar.internal.util;

import io.redjar.RedJarException;

/**
 * Checked arithmetic for sizes, offsets and counts on their way to native memory or to an
 * allocation: every value that ends up as a block size, a copy length or an array length goes
 * through one of these, so a wrapped {@code long} or a silently truncated {@code int} can never
 * reach {@code NativeMemory}.
 *
 * <p>The string limit is Redis's {@code proto-max-bulk-len} (512 MB by default, settable with
 * CONFIG SET), further capped at {@link #MAX_VALUE_BYTES}, what RedJar can hold in one value (a
 * value must fit a Java {@code byte[]} when it is read back).
 *
 * <p><b>Thread-safety:</b> stateless.
 */
public final class Sizes {
    /** Redis's default {@code proto-max-bulk-len}. */
    public static final long DEFAULT_PROTO_MAX_BULK_LEN = 512L * 1024 * 1024;
    /** The largest value RedJar can store: the largest {@code byte[]} the JVM reliably allocates. */
    public static final int MAX_VALUE_BYTES = Integer.MAX_VALUE - 8;
    /**
     * The largest single native block RedJar ever asks for (16 GiB): far above any real entry or
     * structure (values are capped at {@link #MAX_VALUE_BYTES}, keys by the protocol), so a size
     * beyond it can only be an arithmetic error.
     */
    public static final long MAX_ALLOCATION = 1L << 34;
    /** Redis's reply when a string would grow past {@code proto-max-bulk-len} (t_string.c). */
    public static final String STRING_TOO_LONG = "ERR string exceeds maximum allowed size (proto-max-bulk-len)";

    private Sizes() {
    }

    /**
     * Redis 7.0's {@code checkStringLength(c, size, append)}: the string that {@code size} bytes
     * plus {@code append} more would make must not exceed {@code limit}; an overflowing sum fails
     * the same way.
     *
     * @param size   the offset or current length, non-negative
     * @param append the bytes added, non-negative
     * @param limit  the configured {@code proto-max-bulk-len}
     * @return {@code size + append}, at most {@link #MAX_VALUE_BYTES}
     * @throws RedJarException {@link #STRING_TOO_LONG}
     */
    public static int checkStringLength(long size, long append, long limit) {
        if (size < 0 || append < 0) {
            throw new RedJarException(STRING_TOO_LONG);
        }
        long total = size + append;
        if (total < 0 || total > limit || total > MAX_VALUE_BYTES) {
            throw new RedJarException(STRING_TOO_LONG);
        }
        return (int) total;
    }

    /** {@link #checkStringLength(long, long, long)} of a whole length. */
    public static int checkStringLength(long length, long limit) {
        return checkStringLength(length, 0, limit);
    }

    /** Redis's {@code getRangeLongFromObjectOrReply(-LONG_MAX, LONG_MAX)} error (HRANDFIELD & co.). */
    public static final String NOT_LONG_MAX_RANGE =
        "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807";
    /** The error for a reply RedJar cannot build (more elements than a Java array holds). */
    public static final String OUT_OF_RANGE = "ERR value is out of range";

    /**
     * Redis's {@code getRangeLongFromObjectOrReply(-LONG_MAX, LONG_MAX)}, checked before the key is
     * looked up (SRANDMEMBER, HRANDFIELD, ZRANDMEMBER counts).
     *
     * @throws RedJarException {@link #NOT_LONG_MAX_RANGE} for {@code Long.MIN_VALUE}
     */
    public static long checkLongMaxRange(long v) {
        if (v == Long.MIN_VALUE) {
            throw new RedJarException(NOT_LONG_MAX_RANGE);
        }
        return v;
    }

    /**
     * The random-element commands' count once the key exists: a negative count asks for exactly
     * {@code -count} elements, which RedJar must hold in one list.
     *
     * @param count the count argument
     * @return {@code count}
     * @throws RedJarException {@link #NOT_LONG_MAX_RANGE} for {@code Long.MIN_VALUE};
     *                         {@link #OUT_OF_RANGE} when {@code -count} exceeds a Java array (where
     *                         real Redis would try to build a reply of that many elements)
     */
    public static long checkRandomCount(long count) {
        checkLongMaxRange(count);
        if (count < 0 && -count > MAX_VALUE_BYTES) {
            throw new RedJarException(OUT_OF_RANGE);
        }
        return count;
    }

    /**
     * @param a a non-negative size
     * @param b a non-negative size
     * @param error the Redis error line to throw when the sum overflows (or an operand is negative)
     * @return {@code a + b}
     */
    public static long add(long a, long b, String error) {
        if (a < 0 || b < 0) {
            throw new RedJarException(error);
        }
        long r = a + b;
        if (r < 0) {
            throw new RedJarException(error);
        }
        return r;
    }

    /**
     * @param a a non-negative size
     * @param b a non-negative size
     * @param error the Redis error line to throw when the product overflows (or an operand is
     *              negative)
     * @return {@code a * b}
     */
    public static long multiply(long a, long b, String error) {
        if (a < 0 || b < 0) {
            throw new RedJarException(error);
        }
        long hi = Math.multiplyHigh(a, b);
        long r = a * b;
        if (hi != 0 || r < 0) {
            throw new RedJarException(error);
        }
        return r;
    }

    /**
     * An int conversion that never truncates.
     *
     * @param v a size or count
     * @param error the Redis error line to throw when {@code v} is outside {@code 0..Integer.MAX_VALUE}
     * @return {@code v} as an int
     */
    public static int toInt(long v, String error) {
        if (v < 0 || v > Integer.MAX_VALUE) {
            throw new RedJarException(error);
        }
        return (int) v;
    }

    /**
     * A native allocation request: at least one byte and at most {@link #MAX_ALLOCATION}. A value
     * outside that range is a bug (a wrapped, negative or uninitialised size) and must not reach
     * {@code Unsafe.allocateMemory}.
     *
     * @param size the requested size
     * @return {@code size}
     * @throws IllegalArgumentException when {@code size < 1} or {@code size > MAX_ALLOCATION}
     */
    public static long checkAllocation(long size) {
        if (size < 1 || size > MAX_ALLOCATION) {
            throw new IllegalArgumentException("native allocation size out of range: " + size
                + " (must be 1.." + MAX_ALLOCATION + ")");
        }
        return size;
    }
}
