package io.redjar.internal.util;

import io.redjar.testing.Seeds;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** LZF round trips over seeded inputs of every compressibility, and liblzf's refusals. */
public class LzfTest {
    public static byte[] input(java.util.Random r) {
        int len = 1 + r.nextInt(r.nextBoolean() ? 64 : 20_000);
        byte[] b = new byte[len];
        int alphabet = 1 + r.nextInt(r.nextBoolean() ? 4 : 256);
        for (int i = 0; i < len; i++) {
            if (i > 8 && r.nextInt(4) == 0) {
                int back = 1 + r.nextInt(Math.min(i, 9000));
                b[i] = b[i - back];
            } else {
                b[i] = (byte) r.nextInt(alphabet);
            }
        }
        return b;
    }

    @Test
    void roundTrips() {
        Seeds.run("LzfTest.roundTrips", r -> {
            for (int n = 0; n < 500; n++) {
                byte[] in = input(r);
                byte[] c = Lzf.compress(in, in.length + in.length / 32 + 8);
                assertNotNull(c, "room for the worst case");
                assertArrayEquals(in, Lzf.decompress(c, in.length));
                byte[] tight = Lzf.compress(in, Math.max(1, in.length - 4));
                if (tight != null) {
                    assertTrue(tight.length <= in.length - 4);
                    assertArrayEquals(in, Lzf.decompress(tight, in.length));
                }
            }
        });
    }

    @Test
    void refusesWhatDoesNotFit() {
        byte[] random = new byte[100];
        new java.util.Random(1).nextBytes(random);
        assertNull(Lzf.compress(random, 96));
        assertNull(Lzf.compress(new byte[0], 10));
    }

    @Test
    void compressesRepetition() {
        byte[] in = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".getBytes(StandardCharsets.US_ASCII);
        byte[] c = Lzf.compress(in, in.length - 4);
        assertNotNull(c);
        assertTrue(c.length < 10, "length " + c.length);
    }

    @Test
    void bestCaseRatioStaysUnderTheReadersBound() {
        byte[] zeros = new byte[1 << 20];
        byte[] c = Lzf.compress(zeros, zeros.length);
        assertTrue((long) zeros.length <= (long) c.length * 88 + 64, "ratio " + zeros.length / c.length);
    }

    @Test
    void rejectsCorruptInput() {
        assertNull(Lzf.decompress(new byte[] {(byte) 0xE0, 5, 0}, 20), "a back reference before the start");
        assertNull(Lzf.decompress(new byte[] {5, 'a'}, 6), "a literal run past the input");
        assertNull(Lzf.decompress(new byte[] {0, 'a'}, 2), "shorter than announced");
    }
}
