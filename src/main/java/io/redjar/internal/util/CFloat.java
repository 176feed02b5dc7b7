package io.redjar.internal.util;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * Package-private engine behind {@link Numbers} and {@link LongDouble}: glibc {@code strtod} /
 * {@code strtold} syntax (in the "C" locale) and exact, correctly rounded conversion of decimal or
 * hexadecimal significands to a binary floating-point format (IEEE double or x87 80-bit extended).
 *
 * <p>Thread-safety: stateless; every method is a pure function.
 */
final class CFloat {
    /** Scan result: the text is not (entirely) something strtod would consume. */
    static final int INVALID = 0;
    /** Scan result: a decimal floating-point number. */
    static final int DECIMAL = 1;
    /** Scan result: a C99 hexadecimal floating-point number ({@code 0x...}). */
    static final int HEX = 2;
    /** Scan result: {@code inf} or {@code infinity}, any case. */
    static final int INFINITY = 3;
    /** Scan result: {@code nan} or {@code nan(...)}, any case. */
    static final int NAN = 4;

    /** A binary floating-point format: precision and exponent range. */
    static final class Format {
        /** Significand bits, including the leading one. */
        final int precision;
        /** Exponent of the least significant bit of the smallest subnormal. */
        final int minLsb;
        /** Values at or above {@code 2^maxExp} overflow. */
        final int maxExp;

        Format(int precision, int minLsb, int maxExp) {
            this.precision = precision;
            this.minLsb = minLsb;
            this.maxExp = maxExp;
        }
    }

    /** IEEE 754 binary64 ({@code double}). */
    static final Format DOUBLE = new Format(53, -1074, 1024);
    /** x87 80-bit extended precision ({@code long double} on x86-64 Linux). */
    static final Format X87 = new Format(64, -16445, 16384);

    /** Outcome of {@link #round}: a correctly rounded magnitude. */
    static final class Rounded {
        /** The significand had no non-zero digit: an exact zero (strtod leaves errno alone). */
        static final Rounded EXACT_ZERO = new Rounded(0, 0, false);
        /** A non-zero value rounded to zero (strtod sets ERANGE). */
        static final Rounded UNDERFLOW = new Rounded(0, 0, false);
        /** The value rounded to infinity (strtod returns HUGE_VAL and sets ERANGE). */
        static final Rounded OVERFLOW = new Rounded(0, 0, true);

        /** The significand, unsigned, below {@code 2^precision}; 0 for zero or overflow. */
        final long significand;
        /** The exponent of the significand's least significant bit. */
        final int exponent;
        /** Whether the value overflowed (to infinity). */
        final boolean overflow;

        Rounded(long significand, int exponent, boolean overflow) {
            this.significand = significand;
            this.exponent = exponent;
            this.overflow = overflow;
        }

        /** Whether strtod would set {@code errno = ERANGE} with a zero or infinite result. */
        boolean isRangeError() {
            return this == UNDERFLOW || this == OVERFLOW;
        }
    }

