package io.redjar.internal.util;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

import io.redjar.RedJarException;

/**
 * An exact emulation of the x87 80-bit {@code long double} (64-bit significand with explicit
 * integer bit, 15-bit exponent: normal range 2<sup>-16382</sup> .. about 1.19&times;10<sup>4932</sup>,
 * subnormals down to 2<sup>-16445</sup>), the type Redis 7.0 on x86-64 Linux uses for
 * {@code INCRBYFLOAT} and {@code HINCRBYFLOAT}.
 *
 * <p><b>Mirrors</b> (Redis 7.0.15 built with gcc/glibc on x86-64):
 * <ul>
 *   <li>{@link #parse}: {@code string2ld()} / {@code getLongDoubleFromObject()}: rejects an empty
 *       string or one of {@code 5*1024} bytes or more, then glibc {@code strtold()} over the whole
 *       string, correctly rounded (to nearest, ties to even); rejects leading whitespace, trailing
 *       bytes, NaN, overflow to &plusmn;{@code HUGE_VALL} and underflow to zero (both ERANGE);
 *       accepts {@code inf}/{@code infinity} in any case, hex floats and non-zero subnormals;</li>
 *   <li>{@link #add}: the x87 {@code fadd} at 64-bit precision control (Linux default): the exact
 *       sum correctly rounded, ties to even, overflow to infinity, {@code inf + -inf = NaN},
 *       {@code x + -x = +0};</li>
 *   <li>{@link #toHumanString}: {@code ld2string(buf, 5*1024, v, LD_STR_HUMAN)} as used by
 *       {@code createStringObjectFromLongDouble(v, 1)} (the stored value and reply of
 *       INCRBYFLOAT).</li>
 * </ul>
 *
 * <p>A value is held as sign, 64-bit unsigned significand and binary exponent; arithmetic goes
 * through {@link BigInteger} (this is not a hot path, and it keeps every step exact).
 *
 * <p><b>Thread-safety:</b> immutable value class; safe to share between threads.
 */
public final class LongDouble {
    /** Redis's {@code MAX_LONG_DOUBLE_CHARS}: input and output buffer size. */
    public static final int MAX_LONG_DOUBLE_CHARS = 5 * 1024;

    private static final byte FINITE = 0;
    private static final byte ZERO_KIND = 1;
    private static final byte INF_KIND = 2;
    private static final byte NAN_KIND = 3;

    /** Positive zero. */
    public static final LongDouble ZERO = new LongDouble(ZERO_KIND, false, 0, 0);
    /** Negative zero. */
    public static final LongDouble NEGATIVE_ZERO = new LongDouble(ZERO_KIND, true, 0, 0);
    /** Positive infinity. */
    public static final LongDouble POSITIVE_INFINITY = new LongDouble(INF_KIND, false, 0, 0);
    /** Negative infinity. */
    public static final LongDouble NEGATIVE_INFINITY = new LongDouble(INF_KIND, true, 0, 0);
    /**
     * The NaN that {@code inf + -inf} produces on x87 (the "real indefinite", whose sign bit is
     * set, hence printed {@code "-nan"} by glibc). {@link #parse} never returns a NaN.
     */
    public static final LongDouble NaN = new LongDouble(NAN_KIND, true, 0, 0);

    private static final BigInteger TEN_POW_17 = BigInteger.TEN.pow(17);

    private final byte kind;
    private final boolean negative;
    /** Unsigned; odd (normalized) for finite values. */
    private final long significand;
    private final int exponent;

    private LongDouble(byte kind, boolean negative, long significand, int exponent) {
        this.kind = kind;
        this.negative = negative;
        this.significand = significand;
        this.exponent = exponent;
    }

    /** A finite non-zero value {@code ±significand * 2^exponent}, normalized. */
    private static LongDouble finite(boolean negative, long significand, int exponent) {
        int tz = Long.numberOfTrailingZeros(significand);
        return new LongDouble(FINITE, negative, significand >>> tz, exponent + tz);
    }

