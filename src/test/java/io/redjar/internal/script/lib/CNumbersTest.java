package io.redjar.internal.script.lib;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link CNumbers} against C's printf/strtod results (expected values printed by a C-compatible printf). */
class CNumbersTest {
    private static final Object[][] G = {
        {0.1, "0.1", "0.1", "0.1"},
        {0.3333333333333333, "0.33333333333333", "0.333", "0.3"},
        {0.6666666666666666, "0.66666666666667", "0.667", "0.7"},
        {1000000000000000.0, "1e+15", "1e+15", "1e+15"},
        {100000000000000.0, "1e+14", "1e+14", "1e+14"},
        {123456789012345.0, "1.2345678901234e+14", "1.23e+14", "1e+14"},
        {0.0001, "0.0001", "0.0001", "0.0001"},
        {1e-05, "1e-05", "1e-05", "1e-05"},
        {0.00012345, "0.00012345", "0.000123", "0.0001"},
        {1e+300, "1e+300", "1e+300", "1e+300"},
        {-1e-300, "-1e-300", "-1e-300", "-1e-300"},
        {9007199254740992.0, "9.007199254741e+15", "9.01e+15", "9e+15"},
        {9.223372036854776e+18, "9.2233720368548e+18", "9.22e+18", "9e+18"},
        {-2147483648.0, "-2147483648", "-2.15e+09", "-2e+09"},
        {0.5, "0.5", "0.5", "0.5"},
        {100.0, "100", "100", "1e+02"},
        {1e+21, "1e+21", "1e+21", "1e+21"},
        {1.5e-07, "1.5e-07", "1.5e-07", "1e-07"},
        {99999999999999.5, "1e+14", "1e+14", "1e+14"},
        {9.99999999999995e+20, "1e+21", "1e+21", "1e+21"},
        {5e-324, "4.9406564584125e-324", "4.94e-324", "5e-324"},
        {1.7976931348623157e+308, "1.7976931348623e+308", "1.8e+308", "2e+308"},
        {0.15, "0.15", "0.15", "0.1"},
        {25.0, "25", "25", "2e+01"},
        {0.25, "0.25", "0.25", "0.2"},
        {2.5, "2.5", "2.5", "2"},
        {1e+100, "1e+100", "1e+100", "1e+100"},
        {123.456, "123.456", "123", "1e+02"},
    };

    @Test
    void formatGMatchesPrintf() {
        for (Object[] row : G) {
            double v = (Double) row[0];
            assertEquals(row[1], CNumbers.formatG(v, 14), "%.14g of " + v);
            assertEquals(row[2], CNumbers.formatG(v, 3), "%.3g of " + v);
            assertEquals(row[3], CNumbers.formatG(v, 1), "%.1g of " + v);
        }
        assertEquals("0", CNumbers.formatG(0.0, 14));
        assertEquals("-0", CNumbers.formatG(-0.0, 14));
        assertEquals("inf", CNumbers.formatG(Double.POSITIVE_INFINITY, 14));
        assertEquals("-inf", CNumbers.formatG(Double.NEGATIVE_INFINITY, 14));
        assertEquals("nan", CNumbers.formatG(Double.longBitsToDouble(0x7ff8000000000000L), 14));
        assertEquals("-nan", CNumbers.formatG(Double.longBitsToDouble(0xfff8000000000000L), 14));
    }

    private static CNumbers.Parsed strtod(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        return CNumbers.strtod(b, 0, b.length);
    }

    private static void parses(String s, double value, int end) {
        CNumbers.Parsed p = strtod(s);
        assertEquals(end, p.end(), "end of " + s);
        assertEquals(value, p.value(), 0.0, "value of " + s);
    }

    @Test
    void strtodAcceptsWhatGlibcAccepts() {
        parses("12", 12, 2);
        parses("-1.5e3x", -1500, 6);
        parses("1e", 1, 1);
        parses("1e+", 1, 1);
        parses(".5", 0.5, 2);
        parses("5.", 5, 2);
        parses("+7", 7, 2);
        parses("  3", 3, 3);
        parses("0x10", 16, 4);
        parses("0x1.8p1", 3, 7);
        parses("0x", 0, 1);
        parses("0xg", 0, 1);
        parses("0x1p", 1, 3);
        parses("inf", Double.POSITIVE_INFINITY, 3);
        parses("-Infinity", Double.NEGATIVE_INFINITY, 9);
        parses("infinit", Double.POSITIVE_INFINITY, 3);
        parses("1e400", Double.POSITIVE_INFINITY, 5);
        parses("1e-400", 0, 6);
        parses("0.1", 0.1, 3);
        parses("12\u0000345", 12, 2);
        assertTrue(Double.isNaN(strtod("nan").value()));
        assertEquals(8, strtod("nan(abc)").end());
        assertEquals(3, strtod("nan(abc").end());
        assertEquals(0, strtod("-").end());
        assertEquals(0, strtod("x").end());
        assertEquals(0, strtod("").end());
    }

    @Test
    void luaStr2dIsLuaToNumber() {
        byte[] b = " 0x1A \t".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(26.0, CNumbers.luaStr2d(b, 0, b.length));
        byte[] bad = "1 2".getBytes(StandardCharsets.ISO_8859_1);
        assertNull(CNumbers.luaStr2d(bad, 0, bad.length));
        byte[] empty = new byte[0];
        assertNull(CNumbers.luaStr2d(empty, 0, 0));
    }

    @Test
    void conversionsBehaveLikeX86() {
        assertEquals(Long.MIN_VALUE, CNumbers.cvttsd2si64(Double.NaN));
        assertEquals(Long.MIN_VALUE, CNumbers.cvttsd2si64(1e19));
        assertEquals(-3, CNumbers.cvttsd2si64(-3.9));
        assertEquals(Integer.MIN_VALUE, CNumbers.cvttsd2si32(3e9));
        assertEquals(2147483647, CNumbers.cvttsd2si32(2147483647.5));
        assertEquals(Long.MIN_VALUE, CNumbers.toUnsigned64(0x1p63));
        assertEquals(-1L << 11, CNumbers.toUnsigned64(0x1p64 - 0x1p11));
        assertEquals(0L, CNumbers.toUnsigned64(0x1p64));
    }
}