    private CFloat() {
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isHexDigit(int c) {
        return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static boolean regionEqualsIgnoreCase(byte[] b, int i, int end, String word) {
        if (end - i != word.length()) {
            return false;
        }
        for (int k = 0; k < word.length(); k++) {
            int c = b[i + k];
            if (c >= 'A' && c <= 'Z') {
                c += 'a' - 'A';
            }
            if (c != word.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Classifies a slice by glibc strtod's grammar, requiring the <em>whole</em> slice to be
     * consumed (leading whitespace is never accepted). Allocation-free.
     *
     * @return {@link #INVALID}, {@link #DECIMAL}, {@link #HEX}, {@link #INFINITY} or {@link #NAN}
     */
    static int scan(byte[] b, int off, int len) {
        int i = off;
        int end = off + len;
        if (i < end && (b[i] == '+' || b[i] == '-')) {
            i++;
        }
        if (i == end) {
            return INVALID;
        }
        int c = b[i];
        if (c == 'i' || c == 'I') {
            return regionEqualsIgnoreCase(b, i, end, "inf") || regionEqualsIgnoreCase(b, i, end, "infinity")
                    ? INFINITY : INVALID;
        }
        if (c == 'n' || c == 'N') {
            if (end - i < 3 || !regionEqualsIgnoreCase(b, i, i + 3, "nan")) {
                return INVALID;
            }
            if (end - i == 3) {
                return NAN;
            }
            // nan(n-char-sequence)
            if (b[i + 3] != '(' || b[end - 1] != ')') {
                return INVALID;
            }
            for (int k = i + 4; k < end - 1; k++) {
                int x = b[k];
                if (!(isDigit(x) || (x >= 'a' && x <= 'z') || (x >= 'A' && x <= 'Z') || x == '_')) {
                    return INVALID;
                }
            }
            return NAN;
        }
        if (c == '0' && end - i >= 2 && (b[i + 1] == 'x' || b[i + 1] == 'X')) {
            int j = i + 2;
            int digits = 0;
            while (j < end && isHexDigit(b[j])) {
                j++;
                digits++;
            }
            if (j < end && b[j] == '.') {
                j++;
                while (j < end && isHexDigit(b[j])) {
                    j++;
                    digits++;
                }
            }
            if (digits == 0) {
                return INVALID; // strtod would consume only the "0"
            }
            if (j < end && (b[j] == 'p' || b[j] == 'P')) {
                j = exponent(b, j + 1, end);
            }
            return j == end ? HEX : INVALID;
        }
        int j = i;
        int digits = 0;
        while (j < end && isDigit(b[j])) {
            j++;
            digits++;
        }
        if (j < end && b[j] == '.') {
            j++;
            while (j < end && isDigit(b[j])) {
                j++;
                digits++;
            }
        }
        if (digits == 0) {
            return INVALID;
        }
        if (j < end && (b[j] == 'e' || b[j] == 'E')) {
            j = exponent(b, j + 1, end);
        }
        return j == end ? DECIMAL : INVALID;
    }

    /** Scans {@code [+-]?digits+} from {@code i}; returns the index after it, or -1 when malformed. */
    private static int exponent(byte[] b, int i, int end) {
        if (i < end && (b[i] == '+' || b[i] == '-')) {
            i++;
        }
        int start = i;
        while (i < end && isDigit(b[i])) {
            i++;
        }
        return i == start ? -1 : i;
    }

    /** Whether the significand of a DECIMAL or HEX slice has a non-zero digit. */
    static boolean hasNonZeroSignificand(byte[] b, int off, int len, boolean hex) {
        int i = off;
        int end = off + len;
        if (b[i] == '+' || b[i] == '-') {
            i++;
        }
        if (hex) {
            i += 2;
        }
        for (; i < end; i++) {
            int c = b[i];
            if (hex ? (c == 'p' || c == 'P') : (c == 'e' || c == 'E')) {
                break;
            }
            if (c != '0' && c != '.') {
                return true;
            }
        }
        return false;
    }

    /**
     * Converts a slice already classified as {@link #DECIMAL} or {@link #HEX} to a magnitude in the
     * given format, rounding to nearest, ties to even, as glibc's strtod/strtold do. The sign is
     * not handled here (see {@link #isNegative}).
     */
    static Rounded convert(byte[] b, int off, int len, boolean hex, Format f) {
        int i = off;
        int end = off + len;
        if (b[i] == '+' || b[i] == '-') {
            i++;
        }
        if (hex) {
            i += 2;
        }
        StringBuilder digits = new StringBuilder(Math.min(len, 64));
        long fractionDigits = 0;
        boolean inFraction = false;
        for (; i < end; i++) {
            int c = b[i];
            if (c == '.') {
                inFraction = true;
                continue;
            }
            if (hex ? (c == 'p' || c == 'P') : (c == 'e' || c == 'E')) {
                break;
            }
            if (digits.length() == 0 && c == '0') {
                if (inFraction) {
                    fractionDigits++;
                }
                continue; // leading zero
            }
            digits.append((char) c);
            if (inFraction) {
                fractionDigits++;
            }
        }
        long exp = 0;
        if (i < end) {
            i++;
            boolean neg = false;
            if (b[i] == '+' || b[i] == '-') {
                neg = b[i] == '-';
                i++;
            }
            for (; i < end; i++) {
                if (exp < 1_000_000_000_000L) {
                    exp = exp * 10 + (b[i] - '0');
                }
            }
            if (neg) {
                exp = -exp;
            }
        }
        if (digits.length() == 0) {
            return Rounded.EXACT_ZERO;
        }
        BigInteger mant = new BigInteger(digits.toString(), hex ? 16 : 10);
        if (hex) {
            long e2 = exp - 4 * fractionDigits;
            return roundBinary(mant, e2, f);
        }
        long e10 = exp - fractionDigits;
        // Leading decimal digit's exponent; reject far-out magnitudes before doing big arithmetic.
        long lead = digits.length() - 1 + e10;
        double log10of2 = 0.30102999566398120;
        if (lead > (long) Math.ceil(f.maxExp * log10of2) + 1) {
            return Rounded.OVERFLOW;
        }
        if (lead + 1 < (long) Math.floor((f.minLsb - 1) * log10of2) - 1) {
            return Rounded.UNDERFLOW;
        }
        if (e10 >= 0) {
            return round(mant.multiply(BigInteger.TEN.pow((int) e10)), BigInteger.ONE, 0, f);
        }
        // m * 10^-k = m / (5^k * 2^k)
        int k = (int) -e10;
        return round(mant, BigInteger.valueOf(5).pow(k), -(long) k, f);
    }

    /** Whether the slice starts with a minus sign. */
    static boolean isNegative(byte[] b, int off, int len) {
        return len > 0 && b[off] == '-';
    }

    /** Rounds {@code mant * 2^e2} ({@code mant > 0}) to the format. */
    static Rounded roundBinary(BigInteger mant, long e2, Format f) {
        long msb = mant.bitLength() - 1 + e2;
        if (msb >= f.maxExp) {
            return Rounded.OVERFLOW;
        }
        if (msb + 1 <= f.minLsb - 1) {
            return Rounded.UNDERFLOW;
        }
        return round(mant, BigInteger.ONE, e2, f);
    }

    /**
     * Rounds the exact positive value {@code num / den * 2^e2} to the nearest value of the format,
     * ties to even, with gradual underflow and overflow to infinity.
     */
    static Rounded round(BigInteger num, BigInteger den, long e2, Format f) {
        // floor(log2(num/den)) is bitLength(num)-bitLength(den) or one less.
        long hi = (long) num.bitLength() - den.bitLength() + e2;
        if (hi - 1 >= f.maxExp) {
            return Rounded.OVERFLOW;
        }
        if (hi + 1 <= f.minLsb - 1) {
            return Rounded.UNDERFLOW;
        }
        long lsb = Math.max(hi - (f.precision - 1), f.minLsb);
        while (true) {
            long shift = e2 - lsb;
            BigInteger n = num;
            BigInteger d = den;
            if (shift >= 0) {
                n = n.shiftLeft(Math.toIntExact(shift));
            } else {
                d = d.shiftLeft(Math.toIntExact(-shift));
            }
            BigInteger[] qr = n.divideAndRemainder(d);
            BigInteger q = qr[0];
            if (q.bitLength() < f.precision && lsb > f.minLsb) {
                lsb--;
                continue;
            }
            int cmp = qr[1].shiftLeft(1).compareTo(d);
            if (cmp > 0 || (cmp == 0 && q.testBit(0))) {
                q = q.add(BigInteger.ONE);
                if (q.bitLength() > f.precision) {
                    q = q.shiftRight(1);
                    lsb++;
                }
            }
            if (q.signum() == 0) {
                return Rounded.UNDERFLOW;
            }
            if (q.bitLength() - 1 + lsb >= f.maxExp) {
                return Rounded.OVERFLOW;
            }
            return new Rounded(q.longValue(), (int) lsb, false);
        }
    }

    /** The ASCII text of a slice, for handing to {@link Double#parseDouble}. */
    static String ascii(byte[] b, int off, int len) {
        return new String(b, off, len, StandardCharsets.ISO_8859_1);
    }
}
