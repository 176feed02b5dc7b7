package io.redjar.internal.util;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

import io.redjar.NotIntegerException;
import io.redjar.RedJarException;

/**
 * Integer and floating-point parsing and formatting with Redis 7.0's exact rules.
 *
 * <p><b>Mirrors</b> (Redis 7.0.15, {@code src/util.c}, {@code src/object.c},
 * {@code src/networking.c}):
 * <ul>
 *   <li>{@link #parseLong}, {@link #isLong}, {@link #parseLongOrDefault}: {@code string2ll()} as
 *       used by {@code getLongLongFromObject()}: 1 to 20 bytes, optional {@code '-'}, no
 *       {@code '+'}, no whitespace, no leading zeros (only {@code "0"} itself; {@code "-0"} is
 *       rejected), no overflow;</li>
 *   <li>{@link #parseDouble}, {@link #parseDoubleOrNaN}: {@code string2d()} /
 *       {@code getDoubleFromObject()}: glibc {@code strtod()} in the "C" locale over the whole
 *       string (decimal, C99 hex floats such as {@code 0x1p3} or {@code 0x1.8}, {@code inf},
 *       {@code infinity}, any case, optional sign), rejecting an empty string, leading whitespace,
 *       trailing bytes (including an embedded NUL), a NaN, an overflow to &plusmn;{@code HUGE_VAL}
 *       and an underflow to zero (a non-zero subnormal result is accepted, and so is a zero
 *       significand with any exponent, e.g. {@code "0e99999"});</li>
 *   <li>{@link #formatLong}: {@code ll2string()};</li>
 *   <li>{@link #formatDouble17g}: {@code printf("%.17g")} as glibc does it (exact binary value,
 *       rounded half-even to 17 significant digits), which is how {@code addReplyDouble()} renders
 *       every double reply in Redis 7.0, in RESP2 (bulk string) and RESP3 (double) alike: ZSCORE,
 *       ZINCRBY, ZRANGE WITHSCORES, ...;</li>
 *   <li>{@link #formatDoubleHuman}: {@code addReplyHumanLongDouble()}, i.e. {@code ld2string(...,
 *       LD_STR_HUMAN)} of the double widened to {@code long double}: {@code "%.17Lf"} with trailing
 *       zeros trimmed. Redis 7.0 uses it for replies such as GEOPOS coordinates (and, on genuine long
 *       doubles, INCRBYFLOAT/HINCRBYFLOAT; see {@link LongDouble#toHumanString()});</li>
 *   <li>{@link #formatDoubleD2String}: {@code d2string()}, the format sorted-set scores are
 *       serialized with inside listpacks; it is not a reply format in 7.0 (7.2 made it one).</li>
 * </ul>
 *
 * <p><b>Thread-safety:</b> stateless; all methods are pure functions, safe from any thread. The
 * integer methods do not allocate (except for the returned array); the double methods allocate
 * only transiently.
 */
public final class Numbers {
    /** Redis's {@code LONG_STR_SIZE}: strings of this length or longer are never integers. */
    static final int LONG_STR_SIZE = 21;

    /** The error Redis replies for a malformed float argument or value. */
    public static final String NOT_A_FLOAT = "ERR value is not a valid float";

    private static final MathContext SEVENTEEN_DIGITS = new MathContext(17, RoundingMode.HALF_EVEN);

    private Numbers() {
    }

    // ---------------------------------------------------------------- integers

    /**
     * Parses a whole array as a 64-bit integer with {@code string2ll()} rules.
     *
     * @param b the text
     * @return the value
     * @throws NotIntegerException ({@code ERR value is not an integer or out of range}) if the text
     *                             is not a canonical in-range integer
     */
    public static long parseLong(byte[] b) {
        return parseLong(b, 0, b.length);
    }

    /**
     * Parses a slice as a 64-bit integer with {@code string2ll()} rules.
     *
     * @param b   the array
     * @param off index of the first byte
     * @param len number of bytes
     * @return the value
     * @throws NotIntegerException       if the text is not a canonical in-range integer
     * @throws IndexOutOfBoundsException if the slice is not inside {@code b}
     */
    public static long parseLong(byte[] b, int off, int len) {
        long v = parseLongOrDefault(b, off, len, Long.MIN_VALUE);
        if (v == Long.MIN_VALUE && !isLong(b, off, len)) {
            throw new NotIntegerException();
        }
        return v;
    }

