package io.redjar.internal.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.redjar.RedJarException;

class LongDoubleTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String human(LongDouble v) {
        return new String(v.toHumanString(), StandardCharsets.ISO_8859_1);
    }

    /** What INCRBYFLOAT replies: value + increment, or the error text. */
    static String incrbyfloat(String value, String increment) {
        LongDouble a = LongDouble.parseOrNull(b(value), 0, value.length());
        LongDouble i = LongDouble.parseOrNull(b(increment), 0, increment.length());
        if (a == null || i == null) {
            return "ERR value is not a valid float";
        }
        LongDouble sum = a.add(i);
        if (sum.isNaN() || sum.isInfinite()) {
            return "ERR increment would produce NaN or Infinity";
        }
        return human(sum);
    }

    /** Expected values recorded from Redis 7.0.15 (x86-64) with SET a V; INCRBYFLOAT a I. */
    @ParameterizedTest(name = "{0} + {1} = {2}")
    @CsvSource(delimiter = '|', value = {
        "10.50|0.1|10.6",
        "5.0e3|2.0e2|5200",
        "0.1|0.2|0.3",
        "1.1|2.2|3.3",
        "1e-20|0|0",
        "1e-20|1|1",
        "-5|2.5|-2.5",
        "3.0000000000000000001|0|3",
        "1.5e+30|0|1500000000000000000002684354560",
        "1.5e+30|1|1500000000000000000002684354560",
        "0|-0.1|-0.1",
        "1|-1|0",
        "-0.0|-0.0|0",
        "1e4932|1e4932|ERR increment would produce NaN or Infinity",
        "0x1p-16445|0|0",
        "0x1p-16446|0|ERR value is not a valid float",
        "0x1p-16445|0x1p-16445|0",
        "9223372036854775807|1|9223372036854775808",
        "-9223372036854775808|-1|-9223372036854775809",
        "18446744073709551615|1|18446744073709551616",
        "36893488147419103231|0|36893488147419103232",
        "0.000003814697265625|0|0.00000381469726562",
        "-0.000003814697265625|0|-0.00000381469726562",
        "0.000000000000000005|0|0",
        "0.000000000000000015|0|0.00000000000000002",
        "-0.000000000000000005|0|0",
        "1.23456789012345678901234567890|0|1.23456789012345679",
        "2.5|inf|ERR increment would produce NaN or Infinity",
        "inf|-inf|ERR increment would produce NaN or Infinity",
        "1e-4950|0|0",
        "1e-4952|0|ERR value is not a valid float",
        "100|1e-15|100.000000000000001",
        "0xffffffffffffffff|0x1p-1|18446744073709551616",
        "0x1p3|1|9",
        "0x1.8|1|2.5",
        "-infinity|1|ERR increment would produce NaN or Infinity",
        "1e|1|ERR value is not a valid float",
        "' 1'|1|ERR value is not a valid float",
        "1.7976931348623157e308|1|179769313486231569995921046774104434048386446944329178485314420765176628523124396354701868608387085564428793419425520689308708363451136055357897278026477617073498977686288394835618163294045594434929537447290627480669417384648879122776218333598953852832103282504751611691208117720159985926376802466863339536384",
    })
    void recordedIncrbyfloatResults(String value, String increment, String expected) {
        assertEquals(expected, incrbyfloat(value, increment));
    }

    @Test
    void largeRecordedResults() {
        String sum = incrbyfloat("1e300", "1e300");
        assertTrue(sum.startsWith("20000000000000000000179946481591183877410478885465814958765201646425312931923618715116983"), sum);
        assertTrue(sum.endsWith("0208012288"), sum);
        assertEquals(301, sum.length());
        String max = incrbyfloat("0x1.fffffffffffffffep16383", "0");
        assertTrue(max.startsWith("118973149535723176502126385"), max);
        assertEquals(4933, max.length());
        assertEquals("ERR increment would produce NaN or Infinity", incrbyfloat("0x1.fffffffffffffffep16383", "0x1p16319"));
        assertEquals("ERR value is not a valid float", incrbyfloat("0x1p16384", "0"));
        String big = incrbyfloat("1.18e4932", "0");
        assertTrue(big.startsWith("11800000000000000000006528129180936992026904371401604717298312400618365277284469960120814962661227"), big);
        assertEquals(4933, big.length());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " 1", "1 ", "\t1", "nan", "-nan", "NAN(1)", "1e5000", "-1e5000", "1e-5000", "0x", "1x",
        "--1", ".", "e5", "1\u00002"})
    void parseRejects(String text) {
        assertNull(LongDouble.parseOrNull(b(text), 0, text.length()));
        RedJarException e = assertThrows(RedJarException.class, () -> LongDouble.parse(b(text)));
        assertEquals("ERR value is not a valid float", e.getMessage());
    }

    @Test
    void parseLengthLimit() {
        String ok = "1." + "0".repeat(5117); // 5119 bytes
        assertEquals(5119, ok.length());
        assertEquals("1", human(LongDouble.parse(b(ok))));
        String tooLong = ok + "0"; // 5120 bytes: rejected before strtold
        assertNull(LongDouble.parseOrNull(b(tooLong), 0, tooLong.length()));
        assertEquals("2", human(LongDouble.parse(b("x2y"), 1, 1)));
    }

    @Test
    void parseAcceptsInfinitiesAndSignedZeros() {
        assertTrue(LongDouble.parse(b("inf")).isInfinite());
        assertTrue(LongDouble.parse(b("-INFINITY")).isNegative());
        assertTrue(LongDouble.parse(b("+Inf")).isInfinite());
        assertEquals(LongDouble.NEGATIVE_ZERO, LongDouble.parse(b("-0")));
        assertEquals(LongDouble.ZERO, LongDouble.parse(b("0e99999999999")));
        assertEquals(LongDouble.ZERO, LongDouble.parse(b("0x0p-99999")));
    }

    @Test
    void arithmeticSpecials() {
        assertTrue(LongDouble.POSITIVE_INFINITY.add(LongDouble.NEGATIVE_INFINITY).isNaN());
        assertTrue(LongDouble.NaN.add(LongDouble.ZERO).isNaN());
        assertEquals(LongDouble.POSITIVE_INFINITY, LongDouble.POSITIVE_INFINITY.add(LongDouble.of(-1e308)));
        assertEquals(LongDouble.ZERO, LongDouble.ZERO.add(LongDouble.NEGATIVE_ZERO));
        assertEquals(LongDouble.NEGATIVE_ZERO, LongDouble.NEGATIVE_ZERO.add(LongDouble.NEGATIVE_ZERO));
        assertEquals(LongDouble.ZERO, LongDouble.of(5).add(LongDouble.of(-5)));
        assertEquals(LongDouble.of(-5), LongDouble.NEGATIVE_ZERO.add(LongDouble.of(-5)));
        assertEquals("-nan", human(LongDouble.NaN));
        assertEquals("inf", human(LongDouble.POSITIVE_INFINITY));
        assertEquals("-inf", human(LongDouble.NEGATIVE_INFINITY));
        assertEquals("0", human(LongDouble.NEGATIVE_ZERO));
        assertEquals(LongDouble.of(3), LongDouble.of(-3).negate());
        assertNotEquals(LongDouble.ZERO, LongDouble.NEGATIVE_ZERO);
    }

    @Test
    void roundingIsToNearestEvenAt64Bits() {
        LongDouble one = LongDouble.of(1L);
        LongDouble halfUlp = LongDouble.parse(b("0x1p-64"));
        // 1 + 2^-64 is a tie between 1 and 1 + 2^-63: rounds to even (1).
        assertEquals(one, one.add(halfUlp));
        // 1 + 2^-63 is exact.
        LongDouble ulp = LongDouble.parse(b("0x1p-63"));
        assertEquals(LongDouble.parse(b("0x1.0000000000000002p0")), one.add(ulp));
        // (1 + 2^-63) + 2^-64 is a tie, odd significand: rounds up to 1 + 2^-62.
        assertEquals(LongDouble.parse(b("0x1.0000000000000004p0")), one.add(ulp).add(halfUlp));
        // Just above the tie rounds up.
        assertEquals(one.add(ulp), one.add(LongDouble.parse(b("0x1.0000000000001p-64"))));
        // 2^64 - 1 is exact, 2^64 + 1 is not.
        assertEquals(LongDouble.parse(b("18446744073709551615")).toBigDecimal(),
                new BigDecimal(new BigInteger("18446744073709551615")));
        assertEquals(LongDouble.parse(b("18446744073709551617")).toBigDecimal(),
                new BigDecimal(new BigInteger("18446744073709551616")));
        // Subnormal sums are exact.
        LongDouble tiny = LongDouble.parse(b("0x1p-16445"));
        assertEquals(LongDouble.parse(b("0x1p-16444")), tiny.add(tiny));
    }

    @Test
    void conversions() {
        assertEquals(0.1, LongDouble.of(0.1).toDouble());
        assertEquals(Double.MIN_VALUE, LongDouble.of(Double.MIN_VALUE).toDouble());
        assertEquals(0.1, LongDouble.parse(b("0.1")).toDouble());
        assertEquals(Double.POSITIVE_INFINITY, LongDouble.parse(b("1e400")).toDouble());
        assertEquals(0.0, LongDouble.parse(b("1e-400")).toDouble());
        assertEquals(new BigDecimal("0.1000000000000000055511151231257827021181583404541015625"),
                LongDouble.of(0.1).toBigDecimal());
        assertEquals(new BigDecimal("9223372036854775807"), LongDouble.of(Long.MAX_VALUE).toBigDecimal());
        assertEquals("9223372036854775807", LongDouble.of(Long.MAX_VALUE).toString());
        assertThrows(ArithmeticException.class, () -> LongDouble.NaN.toBigDecimal());
        QuickDoubleCheck.check();
    }

    /** Widening then narrowing a double is the identity. */
    static final class QuickDoubleCheck {
        static void check() {
            Random rnd = new Random(42);
            for (int i = 0; i < 10_000; i++) {
                double d = Double.longBitsToDouble(rnd.nextLong());
                if (!Double.isNaN(d)) {
                    assertEquals(Double.doubleToRawLongBits(d), Double.doubleToRawLongBits(LongDouble.of(d).toDouble()));
                }
            }
        }
    }

    /**
     * Random INCRBYFLOAT cases replayed against the real server: SET a X; INCRBYFLOAT a Y; the reply
     * (value or error) must be identical.
     */
    @Test
    void randomIncrbyfloatMatchesRealRedis() {
        long seed = Long.getLong("redjar.seed", System.nanoTime());
        System.out.println("LongDoubleTest.randomIncrbyfloatMatchesRealRedis seed=" + seed
                + " (rerun with -Dredjar.seed=" + seed + ")");
        Random rnd = new Random(seed);
        List<String[]> cases = new ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            cases.add(new String[] {randomOperand(rnd), randomOperand(rnd)});
        }
        try (RealRedis redis = RealRedis.startOrSkip()) {
            List<Object[]> cmds = new ArrayList<>();
            for (String[] c : cases) {
                cmds.add(new Object[] {"SET", "a", c[0]});
                cmds.add(new Object[] {"INCRBYFLOAT", "a", c[1]});
            }
            List<Object> replies = redis.pipeline(cmds);
            int ok = 0;
            for (int i = 0; i < cases.size(); i++) {
                String expected = RealRedis.str(replies.get(2 * i + 1));
                if (expected.startsWith("-")  && replies.get(2 * i + 1) instanceof RealRedis.Error) {
                    expected = expected.substring(1);
                } else {
                    ok++;
                }
                assertEquals(expected, incrbyfloat(cases.get(i)[0], cases.get(i)[1]),
                        "SET a " + cases.get(i)[0] + "; INCRBYFLOAT a " + cases.get(i)[1] + " (seed " + seed + ")");
            }
            System.out.println("LongDoubleTest: " + cases.size() + " INCRBYFLOAT cases identical, " + ok + " successful");
        }
    }

    private static String randomOperand(Random rnd) {
        switch (rnd.nextInt(12)) {
            case 10: {
                // Exactly halfway between two adjacent long doubles (or one unit of the last printed
                // digit away): strtold must round to even.
                BigInteger m = new BigInteger(64, rnd).setBit(63).shiftLeft(1).add(BigInteger.ONE);
                int e = rnd.nextInt(200) - 130;
                BigDecimal v = e >= 0 ? new BigDecimal(m.shiftLeft(e))
                        : new BigDecimal(m.multiply(BigInteger.valueOf(5).pow(-e)), -e);
                String text = v.toPlainString();
                int tweak = rnd.nextInt(3);
                if (tweak > 0) {
                    BigDecimal unit = BigDecimal.ONE.movePointLeft(Math.max(v.scale(), 0) + 3);
                    text = (tweak == 1 ? v.add(unit) : v.subtract(unit)).toPlainString();
                }
                return (rnd.nextBoolean() ? "-" : "") + text;
            }
            case 11: {
                // m * 2^-n printed exactly: many have exactly 18 fractional digits ending in 5,
                // which %.17Lf must round half-even.
                long m = rnd.nextLong() >>> (24 + rnd.nextInt(40));
                int n = 1 + rnd.nextInt(62);
                return new BigDecimal(BigInteger.valueOf(m).multiply(BigInteger.valueOf(5).pow(n)), n)
                        .toPlainString();
            }
            case 0:
                return NumbersTest.randomHex(rnd);
            case 1:
                return Long.toString(rnd.nextLong() >> rnd.nextInt(64));
            case 2: {
                String[] specials = {"inf", "-inf", "0", "-0", "0.1", "0.2", "1e4932", "-1.18e4932", "1e-4951",
                    "3.6e-4951", "1e-4940", "0x1p-16445", "0x1.fffffffffffffffep16383", "1e-20", "100", "x", " 1",
                    "nan", "0.000000000000000005", "5e-18", "1.5e-17", "9223372036854775807"};
                return specials[rnd.nextInt(specials.length)];
            }
            case 3: {
                // digits with many fractional places, around the 17-digit rounding boundary
                StringBuilder sb = new StringBuilder(rnd.nextBoolean() ? "-" : "");
                sb.append(rnd.nextInt(1000)).append('.');
                int n = 15 + rnd.nextInt(8);
                for (int i = 0; i < n; i++) {
                    sb.append((char) ('0' + rnd.nextInt(10)));
                }
                return sb.toString();
            }
            case 4:
                return Double.toString((rnd.nextDouble() - 0.5) * Math.pow(10, rnd.nextInt(60) - 30));
            case 5: {
                StringBuilder sb = new StringBuilder(rnd.nextBoolean() ? "-" : "");
                sb.append(1 + rnd.nextInt(9)).append('.').append(rnd.nextInt(1_000_000)).append('e');
                sb.append(rnd.nextInt(9900) - 4950);
                return sb.toString();
            }
            default:
                return NumbersTest.randomDecimal(rnd);
        }
    }

    @Test
    void hugeValuesStayWithinTheBuffer() {
        LongDouble max = LongDouble.parse(b("-0x1.fffffffffffffffep16383"));
        byte[] text = max.toHumanString();
        assertEquals(4934, text.length);
        assertFalse(text.length + 1 > LongDouble.MAX_LONG_DOUBLE_CHARS);
    }
}
