package io.redjar.internal.structure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redjar.internal.memory.NativeMemory;
import io.redjar.internal.memory.SizeClasses;
import io.redjar.internal.memory.SlabAllocator;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Listpack against a {@code List<byte[]>} model: random operations with a seeded {@link Random}
 * (the seed is in every failure message; rerun with {@code -Dredjar.seed=N}), checking every
 * element both ways, seek, find, the byte size against an independent size model, the block's
 * validity and the allocator's accounting after every operation.
 */
class ListpackTest {
    private static final BigInteger MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private SlabAllocator alloc;

    @BeforeEach
    void setUp() {
        alloc = new SlabAllocator();
    }

    @AfterEach
    void tearDown() {
        alloc.close();
    }

    // ---------------------------------------------------------------- independent model of sizes

    /** Canonical integer per lpStringToInt64, decided without the production parser. */
    static boolean modelIsInt(byte[] s) {
        String t = new String(s, StandardCharsets.ISO_8859_1);
        if (!t.matches("0|-?[1-9][0-9]{0,19}")) {
            return false;
        }
        BigInteger v = new BigInteger(t);
        return v.compareTo(MIN) >= 0 && v.compareTo(MAX) <= 0;
    }

    static long modelEncodedSize(byte[] s) {
        if (modelIsInt(s)) {
            long v = Long.parseLong(new String(s, StandardCharsets.ISO_8859_1));
            if (v >= 0 && v < 128) {
                return 1;
            }
            if (v >= -(1 << 12) && v < (1 << 12)) {
                return 2;
            }
            if (v >= -(1 << 15) && v < (1 << 15)) {
                return 3;
            }
            if (v >= -(1 << 23) && v < (1 << 23)) {
                return 4;
            }
            if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
                return 5;
            }
            return 9;
        }
        int n = s.length;
        return n <= 63 ? 1 + n : n <= 4095 ? 2 + n : 5 + n;
    }

    static long modelEntrySize(byte[] s) {
        long l = modelEncodedSize(s);
        int back = l < 128 ? 1 : l < 16383 ? 2 : l < 2097151 ? 3 : l < 268435455 ? 4 : 5;
        return l + back;
    }

    static long modelBytes(List<byte[]> model) {
        long n = 7;
        for (byte[] s : model) {
            n += modelEntrySize(s);
        }
        return n;
    }

    // ---------------------------------------------------------------- values

    static final String[] BOUNDARIES = {
        "0", "-0", "00", "12", "012", "+12", " 12", "12 ", "-", "", "1e3", "0x10", "-012",
        "127", "128", "-1", "-128", "4095", "4096", "-4096", "-4097",
        "32767", "32768", "-32768", "-32769", "8388607", "8388608", "-8388608", "-8388609",
        "2147483647", "2147483648", "-2147483648", "-2147483649",
        String.valueOf(Long.MAX_VALUE), String.valueOf(Long.MIN_VALUE),
        "9223372036854775808", "-9223372036854775809", "99999999999999999999", "-99999999999999999999",
        "123456789012345678901",
    };

    static byte[] randomValue(Random r) {
        int k = r.nextInt(20);
        switch (k) {
            case 0: case 1: case 2: case 3:
                return BOUNDARIES[r.nextInt(BOUNDARIES.length)].getBytes(StandardCharsets.US_ASCII);
            case 4: case 5:
                return Long.toString(r.nextLong()).getBytes(StandardCharsets.US_ASCII);
            case 6: case 7: {
                int bits = 1 + r.nextInt(63);
                long v = r.nextLong() >> (64 - bits);
                return Long.toString(v).getBytes(StandardCharsets.US_ASCII);
            }
            case 8: {
                int[] lens = {0, 1, 62, 63, 64, 65, 125, 126, 127, 4094, 4095, 4096, 4097};
                return randomBytes(r, lens[r.nextInt(lens.length)]);
            }
            case 9:
                if (r.nextInt(8) == 0) {
                    // encoded length 16382 / 16383: 2- and 3-byte backlens
                    return randomBytes(r, 16377 + r.nextInt(2));
                }
                return randomBytes(r, r.nextInt(300));
            default:
                return randomBytes(r, r.nextInt(12));
        }
    }

    static byte[] randomBytes(Random r, int len) {
        byte[] b = new byte[len];
        if (r.nextBoolean()) {
            r.nextBytes(b);
        } else {
            for (int i = 0; i < len; i++) {
                b[i] = (byte) (r.nextBoolean() ? '0' + r.nextInt(10) : 'a' + r.nextInt(26));
            }
        }
        return b;
    }

    // ---------------------------------------------------------------- checks

    private void check(long lp, List<byte[]> model, long baseline, Random r) {
        Listpack.validate(lp, -1);
        int n = model.size();
        assertEquals(modelBytes(model), Listpack.bytes(lp), "byte size");
        assertEquals(SizeClasses.blockSize(Listpack.bytes(lp)), alloc.usedBytes() - baseline, "allocator accounting");
        assertEquals(n, Listpack.length(lp), "length");
        int pos = Listpack.first(lp);
        byte[] buf = new byte[5000 + 16384];
        for (int i = 0; i < n; i++) {
            assertTrue(pos >= 0, "forward iteration ended early at " + i);
            byte[] want = model.get(i);
            assertArrayEquals(want, Listpack.get(lp, pos), "element " + i);
            assertEquals(want.length, Listpack.valueLength(lp, pos));
            assertEquals(want.length, Listpack.copyTo(lp, pos, buf, 3));
            assertArrayEquals(want, Arrays.copyOfRange(buf, 3, 3 + want.length));
            assertTrue(Listpack.equals(lp, pos, want, 0, want.length));
            boolean isInt = modelIsInt(want);
            assertEquals(isInt, Listpack.isInteger(lp, pos), "integer encoding of element " + i);
            if (isInt) {
                assertEquals(Long.parseLong(new String(want, StandardCharsets.US_ASCII)), Listpack.getLong(lp, pos));
            }
            assertEquals(modelEntrySize(want), Listpack.entrySize(lp, pos));
            pos = Listpack.next(lp, pos);
        }
        assertEquals(-1, pos, "forward iteration too long");
        pos = Listpack.last(lp);
        for (int i = n - 1; i >= 0; i--) {
            assertTrue(pos >= 0, "backward iteration ended early at " + i);
            assertArrayEquals(model.get(i), Listpack.get(lp, pos), "backward element " + i);
            pos = Listpack.prev(lp, pos);
        }
        assertEquals(-1, pos, "backward iteration too long");
        // seek, both signs, and out of range
        for (int k = 0; k < 4 && n > 0; k++) {
            int i = r.nextInt(n);
            assertArrayEquals(model.get(i), Listpack.get(lp, Listpack.seek(lp, i)), "seek " + i);
            assertArrayEquals(model.get(i), Listpack.get(lp, Listpack.seek(lp, i - n)), "seek " + (i - n));
        }
        assertEquals(-1, Listpack.seek(lp, n));
        assertEquals(-1, Listpack.seek(lp, -n - 1));
        // find: a present value (first occurrence) and a random probe
        if (n > 0) {
            byte[] v = model.get(r.nextInt(n));
            int found = Listpack.find(lp, Listpack.first(lp), v, 0, v.length, 0);
            assertEquals(indexOf(model, v, 0), indexAt(lp, found), "find");
        }
        byte[] probe = randomValue(r);
        assertEquals(indexOf(model, probe, 0), indexAt(lp, Listpack.find(lp, Listpack.first(lp), probe, 0, probe.length, 0)),
            "find probe");
        assertEquals(indexOf(model, probe, 1), indexAt(lp, Listpack.find(lp, Listpack.first(lp), probe, 0, probe.length, 1)),
            "find probe with skip 1");
    }

    private static int indexOf(List<byte[]> model, byte[] v, int skip) {
        for (int i = 0; i < model.size(); i += skip + 1) {
            if (Arrays.equals(model.get(i), v)) {
                return i;
            }
        }
        return -1;
    }

    private static int indexAt(long lp, int pos) {
        if (pos < 0) {
            return -1;
        }
        int i = 0;
        for (int p = Listpack.first(lp); p != pos; p = Listpack.next(lp, p)) {
            i++;
        }
        return i;
    }

    // ---------------------------------------------------------------- tests

    @Test
    void randomOperationsMatchTheModel() {
        long base = Long.getLong("redjar.seed", System.nanoTime());
        for (int round = 0; round < 12; round++) {
            long seed = base + round;
            try {
                runModel(seed, 400);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("seed=" + seed + " (rerun with -Dredjar.seed=" + seed + "): " + e.getMessage(), e);
            }
        }
    }

    private void runModel(long seed, int ops) {
        Random r = new Random(seed);
        long baseline = alloc.usedBytes();
        List<byte[]> model = new ArrayList<>();
        long lp = Listpack.create(alloc);
        check(lp, model, baseline, r);
        for (int op = 0; op < ops; op++) {
            int n = model.size();
            int kind = r.nextInt(n > 120 ? 12 : 9);
            byte[] v = randomValue(r);
            int off = 0;
            int len = v.length;
            if (len > 2 && r.nextInt(4) == 0) { // a slice, to exercise off/len
                byte[] padded = new byte[len + 5];
                System.arraycopy(v, 0, padded, 2, len);
                v = padded;
                off = 2;
            }
            byte[] val = Arrays.copyOfRange(v, off, off + len);
            if (n == 0 && kind >= 3) {
                kind = 0;
            }
            switch (kind) {
                case 0:
                    lp = Listpack.append(alloc, lp, v, off, len);
                    model.add(val);
                    break;
                case 1:
                    lp = Listpack.prepend(alloc, lp, v, off, len);
                    model.add(0, val);
                    break;
                case 2: {
                    int i = r.nextInt(n + 1); // n: before the terminator
                    int pos = i == n ? Listpack.bytes(lp) - 1 : Listpack.seek(lp, i);
                    lp = Listpack.insertBefore(alloc, lp, pos, v, off, len);
                    model.add(i, val);
                    assertArrayEquals(val, Listpack.get(lp, pos), "inserted element is at pos");
                    break;
                }
                case 3: {
                    int i = r.nextInt(n);
                    int pos = Listpack.seek(lp, i);
                    int newPos = pos + Listpack.entrySize(lp, pos);
                    lp = Listpack.insertAfter(alloc, lp, pos, v, off, len);
                    model.add(i + 1, val);
                    assertArrayEquals(val, Listpack.get(lp, newPos));
                    break;
                }
                case 4: case 5: {
                    int i = r.nextInt(n);
                    int pos = Listpack.seek(lp, i - n);
                    lp = Listpack.replace(alloc, lp, pos, v, off, len);
                    model.set(i, val);
                    break;
                }
                case 6: {
                    long x = r.nextBoolean() ? r.nextLong() : r.nextInt(20000) - 10000;
                    int i = r.nextInt(n);
                    lp = Listpack.replaceLong(alloc, lp, Listpack.seek(lp, i), x);
                    model.set(i, Long.toString(x).getBytes(StandardCharsets.US_ASCII));
                    break;
                }
                case 7: {
                    long x = r.nextLong() >> r.nextInt(64);
                    if (r.nextBoolean()) {
                        lp = Listpack.appendLong(alloc, lp, x);
                        model.add(Long.toString(x).getBytes(StandardCharsets.US_ASCII));
                    } else {
                        lp = Listpack.prependLong(alloc, lp, x);
                        model.add(0, Long.toString(x).getBytes(StandardCharsets.US_ASCII));
                    }
                    break;
                }
                case 8: case 9: {
                    int i = r.nextInt(n);
                    int pos = Listpack.seek(lp, i);
                    lp = Listpack.delete(alloc, lp, pos);
                    model.remove(i);
                    if (i < model.size()) {
                        assertArrayEquals(model.get(i), Listpack.get(lp, pos), "next element at pos after delete");
                    } else {
                        assertTrue(Listpack.isEnd(lp, pos));
                    }
                    break;
                }
                default: {
                    int i = r.nextInt(n);
                    long index = r.nextBoolean() ? i : i - n;
                    int count = r.nextInt(r.nextBoolean() ? 5 : n + 3);
                    lp = Listpack.deleteRange(alloc, lp, index, count);
                    for (int k = 0; k < count && i < model.size(); k++) {
                        model.remove(i);
                    }
                    break;
                }
            }
            check(lp, model, baseline, r);
        }
        Listpack.free(alloc, lp);
        assertEquals(baseline, alloc.usedBytes(), "allocator back to baseline");
    }

    @Test
    void emptyListpackIsSevenBytes() {
        long before = alloc.usedBytes();
        long lp = Listpack.create(alloc);
        assertEquals(7, Listpack.bytes(lp));
        assertEquals(0, Listpack.length(lp));
        assertEquals(-1, Listpack.first(lp));
        assertEquals(-1, Listpack.last(lp));
        assertEquals(-1, Listpack.seek(lp, 0));
        assertEquals(-1, Listpack.seek(lp, -1));
        assertEquals(0xFF, NativeMemory.getByte(lp + 6) & 0xFF);
        Listpack.validate(lp, 7);
        lp = Listpack.deleteRange(alloc, lp, 0, 10);
        assertEquals(7, Listpack.bytes(lp));
        Listpack.free(alloc, lp);
        assertEquals(before, alloc.usedBytes());
    }

    @Test
    void knownEncodingsByteForByte() {
        long lp = Listpack.create(alloc);
        lp = Listpack.append(alloc, lp, ascii("7"));        // 07 01
        lp = Listpack.append(alloc, lp, ascii("-1"));       // DF FF 02 (13-bit: 0x1FFF)
        lp = Listpack.append(alloc, lp, ascii("ab"));       // 82 61 62 03
        lp = Listpack.append(alloc, lp, ascii("012"));      // 83 30 31 32 04
        lp = Listpack.append(alloc, lp, ascii("-0"));       // 82 2D 30 03
        lp = Listpack.append(alloc, lp, ascii("1000"));     // C3 E8 02
        lp = Listpack.append(alloc, lp, ascii("-32768"));   // F1 00 80 03
        byte[] body = NativeMemory.toArray(lp, Listpack.bytes(lp));
        byte[] want = {
            38, 0, 0, 0, 7, 0,
            0x07, 0x01,
            (byte) 0xDF, (byte) 0xFF, 0x02,
            (byte) 0x82, 'a', 'b', 0x03,
            (byte) 0x83, '0', '1', '2', 0x04,
            (byte) 0x82, '-', '0', 0x03,
            (byte) 0xC3, (byte) 0xE8, 0x02,
            (byte) 0xF1, 0x00, (byte) 0x80, 0x03,
            (byte) 0xFF,
        };
        want[0] = (byte) want.length;
        assertArrayEquals(want, body);
        Listpack.free(alloc, lp);
    }

    @Test
    void backlenThresholds() {
        long p = NativeMemory.allocate(16);
        try {
            long[] values = {0, 1, 127, 128, 16382, 16383, 16384, 2097150, 2097151, 2097152,
                268435454, 268435455, 268435456, Integer.MAX_VALUE};
            int[] sizes = {1, 1, 1, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5, 5};
            for (int i = 0; i < values.length; i++) {
                int n = ListpackDescriptor.writeBacklen(p, (int) values[i]);
                assertEquals(sizes[i], n, "backlen size of " + values[i]);
                assertEquals(sizes[i], ListpackDescriptor.backlenSize(values[i]));
                assertEquals(values[i], ListpackDescriptor.decodeBacklen(p + n - 1), "decode " + values[i]);
                assertEquals(0, NativeMemory.getByte(p) & 0x80, "first byte has no continuation bit");
            }
        } finally {
            NativeMemory.free(p);
        }
    }

    @Test
    void integerStringsAreStoredAsIntegersOnlyWhenCanonical() {
        String[] ints = {"0", "12", "-1", String.valueOf(Long.MAX_VALUE), String.valueOf(Long.MIN_VALUE)};
        String[] strs = {"-0", "012", "+1", " 1", "1 ", "", "-", "9223372036854775808", "-9223372036854775809", "1.0"};
        long lp = Listpack.create(alloc);
        for (String s : ints) {
            lp = Listpack.append(alloc, lp, ascii(s));
            assertTrue(Listpack.isInteger(lp, Listpack.last(lp)), s);
            assertArrayEquals(ascii(s), Listpack.get(lp, Listpack.last(lp)));
        }
        for (String s : strs) {
            lp = Listpack.append(alloc, lp, ascii(s));
            assertFalse(Listpack.isInteger(lp, Listpack.last(lp)), s);
            assertArrayEquals(ascii(s), Listpack.get(lp, Listpack.last(lp)));
        }
        // find compares integers by their decimal text
        int first = Listpack.first(lp);
        assertEquals(indexAt(lp, Listpack.find(lp, first, ascii("12"), 0, 2, 0)), 1);
        assertEquals(indexAt(lp, Listpack.find(lp, first, ascii("012"), 0, 3, 0)), 6);
        assertEquals(-1, Listpack.find(lp, first, ascii("+12"), 0, 3, 0));
        assertEquals(indexAt(lp, Listpack.find(lp, first, ascii("-0"), 0, 2, 0)), 5);
        Listpack.validate(lp, -1);
        Listpack.free(alloc, lp);
    }

    @Test
    void countSaturatesAt65535AndIsRecountedBelowIt() {
        long base = alloc.usedBytes();
        long lp = Listpack.create(alloc);
        int n = 65540;
        for (int i = 0; i < n; i++) {
            lp = Listpack.appendLong(alloc, lp, i % 100);
        }
        assertEquals(ListpackDescriptor.NUM_ELEMENTS_UNKNOWN, ListpackDescriptor.numElementsField(lp));
        assertEquals(n, Listpack.length(lp));
        assertEquals(ListpackDescriptor.NUM_ELEMENTS_UNKNOWN, ListpackDescriptor.numElementsField(lp));
        assertEquals(7 + 2L * n, Listpack.bytes(lp));
        assertEquals((n - 1) % 100, Listpack.getLong(lp, Listpack.seek(lp, -1)));
        assertEquals((n - 1) % 100, Listpack.getLong(lp, Listpack.seek(lp, n - 1)));
        assertEquals((n - 95) % 100, Listpack.getLong(lp, Listpack.seek(lp, -95)));
        assertEquals(1234 % 100, Listpack.getLong(lp, Listpack.seek(lp, 1234)));
        assertEquals(-1, Listpack.seek(lp, n));
        Listpack.validate(lp, -1);
        lp = Listpack.deleteRange(alloc, lp, 0, 10);
        assertEquals(ListpackDescriptor.NUM_ELEMENTS_UNKNOWN, ListpackDescriptor.numElementsField(lp));
        assertEquals(n - 10, Listpack.length(lp));
        assertEquals(n - 10, ListpackDescriptor.numElementsField(lp), "header refreshed by length()");
        lp = Listpack.delete(alloc, lp, Listpack.first(lp));
        assertEquals(n - 11, Listpack.length(lp));
        Listpack.validate(lp, -1);
        Listpack.free(alloc, lp);
        assertEquals(base, alloc.usedBytes());
    }

    @Test
    void fourByteBacklenEntry() {
        long lp = Listpack.create(alloc);
        byte[] big = new byte[2097151 - 5]; // encoded length 2097151: a 4-byte backlen
        Arrays.fill(big, (byte) 'x');
        lp = Listpack.append(alloc, lp, ascii("a"));
        lp = Listpack.append(alloc, lp, big);
        lp = Listpack.append(alloc, lp, ascii("b"));
        assertEquals(7 + 3 + (2097151 + 4) + 3, Listpack.bytes(lp));
        assertArrayEquals(ascii("a"), Listpack.get(lp, Listpack.prev(lp, Listpack.seek(lp, 1))));
        assertArrayEquals(big, Listpack.get(lp, Listpack.seek(lp, -2)));
        Listpack.validate(lp, -1);
        Listpack.free(alloc, lp);
    }

    @Test
    void safetyLimitIsOneGibibyte() {
        long lp = Listpack.create(alloc);
        assertTrue(Listpack.safeToAdd(lp, (1L << 30) - 7));
        assertFalse(Listpack.safeToAdd(lp, (1L << 30) - 6));
        assertTrue(Listpack.safeToAdd(0, 1L << 30));
        Listpack.free(alloc, lp);
    }

    @Test
    void validateDetectsCorruption() {
        long lp0 = Listpack.create(alloc);
        lp0 = Listpack.append(alloc, lp0, ascii("hello"));
        final long lp = Listpack.append(alloc, lp0, ascii("12"));
        Listpack.validate(lp, Listpack.bytes(lp));
        NativeMemory.putByte(lp + 6 + 6, (byte) 7); // backlen of "hello": 6 -> 7
        assertThrows(IllegalStateException.class, () -> Listpack.validate(lp, -1));
        NativeMemory.putByte(lp + 6 + 6, (byte) 6);
        NativeMemory.putByte(lp + 4, (byte) 3); // wrong count
        assertThrows(IllegalStateException.class, () -> Listpack.validate(lp, -1));
        NativeMemory.putByte(lp + 4, (byte) 2);
        NativeMemory.putByte(lp + 7, (byte) '1'); // "hello" -> "1ello" still a string: fine
        Listpack.validate(lp, -1);
        Listpack.free(alloc, lp);
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
