package io.redjar.internal.util;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import org.junit.jupiter.params.provider.ValueSource;
import org.quicktheories.QuickTheory;
import org.quicktheories.generators.SourceDSL;

import io.redjar.NotIntegerException;
import io.redjar.RedJarException;

class NumbersTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String s(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    // ------------------------------------------------------------------ string2ll

    @ParameterizedTest
    @ValueSource(strings = {"0", "1", "-1", "99", "-99", "10", "1234567890", "9223372036854775807",
        "-9223372036854775808", "-9223372036854775807", "100000000000000000"})
    void acceptsCanonicalIntegers(String text) {
        assertEquals(Long.parseLong(text), Numbers.parseLong(b(text)));
        assertTrue(Numbers.isLong(b(text)));
        assertEquals(Long.parseLong(text), Numbers.parseLongOrDefault(b(text), 42));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-", "+1", " 1", "1 ", "01", "00", "-0", "-01", "1a", "a", "1.0", "1e3",
        "9223372036854775808", "-9223372036854775809", "18446744073709551615", "18446744073709551616",
        "99999999999999999999", "-99999999999999999999", "000000000000000000001", "--1", "0x10", "\u00001",
        "1\u0000", "\u0661"})
    void rejectsEverythingElse(String text) {
        assertFalse(Numbers.isLong(b(text)));
        assertEquals(42, Numbers.parseLongOrDefault(b(text), 42));
        NotIntegerException e = assertThrows(NotIntegerException.class, () -> Numbers.parseLong(b(text)));
        assertEquals("ERR value is not an integer or out of range", e.getMessage());
    }

    @Test
    void sentinelCollisionIsResolved() {
        assertEquals(Long.MIN_VALUE, Numbers.parseLong(b("-9223372036854775808")));
        assertEquals(-1, Numbers.parseLongOrDefault(b("x-1"), 1, 2, 7));
        assertEquals(0, Numbers.parseLong(b("x0y"), 1, 1));
        assertThrows(NotIntegerException.class, () -> Numbers.parseLong(b("x0y"), 1, 2));
        assertFalse(Numbers.isLong(b("x0y"), 0, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> Numbers.parseLong(b("12"), 1, 2));
    }

    @Test
    void parseLongAgreesWithLongToStringRoundTrip() {
        QuickTheory.qt().withExamples(20_000).forAll(SourceDSL.longs().all())
                .check(v -> Numbers.parseLong(b(Long.toString(v))) == v
                        && s(Numbers.formatLong(v)).equals(Long.toString(v))
                        && Numbers.stringLength(v) == Long.toString(v).length());
    }

    @Test
    void formatLongIntoBuffer() {
        byte[] buf = new byte[30];
        int n = Numbers.formatLong(Long.MIN_VALUE, buf, 3);
        assertEquals("-9223372036854775808", new String(buf, 3, n, StandardCharsets.ISO_8859_1));
        n = Numbers.formatLong(0, buf, 0);
        assertEquals("0", new String(buf, 0, n, StandardCharsets.ISO_8859_1));
        assertThrows(IndexOutOfBoundsException.class, () -> Numbers.formatLong(12345, new byte[4], 0));
        for (long p = 1, i = 0; i < 19; i++, p *= 10) {
            assertEquals(Long.toString(p), s(Numbers.formatLong(p)));
            assertEquals(Long.toString(p - 1), s(Numbers.formatLong(p - 1)));
            assertEquals(Long.toString(-p), s(Numbers.formatLong(-p)));
        }
    }

    @Test
    void parseLongMatchesRealRedis() {
        long seed = io.redjar.testing.Seeds.seed();
        System.out.println("NumbersTest.parseLongMatchesRealRedis seed=" + seed);
        Random rnd = new Random(seed);
        List<byte[]> inputs = new ArrayList<>();
        String alphabet = "0123456789-+ .e\u0000x";
        for (int i = 0; i < 3000; i++) {
            StringBuilder sb = new StringBuilder();
            int len = rnd.nextInt(23);
            for (int j = 0; j < len; j++) {
                sb.append(j > 0 && rnd.nextInt(4) > 0 ? (char) ('0' + rnd.nextInt(10))
                        : alphabet.charAt(rnd.nextInt(alphabet.length())));
            }
            inputs.add(b(sb.toString()));
            inputs.add(b(Long.toString(rnd.nextLong() >> rnd.nextInt(64))));
        }
        for (String edge : new String[] {"9223372036854775807", "9223372036854775808", "-9223372036854775808",
            "-9223372036854775809", "-0", "0", "00"}) {
            inputs.add(b(edge));
        }
        try (RealRedis redis = RealRedis.startOrSkip()) {
            List<Object[]> cmds = new ArrayList<>();
            for (byte[] in : inputs) {
                // LRANGE parses both indexes with getLongFromObjectOrReply (string2ll) before the lookup.
                cmds.add(new Object[] {"LRANGE", "nosuchkey", in, "0"});
            }
            List<Object> replies = redis.pipeline(cmds);
            for (int i = 0; i < inputs.size(); i++) {
                boolean redisOk = !(replies.get(i) instanceof RealRedis.Error);
                assertEquals(redisOk, Numbers.isLong(inputs.get(i)), "'" + s(inputs.get(i)) + "' seed " + seed);
            }
        }
    }

    // ------------------------------------------------------------------ string2d

    @Test
    void parseDoubleAccepts() {
        assertEquals(1.0, Numbers.parseDouble(b("1")));
        assertEquals(-1.5, Numbers.parseDouble(b("-1.5")));
        assertEquals(1.5, Numbers.parseDouble(b("+1.5")));
        assertEquals(0.5, Numbers.parseDouble(b(".5")));
        assertEquals(5.0, Numbers.parseDouble(b("5.")));
        assertEquals(1e10, Numbers.parseDouble(b("1e10")));
        assertEquals(1e10, Numbers.parseDouble(b("1E+10")));
        assertEquals(1e-10, Numbers.parseDouble(b("1e-10")));
        assertEquals(8.0, Numbers.parseDouble(b("0x1p3")));
        assertEquals(1.5, Numbers.parseDouble(b("0x1.8")));
        assertEquals(0.5, Numbers.parseDouble(b("0x.8")));
        assertEquals(-255.0, Numbers.parseDouble(b("-0XFF")));
        assertEquals(Double.MIN_VALUE, Numbers.parseDouble(b("0x1p-1074")));
        assertEquals(Double.MIN_VALUE, Numbers.parseDouble(b("3e-324")));
        assertEquals(Double.MIN_VALUE, Numbers.parseDouble(b("0x1.000001p-1075")));
        assertEquals(Double.MAX_VALUE, Numbers.parseDouble(b("1.7976931348623158e308")));
        assertEquals(Double.POSITIVE_INFINITY, Numbers.parseDouble(b("inf")));
        assertEquals(Double.POSITIVE_INFINITY, Numbers.parseDouble(b("+INF")));
        assertEquals(Double.NEGATIVE_INFINITY, Numbers.parseDouble(b("-Infinity")));
        assertEquals(0.0, Numbers.parseDouble(b("0e99999999999999999999")));
        assertEquals(0.0, Numbers.parseDouble(b("0x0p-99999")));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(Numbers.parseDouble(b("-0"))));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(Numbers.parseDouble(b("-0x0p0"))));
        assertEquals(0.1, Numbers.parseDouble(b("xx0.1yy"), 2, 3));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " 1", "1 ", "\t1", "\n1", "1x", "1e", "1e+", "e1", ".", "-", "+", "0x", "0x.", "0x1p",
        "0x1p+", "0xg", "nan", "NaN", "-nan", "nan(123)", "inff", "infinit", "infinityy", "1e309", "-1e309",
        "1e-400", "2e-324", "0x1p-1076", "0x1p1024", "1d", "1f", "1.0.0", "1\u00002", "++1", "1_000", "0b101",
        "1,5", "\u00a01", "0x1.8p", "Infinity!"})
    void parseDoubleRejects(String text) {
        assertTrue(Double.isNaN(Numbers.parseDoubleOrNaN(b(text), 0, text.length())), text);
        RedJarException e = assertThrows(RedJarException.class, () -> Numbers.parseDouble(b(text)));
        assertEquals("ERR value is not a valid float", e.getMessage());
    }

    @Test
    void decimalFastPathAgreesWithExactEngine() {
        long seed = io.redjar.testing.Seeds.seed();
        System.out.println("NumbersTest.decimalFastPathAgreesWithExactEngine seed=" + seed);
        Random rnd = new Random(seed);
        for (int i = 0; i < 20_000; i++) {
            String text = randomDecimal(rnd);
            byte[] in = b(text);
            double fast = Numbers.parseDoubleOrNaN(in, 0, in.length);
            CFloat.Rounded r = CFloat.convert(in, 0, in.length, false, CFloat.DOUBLE);
            if (r.isRangeError()) {
                assertTrue(Double.isNaN(fast), text + " seed " + seed);
            } else {
                double exact = r == CFloat.Rounded.EXACT_ZERO ? 0.0 : Numbers.toDouble(r);
                if (text.startsWith("-")) {
                    exact = -exact;
                }
                assertEquals(Double.doubleToRawLongBits(exact), Double.doubleToRawLongBits(fast), text + " seed " + seed);
            }
        }
    }

    static String randomDecimal(Random rnd) {
        StringBuilder sb = new StringBuilder();
        if (rnd.nextInt(3) == 0) {
            sb.append(rnd.nextBoolean() ? '-' : '+');
        }
        int intDigits = rnd.nextInt(4) == 0 ? 0 : 1 + rnd.nextInt(rnd.nextInt(4) == 0 ? 40 : 6);
        for (int i = 0; i < intDigits; i++) {
            sb.append((char) ('0' + rnd.nextInt(10)));
        }
        int fracDigits = rnd.nextBoolean() ? 0 : rnd.nextInt(rnd.nextInt(4) == 0 ? 40 : 8);
        if (intDigits == 0 && fracDigits == 0) {
            fracDigits = 1;
        }
        if (fracDigits > 0 || rnd.nextInt(5) == 0) {
            sb.append('.');
        }
        for (int i = 0; i < fracDigits; i++) {
            sb.append((char) ('0' + rnd.nextInt(10)));
        }
        if (rnd.nextBoolean()) {
            sb.append(rnd.nextBoolean() ? 'e' : 'E');
            int r = rnd.nextInt(4);
            if (r == 0) {
                sb.append('-');
            } else if (r == 1) {
                sb.append('+');
            }
            int e = rnd.nextInt(8) == 0 ? rnd.nextInt(5000) : rnd.nextInt(8) == 0 ? 280 + rnd.nextInt(60) : rnd.nextInt(30);
            sb.append(e);
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------ %.17g

    @Test
    void formatDouble17gKnownValues() {
        assertEquals("0", Numbers.formatDouble17g(0.0));
        assertEquals("-0", Numbers.formatDouble17g(-0.0));
        assertEquals("inf", Numbers.formatDouble17g(Double.POSITIVE_INFINITY));
        assertEquals("-inf", Numbers.formatDouble17g(Double.NEGATIVE_INFINITY));
        assertEquals("nan", Numbers.formatDouble17g(Double.NaN));
        assertEquals("-nan", Numbers.formatDouble17g(Double.longBitsToDouble(0xfff8000000000000L)));
        assertEquals("1", Numbers.formatDouble17g(1.0));
        assertEquals("-1.5", Numbers.formatDouble17g(-1.5));
        assertEquals("0.10000000000000001", Numbers.formatDouble17g(0.1));
        assertEquals("0.30000000000000004", Numbers.formatDouble17g(0.1 + 0.2));
        assertEquals("1e+20", Numbers.formatDouble17g(1e20));
        assertEquals("1e+17", Numbers.formatDouble17g(1e17));
        assertEquals("10000000000000000", Numbers.formatDouble17g(1e16));
        assertEquals("0.0001", Numbers.formatDouble17g(1e-4));
        assertEquals("1.0000000000000001e-05", Numbers.formatDouble17g(1e-5));
        assertEquals("1.152921504606847e+18", Numbers.formatDouble17g(0x1p60));
        assertEquals("4503599627370496", Numbers.formatDouble17g(0x1p52));
        assertEquals("1.7976931348623157e+308", Numbers.formatDouble17g(Double.MAX_VALUE));
        assertEquals("4.9406564584124654e-324", Numbers.formatDouble17g(Double.MIN_VALUE));
        assertEquals("2.2250738585072014e-308", Numbers.formatDouble17g(Double.MIN_NORMAL));
        assertEquals("1.2345678901234568e+17", Numbers.formatDouble17g(123456789012345678.0));
        assertEquals("99999999999999984", Numbers.formatDouble17g(99999999999999984.0));
        assertEquals("9.9999999999999992e+22", Numbers.formatDouble17g(1e23));
    }

    @Test
    void formatDouble17gTieIsRoundedHalfEven() {
        // 2^-18 = 0.000003814697265625 has 13 significant digits: no rounding.
        assertEquals("3.814697265625e-06", Numbers.formatDouble17g(0x1p-18));
        // 2^56 + 16 = 72057594037927952 has exactly 17 digits: printed as is.
        assertEquals("72057594037927952", Numbers.formatDouble17g(0x1p56 + 16));
        // 2^57+32 = 144115188075855904 (18 digits, last digit 4 -> down)
        assertEquals("1.441151880758559e+17", Numbers.formatDouble17g(0x1p57 + 32));
        // 1 + 2^-52 = 1.0000000000000002220446049250313080847263336181640625 -> 1.0000000000000002
        assertEquals("1.0000000000000002", Numbers.formatDouble17g(1 + 0x1p-52));
        // 2^60 = 1152921504606846976 -> 1.1529215046068469|76 -> up to ...70.
        assertEquals("1.152921504606847e+18", Numbers.formatDouble17g(0x1p60));
        // 2^64 = 18446744073709551616 -> 1.8446744073709551|616 -> ...52
        assertEquals("1.8446744073709552e+19", Numbers.formatDouble17g(0x1p64));
        // 2^-20 = 9.5367431640625e-07 (14 digits, exact)
        assertEquals("9.5367431640625e-07", Numbers.formatDouble17g(0x1p-20));
        // 2^-24 = 5.9604644775390625e-08 (17 digits, exact); 2^-25 = 2.98023223876953125e-08 (18 digits,
        // ends in 5: a true tie, rounded to even -> ...12 rather than ...13)
        assertEquals("5.9604644775390625e-08", Numbers.formatDouble17g(0x1p-24));
        assertEquals("2.9802322387695312e-08", Numbers.formatDouble17g(0x1p-25));
        // 3 * 2^-25 = 8.94069671630859375e-08: tie, 7 is odd -> rounds up to ...38
        assertEquals("8.9406967163085938e-08", Numbers.formatDouble17g(3 * 0x1p-25));
    }

    @Test
    void formatDoubleD2String() {
        assertEquals("0", Numbers.formatDoubleD2String(0.0));
        assertEquals("-0", Numbers.formatDoubleD2String(-0.0));
        assertEquals("nan", Numbers.formatDoubleD2String(Double.NaN));
        assertEquals("-inf", Numbers.formatDoubleD2String(Double.NEGATIVE_INFINITY));
        assertEquals("1152921504606846976", Numbers.formatDoubleD2String(0x1p60));
        assertEquals("4611686018427387904", Numbers.formatDoubleD2String(0x1p62));
        assertEquals("-4611686018427387904", Numbers.formatDoubleD2String(-0x1p62));
        assertEquals("9.2233720368547758e+18", Numbers.formatDoubleD2String(0x1p63));
        assertEquals("1.5", Numbers.formatDoubleD2String(1.5));
        assertEquals("0.10000000000000001", Numbers.formatDoubleD2String(0.1));
        assertEquals("-3", Numbers.formatDoubleD2String(-3.0));
    }

    @Test
    void formatDoubleHuman() {
        assertEquals("13.36138933897018433", Numbers.formatDoubleHuman(13.361389338970184));
        assertEquals("0.10000000000000001", Numbers.formatDoubleHuman(0.1));
        assertEquals("3", Numbers.formatDoubleHuman(3.0));
        assertEquals("0", Numbers.formatDoubleHuman(-0.0));
        assertEquals("0", Numbers.formatDoubleHuman(-1e-30));
        assertEquals("-inf", Numbers.formatDoubleHuman(Double.NEGATIVE_INFINITY));
        assertEquals("100000000000000000000", Numbers.formatDoubleHuman(1e20));
        assertEquals("0.00000000000000001", Numbers.formatDoubleHuman(1e-17));
        assertEquals("0", Numbers.formatDoubleHuman(4e-18));
        assertEquals("0.00000000000000001", Numbers.formatDoubleHuman(6e-18));
    }

    /**
     * Every double travels to Redis exactly (as a C99 hex float, which ZADD accepts) and back as
     * ZSCORE's %.17g reply; INCRBYFLOAT by 0 shows the human long double format of the same value.
     */
    @Test
    void formattersMatchRealRedis() {
        long seed = io.redjar.testing.Seeds.seed();
        System.out.println("NumbersTest.formattersMatchRealRedis seed=" + seed);
        Random rnd = new Random(seed);
        List<Double> values = new ArrayList<>();
        double[] fixed = {0.0, -0.0, 1.0, 0.1, 0.3, 1e16, 1e17, 1e20, 1e-4, 1e-5, 0x1p52, 0x1p60, 0x1p63,
            Double.MAX_VALUE, Double.MIN_VALUE, Double.MIN_NORMAL, 123456789.123456789, -2.5e-300, 99999999999999984.0,
            9.5, 0.5, 2.5e-8, 1 + 0x1p-52, 1e23, 5e-324 * 3, 72057594037927952.0, 0x1p-25, 3 * 0x1p-25, 0x1p-18,
            0x1p64, 0x1p57 + 32, 0x1p-60, 5 * 0x1p-60, 0.000003814697265625, 1e-17, 4e-18, 6e-18, -1e-30};
        for (double d : fixed) {
            values.add(d);
        }
        for (int i = 0; i < 3000; i++) {
            double d;
            switch (rnd.nextInt(4)) {
                case 0:
                    d = Double.longBitsToDouble(rnd.nextLong());
                    break;
                case 1:
                    d = (rnd.nextDouble() - 0.5) * Math.pow(10, rnd.nextInt(40) - 20);
                    break;
                case 2:
                    d = Math.scalb((double) (rnd.nextLong() >>> 11), rnd.nextInt(80) - 70);
                    break;
                default:
                    d = Math.round(rnd.nextDouble() * 1e6) / Math.pow(10, rnd.nextInt(8));
            }
            if (!Double.isNaN(d) && !Double.isInfinite(d)) {
                values.add(d);
            }
        }
        // Skiplist encoding keeps scores as doubles (listpack would store -0.0 as the integer 0).
        try (RealRedis redis = RealRedis.startOrSkip("--zset-max-listpack-entries", "0")) {
            List<Object[]> cmds = new ArrayList<>();
            for (double d : values) {
                String hex = Double.toHexString(d);
                cmds.add(new Object[] {"DEL", "z"});
                cmds.add(new Object[] {"ZADD", "z", hex, "m"});
                cmds.add(new Object[] {"ZSCORE", "z", "m"});
                cmds.add(new Object[] {"SET", "f", hex});
                cmds.add(new Object[] {"INCRBYFLOAT", "f", "0"});
            }
            List<Object> replies = redis.pipeline(cmds);
            for (int i = 0; i < values.size(); i++) {
                double d = values.get(i);
                String ctx = Double.toHexString(d) + " seed " + seed;
                assertEquals(1L, replies.get(5 * i + 1), ctx);
                assertEquals(RealRedis.str(replies.get(5 * i + 2)), Numbers.formatDouble17g(d), ctx);
                assertEquals(RealRedis.str(replies.get(5 * i + 4)), Numbers.formatDoubleHuman(d), ctx);
                assertEquals(d, Numbers.parseDouble(b(Double.toHexString(d))), ctx);
            }
        }
    }

    /** Random texts through ZADD (string2d) and back through ZSCORE. */
    @Test
    void parseDoubleMatchesRealRedis() {
        long seed = io.redjar.testing.Seeds.seed();
        System.out.println("NumbersTest.parseDoubleMatchesRealRedis seed=" + seed);
        Random rnd = new Random(seed);
        List<String> inputs = new ArrayList<>();
        String junk = "0123456789.eE+-xXpPaAfFiInNtTyY ()\u0000";
        for (int i = 0; i < 2000; i++) {
            inputs.add(randomDecimal(rnd));
            StringBuilder sb = new StringBuilder();
            int len = rnd.nextInt(10);
            for (int j = 0; j < len; j++) {
                sb.append(junk.charAt(rnd.nextInt(junk.length())));
            }
            String text = sb.toString();
            if (!text.equalsIgnoreCase("nx") && !text.equalsIgnoreCase("xx")) { // ZADD options
                inputs.add(text);
            }
            inputs.add(randomHex(rnd));
        }
        for (String edge : new String[] {"inf", "-inf", "+inf", "Infinity", "-INFINITY", "infinit", "nan", "0x1p3", "0x",
            "0x1.8", "0x.8p1", "1e-400", "2.4703282292062327e-324", "2.4703282292062328e-324", "4.9e-324",
            "1.7976931348623157e308", "1.7976931348623158e308", "1.7976931348623159e308", " 1", "1 ", "",
            "0e999999999999999999999", "-0", "0x1p-1075", "0x1.0000000000001p-1075", "0x1p1023", "0x1.fffffffffffff8p1023",
            "0x1.fffffffffffff7ffp1023", "1" + "0".repeat(400) + "e-400", "1e99999999999999999999",
            "1e-99999999999999999999", "0x1p99999999999999999999", "0x1p-99999999999999999999", "0." + "0".repeat(330) + "1",
            "0." + "0".repeat(322) + "3", "123456789012345678901234567890123456789e-300", "-0x0.0000000000001p-1022"}) {
            inputs.add(edge);
        }
        // ZADD would read a ZADD flag (NX, XX, GT, LT, CH, INCR) as an option, not as a score; its
        // strcasecmp stops at a NUL, so "xX\0junk" is XX too
        inputs.removeIf(in -> java.util.Arrays.stream(in.trim().split("[\\s\\x00]+"))
            .anyMatch(t -> java.util.Set.of("nx", "xx", "gt", "lt", "ch", "incr").contains(t.toLowerCase(java.util.Locale.ROOT))));
        try (RealRedis redis = RealRedis.startOrSkip("--zset-max-listpack-entries", "0")) {
            List<Object[]> cmds = new ArrayList<>();
            for (String in : inputs) {
                cmds.add(new Object[] {"DEL", "z"});
                cmds.add(new Object[] {"ZADD", "z", in, "m"});
                cmds.add(new Object[] {"ZSCORE", "z", "m"});
            }
            List<Object> replies = redis.pipeline(cmds);
            int accepted = 0;
            for (int i = 0; i < inputs.size(); i++) {
                String in = inputs.get(i);
                Object zadd = replies.get(3 * i + 1);
                double mine = Numbers.parseDoubleOrNaN(b(in), 0, in.length());
                String ctx = "'" + in + "' seed " + seed;
                if (zadd instanceof RealRedis.Error e) {
                    assertTrue(e.message().contains("not a valid float"), ctx + " " + e.message());
                    assertTrue(Double.isNaN(mine), ctx + " Redis rejects, we parsed " + mine);
                } else {
                    accepted++;
                    assertFalse(Double.isNaN(mine), ctx + " Redis accepts");
                    assertEquals(RealRedis.str(replies.get(3 * i + 2)), Numbers.formatDouble17g(mine), ctx);
                }
            }
            System.out.println("NumbersTest: " + inputs.size() + " texts, " + accepted + " accepted by both");
        }
    }

    static String randomHex(Random rnd) {
        StringBuilder sb = new StringBuilder();
        if (rnd.nextInt(3) == 0) {
            sb.append(rnd.nextBoolean() ? '-' : '+');
        }
        sb.append(rnd.nextBoolean() ? "0x" : "0X");
        String hex = "0123456789abcdefABCDEF";
        int a = rnd.nextInt(4) == 0 ? 0 : 1 + rnd.nextInt(rnd.nextInt(3) == 0 ? 20 : 4);
        for (int i = 0; i < a; i++) {
            sb.append(hex.charAt(rnd.nextInt(hex.length())));
        }
        int f = rnd.nextBoolean() ? 0 : rnd.nextInt(rnd.nextInt(3) == 0 ? 20 : 4);
        if (a == 0 && f == 0) {
            f = 1;
        }
        if (f > 0 || rnd.nextInt(4) == 0) {
            sb.append('.');
        }
        for (int i = 0; i < f; i++) {
            sb.append(hex.charAt(rnd.nextInt(hex.length())));
        }
        if (rnd.nextInt(3) > 0) {
            sb.append(rnd.nextBoolean() ? 'p' : 'P');
            if (rnd.nextBoolean()) {
                sb.append(rnd.nextBoolean() ? '-' : '+');
            }
            sb.append(rnd.nextInt(5) == 0 ? rnd.nextInt(17000) : rnd.nextInt(5) == 0 ? 1000 + rnd.nextInt(100)
                    : rnd.nextInt(70));
        }
        return sb.toString();
    }

    @Test
    void bigIntegerSanity() {
        // The unsigned BigInteger helper inside LongDouble is exercised through of(long).
        assertEquals(new BigDecimal(new BigInteger("9223372036854775808")).negate(),
                LongDouble.of(Long.MIN_VALUE).toBigDecimal());
        assertArrayEquals(b("-9223372036854775808"), LongDouble.of(Long.MIN_VALUE).toHumanString());
    }
}
