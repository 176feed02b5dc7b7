package io.redjar.internal.util;

import io.redjar.RedJarException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SizesTest {
    static final long LIMIT = Sizes.DEFAULT_PROTO_MAX_BULK_LEN;

    @Test
    void stringLengthIsCheckedBeforeTheSumIsFormed() {
        assertEquals(7, Sizes.checkStringLength(5, 2, LIMIT));
        assertEquals((int) LIMIT, Sizes.checkStringLength(LIMIT - 1, 1, LIMIT));
        for (long[] bad : new long[][] {{LIMIT, 1}, {Long.MAX_VALUE, 1}, {Long.MAX_VALUE - 1, 2}, {1, Long.MAX_VALUE},
            {Long.MAX_VALUE, Long.MAX_VALUE}, {-1, 1}, {1, -1}, {Long.MIN_VALUE, 0}}) {
            RedJarException e = assertThrows(RedJarException.class, () -> Sizes.checkStringLength(bad[0], bad[1], LIMIT));
            assertEquals(Sizes.STRING_TOO_LONG, e.getMessage());
        }
        // a proto-max-bulk-len beyond what a value can hold is capped, never truncated to an int
        assertThrows(RedJarException.class, () -> Sizes.checkStringLength(Integer.MAX_VALUE, 1, Long.MAX_VALUE));
        assertThrows(RedJarException.class, () -> Sizes.checkStringLength(4L << 30, Long.MAX_VALUE));
        assertEquals(Sizes.MAX_VALUE_BYTES, Sizes.checkStringLength(Sizes.MAX_VALUE_BYTES, Long.MAX_VALUE));
    }

    @Test
    void addMultiplyAndToIntNeverWrap() {
        assertEquals(Long.MAX_VALUE, Sizes.add(Long.MAX_VALUE - 1, 1, "ERR x"));
        assertEquals("ERR x", assertThrows(RedJarException.class, () -> Sizes.add(Long.MAX_VALUE, 1, "ERR x")).getMessage());
        assertThrows(RedJarException.class, () -> Sizes.add(-1, 1, "ERR x"));
        assertEquals(1L << 62, Sizes.multiply(1L << 31, 1L << 31, "ERR x"));
        assertThrows(RedJarException.class, () -> Sizes.multiply(1L << 32, 1L << 31, "ERR x"));
        assertThrows(RedJarException.class, () -> Sizes.multiply(3, Long.MAX_VALUE / 2, "ERR x"));
        assertThrows(RedJarException.class, () -> Sizes.multiply(-1, 2, "ERR x"));
        assertEquals(0, Sizes.multiply(0, Long.MAX_VALUE, "ERR x"));
        assertEquals(Integer.MAX_VALUE, Sizes.toInt(Integer.MAX_VALUE, "ERR x"));
        assertThrows(RedJarException.class, () -> Sizes.toInt(1L << 32, "ERR x")); // (int) would give 0
        assertThrows(RedJarException.class, () -> Sizes.toInt(-1, "ERR x"));
    }

    @Test
    void allocationSizesOutsideTheRangeAreRejected() {
        assertEquals(1, Sizes.checkAllocation(1));
        assertEquals(Sizes.MAX_ALLOCATION, Sizes.checkAllocation(Sizes.MAX_ALLOCATION));
        for (long bad : new long[] {0, -1, Long.MIN_VALUE, Long.MAX_VALUE, Sizes.MAX_ALLOCATION + 1}) {
            assertThrows(IllegalArgumentException.class, () -> Sizes.checkAllocation(bad));
        }
    }

    @Test
    void randomCounts() {
        assertEquals(Sizes.NOT_LONG_MAX_RANGE,
            assertThrows(RedJarException.class, () -> Sizes.checkLongMaxRange(Long.MIN_VALUE)).getMessage());
        assertEquals(-Long.MAX_VALUE, Sizes.checkLongMaxRange(-Long.MAX_VALUE));
        assertEquals(Long.MAX_VALUE, Sizes.checkRandomCount(Long.MAX_VALUE));
        assertEquals(-5, Sizes.checkRandomCount(-5));
        assertEquals(Sizes.OUT_OF_RANGE,
            assertThrows(RedJarException.class, () -> Sizes.checkRandomCount(-Long.MAX_VALUE)).getMessage());
    }

    @Test
    void lcsTableSizeSaturates() {
        assertEquals(4L * 11 * 21, Lcs.tableBytes(10, 20));
        assertEquals(Long.MAX_VALUE, Lcs.tableBytes(Integer.MAX_VALUE, Integer.MAX_VALUE * 2L));
        assertEquals(Long.MAX_VALUE, Lcs.tableBytes(Long.MAX_VALUE, 0));
        assertEquals(Long.MAX_VALUE, Lcs.tableBytes(1L << 31, 1L << 31)); // 2^62 cells * 4 bytes
    }
}
