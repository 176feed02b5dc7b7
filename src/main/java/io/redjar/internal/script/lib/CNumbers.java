package io.redjar.internal.script.lib;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * The C library's number conversions that Redis's Lua libraries rely on, reproduced in Java:
 * {@code printf("%.<p>g")} ({@link #formatG}), glibc's {@code strtod} ({@link #strtod}), Lua
 * 5.1's string-to-number rule ({@link #luaStr2d}) and x86-64's truncating double-to-integer
 * conversions ({@link #cvttsd2si64}, {@link #cvttsd2si32}), whose out-of-range result is the
 * "integer indefinite" value (the minimum value) rather than Java's saturation.
 *
 * <p>Design: {@code %.Pg} rounds the exact binary value of the double to P significant digits
 * (round-half-even, as glibc does on exact ties) with {@link BigDecimal}, then picks fixed or
 * exponent notation by C's rule (exponent X: fixed when {@code -4 <= X < P}) and strips trailing
 * zeros. {@code strtod} scans the longest prefix glibc would accept (decimal, hexadecimal with
 * optional binary exponent, {@code inf}/{@code infinity}, {@code nan}/{@code nan(...)}, all
 * case-insensitive) and converts it with the JDK's correctly rounded parser.
 *
 * <p>Thread-safety: stateless; thread-safe.
 */
final class CNumbers {
    private CNumbers() {
    }

    /** Result of {@link #strtod}: the value and the index just past the parsed prefix ({@code end == start} when nothing parsed). */
    record Parsed(double value, int end) {
    }

    /** {@code printf("%.<precision>g", v)} as glibc prints it ({@code inf}, {@code -inf}, {@code nan}, {@code -nan}, {@code -0}). */
    static String formatG(double v, int precision) {
        if (Double.isNaN(v)) {
            return (Double.doubleToRawLongBits(v) < 0) ? "-nan" : "nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        if (v == 0) {
            return (Double.doubleToRawLongBits(v) < 0) ? "-0" : "0";
        }
        int p = Math.max(precision, 1);
        BigDecimal bd = new BigDecimal(v).round(new MathContext(p, RoundingMode.HALF_EVEN));
        int exp = bd.precision() - bd.scale() - 1;
        if (exp < -4 || exp >= p) {
            String digits = bd.unscaledValue().abs().toString();
            int end = digits.length();
            while (end > 1 && digits.charAt(end - 1) == '0') {
                end--;
            }
            StringBuilder sb = new StringBuilder(24);
            if (bd.signum() < 0) {
                sb.append('-');
            }
            sb.append(digits.charAt(0));
            if (end > 1) {
                sb.append('.').append(digits, 1, end);
            }
            sb.append('e').append(exp < 0 ? '-' : '+');
            int ax = Math.abs(exp);
            if (ax < 10) {
                sb.append('0');
            }
            sb.append(ax);
            return sb.toString();
        }
        BigDecimal fixed = bd.setScale(Math.max(p - 1 - exp, 0), RoundingMode.UNNECESSARY);
        String s = fixed.toPlainString();
        if (s.indexOf('.') >= 0) {
            int end = s.length();
            while (s.charAt(end - 1) == '0') {
                end--;
            }
            if (s.charAt(end - 1) == '.') {
                end--;
            }
            s = s.substring(0, end);
        }
        return s;
    }

    /** Lua 5.1's {@code tostring} of a number: {@code "%.14g"}. */
    static String luaNumberToString(double v) {
        return formatG(v, 14);
    }

    private static int at(byte[] b, int i, int limit) {
        return i < limit ? (b[i] & 0xff) : 0;
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isHex(int c) {
        return isDigit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
    }

    private static boolean matchesIgnoreCase(byte[] b, int i, int limit, String word) {
        for (int k = 0; k < word.length(); k++) {
            if ((at(b, i + k, limit) | 0x20) != word.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /**
     * glibc's {@code strtod} on {@code b[start..limit)} (a zero byte, or {@code limit}, ends the
     * string as in C). Leading white space is skipped as C does.
     */
    static Parsed strtod(byte[] b, int start, int limit) {
        int i = start;
        while (true) {
            int c = at(b, i, limit);
            if (c == ' ' || (c >= '\t' && c <= '\r')) {
                i++;
            } else {
                break;
            }
        }
        boolean negative = false;
        int c = at(b, i, limit);
        if (c == '+' || c == '-') {
            negative = c == '-';
            i++;
        }
        c = at(b, i, limit);
        if ((c | 0x20) == 'i' && matchesIgnoreCase(b, i, limit, "inf")) {
            int end = matchesIgnoreCase(b, i, limit, "infinity") ? i + 8 : i + 3;
            return new Parsed(negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY, end);
        }
        if ((c | 0x20) == 'n' && matchesIgnoreCase(b, i, limit, "nan")) {
            int end = i + 3;
            if (at(b, end, limit) == '(') {
                int k = end + 1;
                while (true) {
                    int d = at(b, k, limit);
                    if (isDigit(d) || ((d | 0x20) >= 'a' && (d | 0x20) <= 'z') || d == '_') {
                        k++;
                    } else {
                        break;
                    }
                }
                if (at(b, k, limit) == ')') {
                    end = k + 1;
                }
            }
            return new Parsed(negative ? -Double.NaN : Double.NaN, end);
        }
        if (c == '0' && (at(b, i + 1, limit) | 0x20) == 'x') {
            Parsed hex = hex(b, i + 2, limit, negative);
            if (hex != null) {
                return hex;
            }
            return new Parsed(negative ? -0.0 : 0.0, i + 1);
        }
        int digitsStart = i;
        int mantissaDigits = 0;
        while (isDigit(at(b, i, limit))) {
            i++;
            mantissaDigits++;
        }
        if (at(b, i, limit) == '.') {
            i++;
            while (isDigit(at(b, i, limit))) {
                i++;
                mantissaDigits++;
            }
        }
        if (mantissaDigits == 0) {
            return new Parsed(0, start);
        }
        int mantissaEnd = i;
        int e = at(b, i, limit);
        if ((e | 0x20) == 'e') {
            int k = i + 1;
            int s = at(b, k, limit);
            if (s == '+' || s == '-') {
                k++;
            }
            if (isDigit(at(b, k, limit))) {
                while (isDigit(at(b, k, limit))) {
                    k++;
                }
                i = k;
            }
        }
        String text = new String(b, digitsStart, i - digitsStart, java.nio.charset.StandardCharsets.ISO_8859_1);
        if (text.startsWith(".")) {
            text = "0" + text;
        }
        double v;
        try {
            v = Double.parseDouble(text);
        } catch (NumberFormatException ex) {
            // exponent too long for the JDK: decide by the mantissa and the exponent's sign
            String mant = new String(b, digitsStart, mantissaEnd - digitsStart, java.nio.charset.StandardCharsets.ISO_8859_1);
            boolean zero = mant.replace(".", "").chars().allMatch(ch -> ch == '0');
            boolean negExp = text.indexOf('-', mantissaEnd - digitsStart) >= 0;
            v = zero || negExp ? 0.0 : Double.POSITIVE_INFINITY;
        }
        return new Parsed(negative ? -v : v, i);
    }

    private static Parsed hex(byte[] b, int i, int limit, boolean negative) {
        StringBuilder mant = new StringBuilder("0x");
        int digits = 0;
        while (isHex(at(b, i, limit))) {
            mant.append((char) at(b, i, limit));
            i++;
            digits++;
        }
        if (at(b, i, limit) == '.') {
            int k = i + 1;
            StringBuilder frac = new StringBuilder(".");
            int fd = 0;
            while (isHex(at(b, k, limit))) {
                frac.append((char) at(b, k, limit));
                k++;
                fd++;
            }
            if (digits + fd > 0) {
                mant.append(frac);
                digits += fd;
                i = k;
            }
        }
        if (digits == 0) {
            return null;
        }
        long exp = 0;
        if ((at(b, i, limit) | 0x20) == 'p') {
            int k = i + 1;
            int s = at(b, k, limit);
            boolean neg = false;
            if (s == '+' || s == '-') {
                neg = s == '-';
                k++;
            }
            if (isDigit(at(b, k, limit))) {
                while (isDigit(at(b, k, limit))) {
                    exp = Math.min(exp * 10 + (at(b, k, limit) - '0'), 100_000L);
                    k++;
                }
                if (neg) {
                    exp = -exp;
                }
                i = k;
            }
        }
        String text = mant + "p" + exp;
        if (text.startsWith("0x.")) {
            text = "0x0." + text.substring(3);
        }
        double v = Double.parseDouble(text);
        return new Parsed(negative ? -v : v, i);
    }

    /**
     * Lua 5.1's {@code luaO_str2d} (used by {@code tonumber}, {@code lua_tonumber} and
     * arithmetic on strings): {@code strtod}, then, if it stopped at an {@code x}, a hexadecimal
     * integer; trailing white space allowed; anything else left over fails.
     *
     * @return the number, or null if the string does not convert
     */
    static Double luaStr2d(byte[] b, int off, int len) {
        int limit = off + len;
        Parsed p = strtod(b, off, limit);
        if (p.end() == off) {
            return null;
        }
        int i = p.end();
        while (true) {
            int c = at(b, i, limit);
            if (c == ' ' || (c >= '\t' && c <= '\r')) {
                i++;
            } else {
                break;
            }
        }
        if (at(b, i, limit) != 0) {
            return null;
        }
        return p.value();
    }

    /** x86-64 {@code cvttsd2si} to 64 bits: truncation; NaN and out-of-range give {@link Long#MIN_VALUE}. */
    static long cvttsd2si64(double d) {
        if (Double.isNaN(d) || d >= 0x1p63 || d < -0x1p63) {
            return Long.MIN_VALUE;
        }
        return (long) d;
    }

    /** x86-64 {@code cvttsd2si} to 32 bits: truncation; NaN and out-of-range give {@link Integer#MIN_VALUE}. */
    static int cvttsd2si32(double d) {
        if (Double.isNaN(d) || d >= 0x1p31 || d <= -0x1p31 - 1) {
            return Integer.MIN_VALUE;
        }
        return (int) d;
    }

    /** gcc's x86-64 double to {@code unsigned long} conversion (values from 2^63 up go through a subtract-and-flip). */
    static long toUnsigned64(double d) {
        if (d >= 0x1p63) {
            return cvttsd2si64(d - 0x1p63) ^ Long.MIN_VALUE;
        }
        return cvttsd2si64(d);
    }
}
