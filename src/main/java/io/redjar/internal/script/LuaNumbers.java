package io.redjar.internal.script;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * C's {@code %.Ng} for Lua numbers: Lua 5.1's {@code tostring} uses {@code "%.14g"}
 * ({@code LUAI_NUMFFORMAT}), Redis's {@code redis.call} argument conversion {@code "%.17g"}. LuaJ
 * prints integral doubles as integers ({@code 2^53} as {@code 9007199254740992}) where Redis's Lua
 * prints {@code 9.007199254741e+15}.
 *
 * <p><b>Thread-safety:</b> stateless.
 */
final class LuaNumbers {
    private LuaNumbers() {
    }

    /** 10^0 .. 10^18, exact as doubles up to 10^22. */
    private static final double[] POW10 = new double[19];

    static {
        double p = 1;
        for (int i = 0; i < POW10.length; i++) {
            POW10[i] = p;
            p *= 10;
        }
    }

    /** @return {@code d} formatted as C's {@code printf("%.<precision>g", d)} on Linux */
    static String g(double d, int precision) {
        if (Double.isNaN(d)) {
            // glibc prints the sign bit: 0/0 on x86 is a negative NaN
            return (Double.doubleToRawLongBits(d) < 0 ? "-" : "") + "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0) {
            return (Double.doubleToRawLongBits(d) < 0) ? "-0" : "0";
        }
        // fast path: an integer with at most `precision` digits prints as itself (no exponent,
        // no rounding); the common case for redis.call arguments and tostring
        if (d == Math.rint(d) && Math.abs(d) < POW10[precision]) {
            return Long.toString((long) d);
        }
        BigDecimal bd = new BigDecimal(d).round(new MathContext(precision, RoundingMode.HALF_EVEN));
        int exp = bd.precision() - bd.scale() - 1; // decimal exponent of the rounded value
        if (exp < -4 || exp >= precision) {
            BigDecimal mant = bd.movePointLeft(exp);
            String m = stripZeros(mant.toPlainString());
            String e = Integer.toString(Math.abs(exp));
            return m + "e" + (exp < 0 ? "-" : "+") + (e.length() < 2 ? "0" + e : e);
        }
        return stripZeros(bd.toPlainString());
    }

    private static String stripZeros(String s) {
        if (s.indexOf('.') < 0) {
            return s;
        }
        int end = s.length();
        while (s.charAt(end - 1) == '0') {
            end--;
        }
        if (s.charAt(end - 1) == '.') {
            end--;
        }
        return s.substring(0, end);
    }

    /** @return Lua 5.1's {@code tostring} of a number */
    static String tostring(double d) {
        return g(d, 14);
    }
}
