package io.redjar.resp;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * C's {@code printf("%.17g")} for doubles, the one place the RESP module formats a double.
 *
 * <p>Stop-gap: the core is getting {@code io.redjar.internal.util.Numbers.formatDouble17g}; once it
 * lands, {@link #format17g(double)} should delegate to it and this class can go.
 */
final class DoubleFormat {
    private static final MathContext P17 = new MathContext(17, RoundingMode.HALF_EVEN);

    private DoubleFormat() {
    }

    /** @return {@code d} as glibc prints it with {@code %.17g} ({@code inf}, {@code -inf}, {@code nan}). */
    static String format17g(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0" : "0";
        }
        BigDecimal r = new BigDecimal(d).round(P17); // exact binary value, rounded like glibc
        String digits = r.unscaledValue().abs().toString();
        // normalise to exactly 17 significant digits
        int exp = digits.length() - 1 - r.scale(); // decimal exponent of the first digit
        StringBuilder sig = new StringBuilder(digits);
        while (sig.length() < 17) {
            sig.append('0');
        }
        sig.setLength(17);
        StringBuilder out = new StringBuilder(32);
        if (d < 0) {
            out.append('-');
        }
        if (exp < -4 || exp >= 17) {
            out.append(sig.charAt(0));
            String frac = stripZeros(sig.substring(1));
            if (!frac.isEmpty()) {
                out.append('.').append(frac);
            }
            out.append('e').append(exp < 0 ? '-' : '+');
            int ae = Math.abs(exp);
            if (ae < 10) {
                out.append('0');
            }
            out.append(ae);
        } else if (exp >= 0) {
            String intPart = sig.substring(0, exp + 1);
            String frac = stripZeros(sig.substring(exp + 1));
            out.append(intPart);
            if (!frac.isEmpty()) {
                out.append('.').append(frac);
            }
        } else {
            out.append("0.");
            out.append("0".repeat(-exp - 1));
            out.append(stripZeros(sig.toString()));
        }
        return out.toString();
    }

    private static String stripZeros(String s) {
        int e = s.length();
        while (e > 0 && s.charAt(e - 1) == '0') {
            e--;
        }
        return s.substring(0, e);
    }
}
