package io.redjar.internal.types;

import io.redjar.RedJarException;

import java.nio.charset.StandardCharsets;

/**
 * A stream entry ID: two unsigned 64-bit numbers (milliseconds, sequence) held in Java
 * {@code long}s and compared unsigned, with Redis 7.0's parsing ({@code streamGenericParseIDOrReply}:
 * {@code -}, {@code +}, {@code ms}, {@code ms-seq}, {@code ms-*}; numbers read like
 * {@code string2ull}), formatting ({@code %U-%U}) and increment/decrement
 * ({@code streamIncrID}/{@code streamDecrID}).
 *
 * <p>Design: an immutable value used at the command boundary (arguments, replies); the stored
 * entries never materialise one (iteration hands out the two longs).
 *
 * <p><b>Thread-safety:</b> immutable.
 *
 * @param ms  the milliseconds part (unsigned)
 * @param seq the sequence part (unsigned)
 */
public record StreamId(long ms, long seq) implements Comparable<StreamId> {
    /** {@code 0-0}. */
    public static final StreamId MIN = new StreamId(0, 0);
    /** The largest ID, {@code 18446744073709551615-18446744073709551615}. */
    public static final StreamId MAX = new StreamId(-1L, -1L);

    /** Redis's error for an unparsable ID. */
    public static final String INVALID = "ERR Invalid stream ID specified as stream command argument";

    /** The result of a parse that may leave the sequence to be generated ({@code ms-*}). */
    public record Parsed(StreamId id, boolean seqGiven) {
    }

    /** Compares two IDs given as parts, unsigned. */
    public static int compare(long ams, long aseq, long bms, long bseq) {
        int c = Long.compareUnsigned(ams, bms);
        return c != 0 ? c : Long.compareUnsigned(aseq, bseq);
    }

    @Override
    public int compareTo(StreamId o) {
        return compare(ms, seq, o.ms, o.seq);
    }

    /** @return whether this is {@code 0-0} */
    public boolean isZero() {
        return ms == 0 && seq == 0;
    }

    /** @return the next ID, or null past the maximum ({@code streamIncrID} failing) */
    public StreamId incr() {
        if (seq == -1L) {
            return ms == -1L ? null : new StreamId(ms + 1, 0);
        }
        return new StreamId(ms, seq + 1);
    }

    /** @return the previous ID, or null before {@code 0-0} ({@code streamDecrID} failing) */
    public StreamId decr() {
        if (seq == 0) {
            return ms == 0 ? null : new StreamId(ms - 1, -1L);
        }
        return new StreamId(ms, seq - 1);
    }

    @Override
    public String toString() {
        return Long.toUnsignedString(ms) + "-" + Long.toUnsignedString(seq);
    }

    /** @return {@link #toString()} as ASCII bytes */
    public byte[] bytes() {
        return toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** Formats parts as {@code ms-seq}. */
    public static byte[] bytes(long ms, long seq) {
        return (Long.toUnsignedString(ms) + "-" + Long.toUnsignedString(seq)).getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * {@code streamParseIDOrReply}: {@code -} and {@code +} allowed; a missing sequence becomes
     * {@code missingSeq}.
     */
    public static StreamId parse(byte[] arg, long missingSeq) {
        return parse(arg, missingSeq, false, false).id;
    }

    /** {@code streamParseStrictIDOrReply} without {@code ms-*}: {@code -} and {@code +} rejected. */
    public static StreamId parseStrict(byte[] arg, long missingSeq) {
        return parse(arg, missingSeq, true, false).id;
    }

    /** {@code streamParseStrictIDOrReply} with {@code seq_given}: accepts {@code ms-*} (XADD). */
    public static Parsed parseStrictAllowingAutoSeq(byte[] arg) {
        return parse(arg, 0, true, true);
    }

    /**
     * The generic parser.
     *
     * @throws RedJarException {@link #INVALID}
     */
    public static Parsed parse(byte[] arg, long missingSeq, boolean strict, boolean allowAutoSeq) {
        if (arg.length > 127) {
            throw new RedJarException(INVALID);
        }
        int len = 0;
        while (len < arg.length && arg[len] != 0) {
            len++; // a C string ends at its first NUL
        }
        boolean single = len == 1;
        if (strict && single && (arg[0] == '-' || arg[0] == '+')) {
            throw new RedJarException(INVALID);
        }
        if (single && arg[0] == '-') {
            return new Parsed(MIN, true);
        }
        if (single && arg[0] == '+') {
            return new Parsed(MAX, true);
        }
        int dash = -1;
        for (int i = 0; i < len; i++) {
            if (arg[i] == '-') {
                dash = i;
                break;
            }
        }
        long ms;
        long seq;
        boolean seqGiven = true;
        if (dash < 0) {
            ms = string2ull(arg, 0, len);
            seq = missingSeq;
        } else {
            ms = string2ull(arg, 0, dash);
            if (allowAutoSeq && len - dash - 1 == 1 && arg[dash + 1] == '*') {
                seq = 0;
                seqGiven = false;
            } else {
                seq = string2ull(arg, dash + 1, len);
            }
        }
        return new Parsed(new StreamId(ms, seq), seqGiven);
    }

    /** Redis's {@code string2ull}: {@code string2ll} when it fits (negatives rejected), else {@code strtoull}. */
    private static long string2ull(byte[] b, int from, int to) {
        Long ll = string2ll(b, from, to);
        if (ll != null) {
            if (ll < 0) {
                throw new RedJarException(INVALID);
            }
            return ll;
        }
        // strtoull: leading white space, an optional sign, decimal digits, nothing after them
        int i = from;
        while (i < to && (b[i] == ' ' || (b[i] >= '\t' && b[i] <= '\r'))) {
            i++;
        }
        boolean neg = false;
        if (i < to && (b[i] == '+' || b[i] == '-')) {
            neg = b[i] == '-';
            i++;
        }
        int digits = i;
        long v = 0;
        boolean overflow = false;
        while (i < to && b[i] >= '0' && b[i] <= '9') {
            int d = b[i] - '0';
            // 18446744073709551615 = 1844674407370955161 * 10 + 5
            if (Long.compareUnsigned(v, 1844674407370955161L) > 0 || (v == 1844674407370955161L && d > 5)) {
                overflow = true;
            }
            v = v * 10 + d;
            i++;
        }
        if (i == digits || i != to || from == to || overflow) {
            throw new RedJarException(INVALID);
        }
        return neg ? -v : v;
    }

    /** Redis's {@code string2ll}: canonical decimal only; null when not one. */
    private static Long string2ll(byte[] b, int from, int to) {
        int n = to - from;
        if (n == 0 || n > 20) {
            return null;
        }
        if (n == 1 && b[from] == '0') {
            return 0L;
        }
        int i = from;
        boolean neg = false;
        if (b[i] == '-') {
            neg = true;
            i++;
            if (i == to) {
                return null;
            }
        }
        if (b[i] < '1' || b[i] > '9') {
            return null;
        }
        long v = 0;
        for (; i < to; i++) {
            if (b[i] < '0' || b[i] > '9') {
                return null;
            }
            int d = b[i] - '0';
            if (v < (Long.MIN_VALUE + d) / 10) {
                return null; // overflow
            }
            v = v * 10 - d; // accumulate negatively to reach Long.MIN_VALUE
        }
        if (neg) {
            return v;
        }
        return v == Long.MIN_VALUE ? null : -v;
    }
}