    private static LongDouble fromRounded(boolean negative, CFloat.Rounded r) {
        if (r.overflow) {
            return negative ? NEGATIVE_INFINITY : POSITIVE_INFINITY;
        }
        if (r.significand == 0) {
            return negative ? NEGATIVE_ZERO : ZERO;
        }
        return finite(negative, r.significand, r.exponent);
    }

    // ---------------------------------------------------------------- construction

    /**
     * Parses a whole array with Redis's {@code string2ld()} rules.
     *
     * @param s the text
     * @return the value (finite or infinite, never NaN)
     * @throws RedJarException {@code ERR value is not a valid float} if Redis would reject it
     */
    public static LongDouble parse(byte[] s) {
        return parse(s, 0, s.length);
    }

    /**
     * Parses a slice with Redis's {@code string2ld()} rules.
     *
     * @param s   the array
     * @param off index of the first byte
     * @param len number of bytes
     * @return the value (finite or infinite, never NaN)
     * @throws RedJarException           {@code ERR value is not a valid float} if Redis would
     *                                   reject it
     * @throws IndexOutOfBoundsException if the slice is not inside {@code s}
     */
    public static LongDouble parse(byte[] s, int off, int len) {
        LongDouble v = parseOrNull(s, off, len);
        if (v == null) {
            throw new RedJarException(Numbers.NOT_A_FLOAT);
        }
        return v;
    }

    /**
     * Parses a slice with Redis's {@code string2ld()} rules, without throwing.
     *
     * @param s   the array
     * @param off index of the first byte
     * @param len number of bytes
     * @return the value, or {@code null} when Redis would reject the text
     * @throws IndexOutOfBoundsException if the slice is not inside {@code s}
     */
    public static LongDouble parseOrNull(byte[] s, int off, int len) {
        Objects.checkFromIndexSize(off, len, s.length);
        if (len == 0 || len >= MAX_LONG_DOUBLE_CHARS) {
            return null;
        }
        boolean neg = CFloat.isNegative(s, off, len);
        int syntax = CFloat.scan(s, off, len);
        switch (syntax) {
            case CFloat.DECIMAL:
            case CFloat.HEX: {
                CFloat.Rounded r = CFloat.convert(s, off, len, syntax == CFloat.HEX, CFloat.X87);
                if (r.isRangeError()) {
                    return null;
                }
                return fromRounded(neg, r);
            }
            case CFloat.INFINITY:
                return neg ? NEGATIVE_INFINITY : POSITIVE_INFINITY;
            default:
                return null;
        }
    }

    /**
     * The exact {@code long double} of a 64-bit integer (always representable), as Redis converts
     * an integer-encoded string object.
     *
     * @param v the integer
     * @return the same value
     */
    public static LongDouble of(long v) {
        if (v == 0) {
            return ZERO;
        }
        return finite(v < 0, v < 0 ? -v : v, 0); // -Long.MIN_VALUE is 2^63 read unsigned
    }

    /**
     * The exact {@code long double} of a double (widening is exact).
     *
     * @param d the double
     * @return the same value; a NaN maps to {@link #NaN}
     */
    public static LongDouble of(double d) {
        if (Double.isNaN(d)) {
            return NaN;
        }
        boolean neg = Double.doubleToRawLongBits(d) < 0;
        if (Double.isInfinite(d)) {
            return neg ? NEGATIVE_INFINITY : POSITIVE_INFINITY;
        }
        if (d == 0) {
            return neg ? NEGATIVE_ZERO : ZERO;
        }
        long bits = Double.doubleToRawLongBits(d);
        int biased = (int) ((bits >>> 52) & 0x7FF);
        long frac = bits & 0xFFFFFFFFFFFFFL;
        if (biased == 0) {
            return finite(neg, frac, -1074);
        }
        return finite(neg, frac | (1L << 52), biased - 1075);
    }

    // ---------------------------------------------------------------- arithmetic