    /**
     * Tells whether a whole array is an integer {@code string2ll()} accepts.
     *
     * @param b the text
     * @return whether {@link #parseLong(byte[])} would succeed
     */
    public static boolean isLong(byte[] b) {
        return isLong(b, 0, b.length);
    }

    /**
     * Tells whether a slice is an integer {@code string2ll()} accepts.
     *
     * @param b   the array
     * @param off index of the first byte
     * @param len number of bytes
     * @return whether {@link #parseLong(byte[], int, int)} would succeed
     * @throws IndexOutOfBoundsException if the slice is not inside {@code b}
     */
    public static boolean isLong(byte[] b, int off, int len) {
        long v = parseLongOrDefault(b, off, len, 0);
        return v != 0 || (len == 1 && b[off] == '0');
    }

    /**
     * Parses a whole array with {@code string2ll()} rules, without throwing.
     *
     * @param b            the text
     * @param defaultValue what to return when the text is not an integer
     * @return the value, or {@code defaultValue}
     * @see #parseLongOrDefault(byte[], int, int, long)
     */
    public static long parseLongOrDefault(byte[] b, long defaultValue) {
        return parseLongOrDefault(b, 0, b.length, defaultValue);
    }

    /**
     * Parses a slice with {@code string2ll()} rules, reporting failure through a caller-chosen
     * sentinel instead of an exception (no allocation at all).
     *
     * <p>Design: pick a sentinel that cannot be a legitimate value in the caller's context (for
     * example {@code -1} for a count that must be non-negative). When every {@code long} is
     * legitimate, a result equal to the sentinel is ambiguous: confirm it with
     * {@link #isLong(byte[], int, int)} (which costs a second scan only in that rare case, as
     * {@link #parseLong(byte[], int, int)} does).
     *
     * @param b            the array
     * @param off          index of the first byte
     * @param len          number of bytes
     * @param defaultValue the sentinel returned on failure
     * @return the value, or {@code defaultValue} when the slice is not a canonical in-range integer
     * @throws IndexOutOfBoundsException if the slice is not inside {@code b}
     */
    public static long parseLongOrDefault(byte[] b, int off, int len, long defaultValue) {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0 || len >= LONG_STR_SIZE) {
            return defaultValue;
        }
        int i = off;
        int end = off + len;
        if (len == 1 && b[i] == '0') {
            return 0;
        }
        boolean negative = false;
        if (b[i] == '-') {
            negative = true;
            i++;
            if (i == end) {
                return defaultValue;
            }
        }
        int c = b[i++];
        if (c < '1' || c > '9') {
            return defaultValue;
        }
        // Accumulate negatively: the negative range is the larger one.
        long limit = negative ? Long.MIN_VALUE : -Long.MAX_VALUE;
        long multmin = limit / 10;
        long acc = -(c - '0');
        while (i < end) {
            c = b[i++];
            if (c < '0' || c > '9' || acc < multmin) {
                return defaultValue;
            }
            acc *= 10;
            int digit = c - '0';
            if (acc < limit + digit) {
                return defaultValue;
            }
            acc -= digit;
        }
        return negative ? acc : -acc;
    }

    /**
     * Number of bytes {@link #formatLong(long)} produces.
     *
     * @param v the value
     * @return the length of its decimal representation, sign included (1..20)
     */
    public static int stringLength(long v) {
        if (v < 0) {
            return v == Long.MIN_VALUE ? 20 : 1 + digits(-v);
        }
        return digits(v);
    }

    private static int digits(long v) {
        int n = 1;
        long p = 10;
        while (n < 19 && v >= p) {
            n++;
            p *= 10;
        }
        return n;
    }

    /**
     * Formats a 64-bit integer in decimal, like {@code ll2string()}.
     *
     * @param v the value
     * @return its ASCII decimal representation
     */
    public static byte[] formatLong(long v) {
        byte[] out = new byte[stringLength(v)];
        formatLong(v, out, 0);
        return out;
    }

    /**
     * Formats a 64-bit integer in decimal into a caller-supplied buffer, without allocating.
     *
     * @param v   the value
     * @param dst the buffer; needs {@link #stringLength(long)} bytes from {@code off}
     * @param off where to write the first byte
     * @return the number of bytes written
     * @throws IndexOutOfBoundsException if the buffer is too small
     */
    public static int formatLong(long v, byte[] dst, int off) {
        int len = stringLength(v);
        Objects.checkFromIndexSize(off, len, dst.length);
        int pos = off + len;
        // Work on the negative magnitude so that Long.MIN_VALUE needs no special case.
        long n = v < 0 ? v : -v;
        do {
            long q = n / 10;
            dst[--pos] = (byte) ('0' + (int) (q * 10 - n));
            n = q;
        } while (n != 0);
        if (v < 0) {
            dst[--pos] = '-';
        }
        return len;
    }

    // ---------------------------------------------------------------- doubles

    /**
     * Parses a whole array as a double with {@code string2d()} rules.
     *
     * @param b the text
     * @return the value; never NaN
     * @throws RedJarException {@code ERR value is not a valid float} if Redis would reject it
     */
    public static double parseDouble(byte[] b) {
        return parseDouble(b, 0, b.length);
    }

    /**
     * Parses a slice as a double with {@code string2d()} rules.
     *
     * @param b   the array
     * @param off index of the first byte
     * @param len number of bytes
     * @return the value; never NaN
     * @throws RedJarException           {@code ERR value is not a valid float} if Redis would
     *                                   reject it
     * @throws IndexOutOfBoundsException if the slice is not inside {@code b}
     */
    public static double parseDouble(byte[] b, int off, int len) {
        double d = parseDoubleOrNaN(b, off, len);
        if (Double.isNaN(d)) {
            throw new RedJarException(NOT_A_FLOAT);
        }
        return d;
    }

    /**
     * Parses a slice as a double with {@code string2d()} rules, without throwing. Since Redis never
     * accepts a NaN, NaN is an unambiguous failure sentinel.
     *
     * @param b   the array
     * @param off index of the first byte
     * @param len number of bytes
     * @return the value, or {@link Double#NaN} when Redis would reject the text
     * @throws IndexOutOfBoundsException if the slice is not inside {@code b}
     */
    public static double parseDoubleOrNaN(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return Double.NaN;
        }
        switch (CFloat.scan(b, off, len)) {
            case CFloat.DECIMAL: {
                // Validated against C's grammar, which is a subset of Java's; Java's parser is
                // correctly rounded (ties to even) like glibc's, gradual underflow included.
                double d = Double.parseDouble(CFloat.ascii(b, off, len));
                if (Double.isInfinite(d)) {
                    return Double.NaN; // ERANGE, HUGE_VAL
                }
                if (d == 0 && CFloat.hasNonZeroSignificand(b, off, len, false)) {
                    return Double.NaN; // ERANGE, underflow to zero
                }
                return d;
            }
            case CFloat.HEX: {
                CFloat.Rounded r = CFloat.convert(b, off, len, true, CFloat.DOUBLE);
                if (r.isRangeError()) {
                    return Double.NaN;
                }
                double mag = r == CFloat.Rounded.EXACT_ZERO ? 0.0 : toDouble(r);
                return CFloat.isNegative(b, off, len) ? -mag : mag;
            }
            case CFloat.INFINITY:
                return CFloat.isNegative(b, off, len) ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            default:
                return Double.NaN;
        }
    }

    /**
     * Parses a slice the way Redis's {@code zslParseRange} uses C's {@code strtod}: leading
     * whitespace skipped, the rest consumed entirely, overflow and underflow accepted (errno is
     * not checked), and an empty slice read as 0 (strtod consumes nothing and stops at the NUL).
     *
     * @return the value, or NaN when the text is rejected (NaN itself included)
     */
    public static double parseStrtodOrNaN(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0.0;
        }
        int i = off;
        int end = off + len;
        while (i < end && (b[i] == ' ' || (b[i] >= '\t' && b[i] <= '\r'))) {
            i++;
        }
        if (i == end) {
            return Double.NaN;
        }
        double d = parseDoubleOrNaN(b, i, end - i);
        if (!Double.isNaN(d)) {
            return d;
        }
        if (CFloat.scan(b, i, end - i) == CFloat.DECIMAL) {
            return Double.parseDouble(CFloat.ascii(b, i, end - i));
        }
        return Double.NaN;
    }

    /** Builds the double {@code significand * 2^exponent}, known to be exactly representable. */
    static double toDouble(CFloat.Rounded r) {
        // The significand is below 2^53 and the product is representable, so both steps are exact.
        return Math.scalb((double) r.significand, r.exponent);
    }

    /**
     * Formats a double like C's {@code printf("%.17g", d)} in glibc, which is how Redis 7.0 replies
     * doubles ({@code addReplyDouble()}) in RESP2 and RESP3: the exact binary value rounded
     * half-even to 17 significant digits; {@code %e} style when the decimal exponent is below -4 or
     * at least 17 (exponent with a sign and at least two digits, e.g. {@code "1e+20"}), otherwise
     * {@code %f} style; trailing fractional zeros and a trailing point removed. Infinities are
     * {@code "inf"}/{@code "-inf"}, negative zero is {@code "-0"}, and a NaN is {@code "nan"} or,
     * when its sign bit is set, {@code "-nan"} (as glibc prints it).
     *
     * @param d the value
     * @return its {@code %.17g} text
     */
    public static String formatDouble17g(double d) {
        if (Double.isNaN(d)) {
            return Double.doubleToRawLongBits(d) < 0 ? "-nan" : "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0) {
            return Double.doubleToRawLongBits(d) < 0 ? "-0" : "0";
        }
        return formatG(new BigDecimal(d).round(SEVENTEEN_DIGITS), 17);
    }

    /** Renders a non-zero value, already rounded to {@code precision} digits, in {@code %g} style. */
    private static String formatG(BigDecimal v, int precision) {
        String digits = v.unscaledValue().abs().toString();
        int exp = digits.length() - 1 - v.scale();
        int n = digits.length();
        while (n > 1 && digits.charAt(n - 1) == '0') {
            n--;
        }
        digits = digits.substring(0, n);
        StringBuilder sb = new StringBuilder(32);
        if (v.signum() < 0) {
            sb.append('-');
        }
        if (exp < -4 || exp >= precision) {
            sb.append(digits.charAt(0));
            if (n > 1) {
                sb.append('.').append(digits, 1, n);
            }
            sb.append('e').append(exp < 0 ? '-' : '+');
            int ae = Math.abs(exp);
            if (ae < 10) {
                sb.append('0');
            }
            sb.append(ae);
        } else if (exp >= 0) {
            if (n <= exp + 1) {
                sb.append(digits);
                for (int i = n; i <= exp; i++) {
                    sb.append('0');
                }
            } else {
                sb.append(digits, 0, exp + 1).append('.').append(digits, exp + 1, n);
            }
        } else {
            sb.append("0.");
            for (int i = -1; i > exp; i--) {
                sb.append('0');
            }
            sb.append(digits);
        }
        return sb.toString();
    }

    /**
     * Formats a double the way Redis 7.0's {@code addReplyHumanLongDouble()} does (GEOPOS
     * coordinates, for instance): the value widened exactly to {@code long double}, printed with
     * {@code "%.17Lf"}, trailing zeros and a trailing point removed, {@code "-0"} turned into
     * {@code "0"}. See {@link LongDouble#toHumanString()}.
     *
     * @param d the value
     * @return e.g. {@code "13.36138933897018433"}, {@code "3"}, {@code "inf"}
     */
    public static String formatDoubleHuman(double d) {
        return new String(LongDouble.of(d).toHumanString(), StandardCharsets.ISO_8859_1);
    }

    /**
     * Formats a double like Redis 7.0's {@code d2string()}: {@code "nan"}, {@code "inf"},
     * {@code "-inf"}, {@code "0"} / {@code "-0"}, integral values within &plusmn;2<sup>62</sup>
     * ({@code double2ll()}'s window) as plain integers, anything else as {@code %.17g}. Redis 7.0
     * uses this only to serialize sorted-set scores (listpack entries, which then get integer
     * encoding when possible), not for replies.
     *
     * @param d the value
     * @return its {@code d2string()} text
     */
    public static String formatDoubleD2String(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d < 0 ? "-inf" : "inf";
        }
        if (d == 0) {
            return 1.0 / d < 0 ? "-0" : "0";
        }
        // double2ll(): (double)(LLONG_MAX/2) is 2^62 after rounding.
        if (d >= -0x1p62 && d <= 0x1p62) {
            long l = (long) d;
            if (l == d) {
                return Long.toString(l);
            }
        }
        return formatDouble17g(d);
    }
}
