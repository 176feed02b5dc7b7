package io.redjar.internal.script;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * {@code string.format} as Redis's Lua 5.1 has it ({@code lstrlib.c}'s {@code str_format} over C's
 * {@code sprintf} on Linux x86-64), replacing LuaJ's, which ignores precision and width for
 * {@code %f} ({@code %.3f} of 1/3 gave all the digits), formats {@code %d} in 32 bits
 * ({@code 2^52} gave 0) and prints numbers for {@code %s} its own way.
 *
 * <p>Conversions: {@code %d %i} (a {@code long} cast, as x86-64's {@code cvttsd2si}), {@code %o %u
 * %x %X} (an {@code unsigned long} cast), {@code %c}, {@code %e %E %f %g %G} (the exact binary
 * value rounded half-even, as glibc), {@code %q}, {@code %s}, {@code %%}; flags {@code -+ #0}, a
 * width and a precision of at most two digits each. Errors are Lua 5.1's texts.
 *
 * <p><b>Thread-safety:</b> stateless.
 */
final class LuaFormat {
    private static final String FLAGS = "-+ #0";

    private LuaFormat() {
    }

    /** {@code string.format(fmt, ...)}. */
    static LuaValue format(Varargs args) {
        LuaString fmt = args.checkstring(1);
        int n = fmt.length();
        ByteArrayOutputStream out = new ByteArrayOutputStream(n + 16);
        int arg = 1;
        for (int i = 0; i < n; ) {
            int c = fmt.luaByte(i++);
            if (c != '%') {
                out.write(c);
                continue;
            }
            if (i < n && fmt.luaByte(i) == '%') {
                out.write('%');
                i++;
                continue;
            }
            // a conversion spec: its argument must exist (checked first, as Lua 5.1 does), then
            // flags, width, precision, conversion
            if (++arg > args.narg()) {
                throw new LuaError("bad argument #" + arg + " to 'format' (no value)");
            }
            int start = i;
            while (i < n && FLAGS.indexOf(fmt.luaByte(i)) >= 0) {
                i++;
            }
            if (i - start > FLAGS.length()) {
                throw new LuaError("invalid format (repeated flags)");
            }
            String flags = fmt.substring(start, i).tojstring();
            int widthStart = i;
            while (i < n && isDigit(fmt.luaByte(i))) {
                i++;
            }
            if (i - widthStart > 2) {
                throw new LuaError("invalid format (width or precision too long)");
            }
            int width = i > widthStart ? Integer.parseInt(fmt.substring(widthStart, i).tojstring()) : 0;
            int precision = -1;
            if (i < n && fmt.luaByte(i) == '.') {
                i++;
                int precStart = i;
                while (i < n && isDigit(fmt.luaByte(i))) {
                    i++;
                }
                if (i - precStart > 2) {
                    throw new LuaError("invalid format (width or precision too long)");
                }
                precision = i > precStart ? Integer.parseInt(fmt.substring(precStart, i).tojstring()) : 0;
            }
            if (i < n && isDigit(fmt.luaByte(i))) {
                throw new LuaError("invalid format (width or precision too long)");
            }
            int conv = i < n ? fmt.luaByte(i++) : 0;
            Spec spec = new Spec(flags, width, precision);
            switch (conv) {
                case 'c' -> spec.pad(out, new byte[] {(byte) (int) number(args, arg)}, false);
                case 'd', 'i' -> spec.integer(out, BigInteger.valueOf(toLong(number(args, arg))), 10, false, false);
                case 'u' -> spec.integer(out, unsigned(toUnsignedBits(number(args, arg))), 10, false, true);
                case 'o' -> spec.integer(out, unsigned(toUnsignedBits(number(args, arg))), 8, false, true);
                case 'x' -> spec.integer(out, unsigned(toUnsignedBits(number(args, arg))), 16, false, true);
                case 'X' -> spec.integer(out, unsigned(toUnsignedBits(number(args, arg))), 16, true, true);
                case 'e', 'E', 'f', 'g', 'G' -> spec.floating(out, number(args, arg), conv);
                case 'q' -> quoted(out, args.checkstring(arg));
                case 's' -> {
                    LuaString s = toLuaString(args, arg);
                    if (precision < 0 && s.length() >= 100) {
                        // Lua 5.1 adds a long string whole, without formatting it
                        out.write(s.m_bytes, s.m_offset, s.m_length);
                    } else {
                        byte[] b = new byte[s.length()];
                        s.copyInto(0, b, 0, b.length);
                        if (precision >= 0 && precision < b.length) {
                            b = java.util.Arrays.copyOf(b, precision);
                        }
                        spec.pad(out, b, false);
                    }
                }
                default -> throw new LuaError("invalid option '%" + (conv == 0 ? "" : String.valueOf((char) conv))
                    + "' to 'format'");
            }
        }
        return LuaString.valueUsing(out.toByteArray());
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    /** {@code luaL_checknumber}: a number or a string convertible to one. */
    private static double number(Varargs args, int i) {
        LuaValue v = args.arg(i);
        if (v.isnil() && i > args.narg()) {
            throw new LuaError("bad argument #" + i + " to 'format' (number expected, got no value)");
        }
        LuaValue num = v.tonumber();
        if (num.isnil()) {
            throw new LuaError("bad argument #" + i + " to 'format' (number expected, got " + v.typename() + ")");
        }
        return num.todouble();
    }

    /** {@code luaL_checklstring}: a string, or a number as Lua 5.1 prints it. */
    private static LuaString toLuaString(Varargs args, int i) {
        LuaValue v = args.arg(i);
        if (v.type() == LuaValue.TNUMBER) {
            return LuaValue.valueOf(LuaNumbers.tostring(v.todouble()));
        }
        if (v.type() == LuaValue.TSTRING) {
            return v.checkstring();
        }
        throw new LuaError("bad argument #" + i + " to 'format' (string expected, got "
            + (i > args.narg() ? "no value" : v.typename()) + ")");
    }

    /** x86-64's {@code cvttsd2si} (a C cast of a double to long): out of range or NaN gives Long.MIN_VALUE. */
    static long toLong(double d) {
        if (Double.isNaN(d) || d >= 0x1p63 || d < -0x1p63) {
            return Long.MIN_VALUE;
        }
        return (long) d;
    }

    /** A C cast of a double to unsigned long as gcc compiles it on x86-64. */
    private static long toUnsignedBits(double d) {
        if (d >= 0x1p63 && d < 0x1p64) {
            return (long) (d - 0x1p63) ^ Long.MIN_VALUE;
        }
        return toLong(d);
    }

    private static BigInteger unsigned(long bits) {
        BigInteger b = BigInteger.valueOf(bits);
        return bits < 0 ? b.add(BigInteger.ONE.shiftLeft(64)) : b;
    }

    /** {@code %q}: Lua 5.1's {@code addquoted}. */
    private static void quoted(ByteArrayOutputStream out, LuaString s) {
        out.write('"');
        for (int i = 0; i < s.length(); i++) {
            int c = s.luaByte(i);
            switch (c) {
                case '"', '\\' -> {
                    out.write('\\');
                    out.write(c);
                }
                case '\n' -> {
                    out.write('\\');
                    out.write('\n');
                }
                case '\r' -> out.write("\\r".getBytes(), 0, 2);
                case 0 -> out.write("\\000".getBytes(), 0, 4);
                default -> out.write(c);
            }
        }
        out.write('"');
    }

    /** One conversion's flags, width and precision, and C's printf rules for them. */
    private record Spec(String flags, int width, int precision) {
        boolean left() {
            return flags.indexOf('-') >= 0;
        }

        boolean zero() {
            return flags.indexOf('0') >= 0 && !left();
        }

        boolean plus() {
            return flags.indexOf('+') >= 0;
        }

        boolean space() {
            return flags.indexOf(' ') >= 0;
        }

        boolean alt() {
            return flags.indexOf('#') >= 0;
        }

        /** Pads {@code body} to the width with spaces (left or right). */
        void pad(ByteArrayOutputStream out, byte[] body, boolean unused) {
            int fill = Math.max(0, width - body.length);
            if (!left()) {
                for (int i = 0; i < fill; i++) {
                    out.write(' ');
                }
            }
            out.write(body, 0, body.length);
            if (left()) {
                for (int i = 0; i < fill; i++) {
                    out.write(' ');
                }
            }
        }

        /** Writes sign + prefix + digits with C's width rules (zero padding goes after the sign). */
        void number(ByteArrayOutputStream out, String sign, String prefix, String digits, boolean zeroAllowed) {
            int len = sign.length() + prefix.length() + digits.length();
            int fill = Math.max(0, width - len);
            StringBuilder sb = new StringBuilder(len + fill);
            if (left()) {
                sb.append(sign).append(prefix).append(digits).append(" ".repeat(fill));
            } else if (zero() && zeroAllowed) {
                sb.append(sign).append(prefix).append("0".repeat(fill)).append(digits);
            } else {
                sb.append(" ".repeat(fill)).append(sign).append(prefix).append(digits);
            }
            byte[] b = sb.toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            out.write(b, 0, b.length);
        }

        void integer(ByteArrayOutputStream out, BigInteger v, int radix, boolean upper, boolean unsignedConv) {
            String sign = v.signum() < 0 ? "-" : unsignedConv ? "" : plus() ? "+" : space() ? " " : "";
            String digits = v.abs().toString(radix);
            if (upper) {
                digits = digits.toUpperCase(java.util.Locale.ROOT);
            }
            if (precision == 0 && v.signum() == 0) {
                digits = "";
            }
            if (precision > digits.length()) {
                digits = "0".repeat(precision - digits.length()) + digits;
            }
            String prefix = "";
            if (alt() && v.signum() != 0) {
                if (radix == 16) {
                    prefix = upper ? "0X" : "0x";
                } else if (radix == 8 && !digits.startsWith("0")) {
                    prefix = "0";
                }
            }
            // C: the 0 flag is ignored when a precision is given for an integer conversion
            number(out, sign, prefix, digits, precision < 0);
        }

        void floating(ByteArrayOutputStream out, double d, int conv) {
            boolean upper = conv == 'E' || conv == 'G';
            // a NaN prints as -nan: x86's arithmetic makes the "default NaN", whose sign bit is set
            boolean negative = d < 0 || (d == 0 && Double.doubleToRawLongBits(d) < 0) || Double.isNaN(d);
            String sign = negative ? "-" : plus() ? "+" : space() ? " " : "";
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                String s = Double.isNaN(d) ? "nan" : "inf";
                number(out, sign, "", upper ? s.toUpperCase(java.util.Locale.ROOT) : s, false);
                return;
            }
            BigDecimal exact = new BigDecimal(Math.abs(d));
            int p = precision < 0 ? 6 : precision;
            String body = switch (conv) {
                case 'f' -> fixed(exact, p, alt());
                case 'e', 'E' -> scientific(exact, p, alt(), upper);
                default -> general(exact, p == 0 ? 1 : p, alt(), upper);
            };
            number(out, sign, "", body, true);
        }

        private static String fixed(BigDecimal v, int p, boolean alt) {
            String s = v.setScale(p, RoundingMode.HALF_EVEN).toPlainString();
            return p == 0 && alt ? s + "." : s;
        }

        private static String scientific(BigDecimal v, int p, boolean alt, boolean upper) {
            int exp;
            String mantissa;
            if (v.signum() == 0) {
                exp = 0;
                mantissa = p == 0 ? "0" : "0." + "0".repeat(p);
            } else {
                BigDecimal r = v.round(new MathContext(p + 1, RoundingMode.HALF_EVEN));
                exp = r.precision() - r.scale() - 1;
                mantissa = r.movePointLeft(exp).setScale(p, RoundingMode.UNNECESSARY).toPlainString();
            }
            if (p == 0 && alt) {
                mantissa = mantissa + ".";
            }
            String e = Integer.toString(Math.abs(exp));
            return mantissa + (upper ? "E" : "e") + (exp < 0 ? "-" : "+") + (e.length() < 2 ? "0" + e : e);
        }

        private static String general(BigDecimal v, int p, boolean alt, boolean upper) {
            int exp;
            if (v.signum() == 0) {
                exp = 0;
            } else {
                BigDecimal r = v.round(new MathContext(p, RoundingMode.HALF_EVEN));
                exp = r.precision() - r.scale() - 1;
            }
            String s;
            if (exp < -4 || exp >= p) {
                s = scientific(v, p - 1, alt, upper);
                if (!alt) {
                    int e = s.indexOf(upper ? 'E' : 'e');
                    s = stripZeros(s.substring(0, e)) + s.substring(e);
                }
            } else {
                s = fixed(v, p - 1 - exp, alt);
                if (!alt) {
                    s = stripZeros(s);
                }
            }
            return s;
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
    }
}