    /**
     * Adds like the x87 FPU does {@code value += incr} in Redis's INCRBYFLOAT: the exact sum rounded
     * to nearest (ties to even) to 64 significant bits, with gradual underflow and overflow to
     * infinity; IEEE rules for zeros, infinities and NaN.
     *
     * @param other the addend
     * @return the rounded sum
     */
    public LongDouble add(LongDouble other) {
        if (kind == NAN_KIND || other.kind == NAN_KIND) {
            return NaN;
        }
        if (kind == INF_KIND || other.kind == INF_KIND) {
            if (kind == INF_KIND && other.kind == INF_KIND && negative != other.negative) {
                return NaN;
            }
            return kind == INF_KIND ? this : other;
        }
        if (kind == ZERO_KIND) {
            if (other.kind == ZERO_KIND) {
                return negative && other.negative ? NEGATIVE_ZERO : ZERO;
            }
            return other;
        }
        if (other.kind == ZERO_KIND) {
            return this;
        }
        int emin = Math.min(exponent, other.exponent);
        BigInteger a = unsigned(significand).shiftLeft(exponent - emin);
        BigInteger b = unsigned(other.significand).shiftLeft(other.exponent - emin);
        BigInteger sum = (negative ? a.negate() : a).add(other.negative ? b.negate() : b);
        if (sum.signum() == 0) {
            return ZERO;
        }
        return fromRounded(sum.signum() < 0, CFloat.roundBinary(sum.abs(), emin, CFloat.X87));
    }

    /**
     * Changes the sign (exact).
     *
     * @return {@code -this}
     */
    public LongDouble negate() {
        if (kind == NAN_KIND) {
            return this;
        }
        return new LongDouble(kind, !negative, significand, exponent);
    }

    // ---------------------------------------------------------------- queries

    /** @return whether this is a NaN */
    public boolean isNaN() {
        return kind == NAN_KIND;
    }

    /** @return whether this is an infinity */
    public boolean isInfinite() {
        return kind == INF_KIND;
    }

    /** @return whether this is a zero of either sign */
    public boolean isZero() {
        return kind == ZERO_KIND;
    }

    /** @return whether the sign bit is set (also for {@code -0} and {@code -inf}) */
    public boolean isNegative() {
        return negative;
    }

    /**
     * The value rounded to the nearest double, ties to even, as a C cast {@code (double)ld} does.
     *
     * @return the nearest double (possibly infinite or zero when out of range)
     */
    public double toDouble() {
        switch (kind) {
            case NAN_KIND:
                return Double.NaN;
            case INF_KIND:
                return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            case ZERO_KIND:
                return negative ? -0.0 : 0.0;
            default: {
                CFloat.Rounded r = CFloat.roundBinary(unsigned(significand), exponent, CFloat.DOUBLE);
                double mag = r.overflow ? Double.POSITIVE_INFINITY
                        : r.significand == 0 ? 0.0 : Numbers.toDouble(r);
                return negative ? -mag : mag;
            }
        }
    }

    /**
     * The exact value as a {@link BigDecimal} (zeros lose their sign).
     *
     * @return the exact decimal expansion of this finite value
     * @throws ArithmeticException if this is infinite or NaN
     */
    public BigDecimal toBigDecimal() {
        if (kind == ZERO_KIND) {
            return BigDecimal.ZERO;
        }
        if (kind != FINITE) {
            throw new ArithmeticException("not finite: " + this);
        }
        BigInteger m = unsigned(significand);
        BigDecimal v = exponent >= 0 ? new BigDecimal(m.shiftLeft(exponent))
                : new BigDecimal(m.multiply(BigInteger.valueOf(5).pow(-exponent)), -exponent);
        return negative ? v.negate() : v;
    }

    // ---------------------------------------------------------------- formatting

    /**
     * Formats like Redis 7.0's {@code ld2string(buf, 5*1024, v, LD_STR_HUMAN)}: glibc's
     * {@code "%.17Lf"} (the exact binary value rounded half-even to 17 fractional digits, a
     * {@code '-'} for any value with the sign bit set), then trailing zeros after the point removed,
     * then a trailing point removed, and finally {@code "-0"} turned into {@code "0"}. Infinities
     * are {@code "inf"}/{@code "-inf"}; {@link #NaN} is {@code "-nan"} (glibc's rendering; Redis
     * refuses to store a NaN). If the text would not fit the {@code 5*1024}-byte buffer,
     * {@code ld2string} fails and returns length 0, so this returns an empty array; that cannot
     * actually happen for an x87 value (the longest is under 5,000 bytes).
     *
     * @return e.g. {@code "10.6"}, {@code "5200"}, {@code "0.30000000000000000"} trimmed to
     *         {@code "0.3"}
     */
    public byte[] toHumanString() {
        switch (kind) {
            case NAN_KIND:
                return ascii(negative ? "-nan" : "nan");
            case INF_KIND:
                return ascii(negative ? "-inf" : "inf");
            case ZERO_KIND:
                return ascii("0"); // "-0.00000000000000000" -> "-0" -> "0"
            default:
                break;
        }
        BigInteger m = unsigned(significand);
        BigInteger intPart;
        BigInteger frac; // 17 decimal digits, rounded
        if (exponent >= 0) {
            intPart = m.shiftLeft(exponent);
            frac = BigInteger.ZERO;
        } else {
            int sh = -exponent;
            intPart = m.shiftRight(sh);
            BigInteger fracBits = m.subtract(intPart.shiftLeft(sh));
            BigInteger scaled = fracBits.multiply(TEN_POW_17);
            BigInteger q = scaled.shiftRight(sh);
            BigInteger rem = scaled.subtract(q.shiftLeft(sh));
            int cmp = rem.shiftLeft(1).compareTo(BigInteger.ONE.shiftLeft(sh));
            if (cmp > 0 || (cmp == 0 && q.testBit(0))) {
                q = q.add(BigInteger.ONE);
                if (q.equals(TEN_POW_17)) {
                    q = BigInteger.ZERO;
                    intPart = intPart.add(BigInteger.ONE);
                }
            }
            frac = q;
        }
        String ip = intPart.toString();
        int fullLength = (negative ? 1 : 0) + ip.length() + 1 + 17;
        if (fullLength + 1 > MAX_LONG_DOUBLE_CHARS) {
            return new byte[0];
        }
        StringBuilder sb = new StringBuilder(fullLength);
        if (negative) {
            sb.append('-');
        }
        sb.append(ip);
        if (frac.signum() != 0) {
            String fs = frac.toString();
            sb.append('.');
            for (int i = fs.length(); i < 17; i++) {
                sb.append('0');
            }
            int end = fs.length();
            while (fs.charAt(end - 1) == '0') {
                end--;
            }
            sb.append(fs, 0, end);
        }
        if (sb.length() == 2 && sb.charAt(0) == '-' && sb.charAt(1) == '0') {
            return ascii("0");
        }
        return ascii(sb.toString());
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static BigInteger unsigned(long v) {
        if (v >= 0) {
            return BigInteger.valueOf(v);
        }
        return BigInteger.valueOf(v >>> 1).shiftLeft(1).or(BigInteger.valueOf(v & 1));
    }

    // ---------------------------------------------------------------- Object

    /**
     * Representation equality: same kind, sign, significand and exponent. Unlike {@code ==} in C,
     * {@code +0} and {@code -0} differ and {@link #NaN} equals itself.
     */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof LongDouble)) {
            return false;
        }
        LongDouble x = (LongDouble) o;
        return kind == x.kind && negative == x.negative && significand == x.significand && exponent == x.exponent;
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, negative, significand, exponent);
    }

    /** @return the {@link #toHumanString()} text */
    @Override
    public String toString() {
        return new String(toHumanString(), StandardCharsets.ISO_8859_1);
    }
}
