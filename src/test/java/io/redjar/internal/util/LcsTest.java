package io.redjar.internal.util;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class LcsTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void redisDocumentationExample() {
        Lcs.Result r = Lcs.compute(b("ohmytext"), b("mynewtext"));
        assertArrayEquals(b("mytext"), r.lcs());
        assertEquals(6, r.length());
        assertEquals(List.of(new Lcs.Match(4, 7, 5, 8, 4), new Lcs.Match(2, 3, 0, 1, 2)), r.matches());
        assertEquals(List.of(new Lcs.Match(4, 7, 5, 8, 4)), r.matches(4));
        assertEquals(r.matches(), r.matches(-5));
        assertEquals(r.matches(), r.matches(0));
        assertEquals(List.of(), r.matches(5));
        assertEquals(6, Lcs.length(b("ohmytext"), b("mynewtext")));
    }

    @Test
    void edgeCases() {
        Lcs.Result empty = Lcs.compute(b(""), b("abc"));
        assertEquals(0, empty.length());
        assertEquals(List.of(), empty.matches());
        assertEquals(0, Lcs.compute(b("abc"), b("xyz")).length());
        Lcs.Result same = Lcs.compute(b("abc"), b("abc"));
        assertEquals(List.of(new Lcs.Match(0, 2, 0, 2, 3)), same.matches());
        // Slices: indexes are relative to the slices.
        Lcs.Result sliced = Lcs.compute(b("__abc__"), 2, 3, b("-abc"), 1, 3);
        assertEquals(same, sliced);
        assertThrows(IndexOutOfBoundsException.class, () -> Lcs.compute(b("ab"), 1, 5, b("x"), 0, 1));
        assertEquals(4 * 2 * 3, Lcs.tableBytes(1, 2));
        // The result is immutable.
        byte[] copy = same.lcs();
        copy[0] = 'z';
        assertArrayEquals(b("abc"), same.lcs());
        assertThrows(UnsupportedOperationException.class, () -> same.matches().clear());
    }

    @Test
    void lengthAgreesWithTable() {
        long seed = io.redjar.testing.Seeds.seed();
        System.out.println("LcsTest.lengthAgreesWithTable seed=" + seed);
        Random rnd = new Random(seed);
        for (int n = 0; n < 2000; n++) {
            byte[] x = random(rnd, rnd.nextInt(30), 3);
            byte[] y = random(rnd, rnd.nextInt(30), 3);
            Lcs.Result r = Lcs.compute(x, y);
            assertEquals(r.length(), Lcs.length(x, y), "seed " + seed);
            assertEquals(r.length(), Lcs.length(y, x), "seed " + seed);
            int sum = 0;
            for (Lcs.Match m : r.matches()) {
                sum += m.length();
                assertEquals(m.aEnd() - m.aStart(), m.bEnd() - m.bStart());
                for (int k = 0; k < m.length(); k++) {
                    assertEquals(x[m.aStart() + k], y[m.bStart() + k]);
                }
            }
            assertEquals(r.length(), sum, "ranges cover the LCS, seed " + seed);
            assertTrue(isSubsequence(r.lcs(), x) && isSubsequence(r.lcs(), y), "seed " + seed);
        }
    }

    private static boolean isSubsequence(byte[] s, byte[] of) {
        int i = 0;
        for (int j = 0; j < of.length && i < s.length; j++) {
            if (of[j] == s[i]) {
                i++;
            }
        }
        return i == s.length;
    }

    private static byte[] random(Random rnd, int len, int alphabet) {
        byte[] out = new byte[len];
        for (int i = 0; i < len; i++) {
            out[i] = rnd.nextInt(10) == 0 ? (byte) (0x80 + rnd.nextInt(2)) : (byte) ('a' + rnd.nextInt(alphabet));
        }
        return out;
    }

    /** Renders a result the way {@code LCS a b IDX [MINMATCHLEN n] [WITHMATCHLEN]} replies in RESP2. */
    private static List<Object> renderIdx(Lcs.Result r, long minMatchLen, boolean withMatchLen) {
        List<Object> matches = new ArrayList<>();
        for (Lcs.Match m : r.matches(minMatchLen)) {
            List<Object> entry = new ArrayList<>();
            entry.add(List.of((long) m.aStart(), (long) m.aEnd()));
            entry.add(List.of((long) m.bStart(), (long) m.bEnd()));
            if (withMatchLen) {
                entry.add((long) m.length());
            }
            matches.add(entry);
        }
        return List.of("matches", matches, "len", (long) r.length());
    }

    private static Object normalize(Object reply) {
        if (reply instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
        if (reply instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            for (Object o : list) {
                out.add(normalize(o));
            }
            return out;
        }
        return reply;
    }

    @Test
    void matchesRealRedis() {
        long seed = io.redjar.testing.Seeds.seed();
        System.out.println("LcsTest.matchesRealRedis seed=" + seed);
        Random rnd = new Random(seed);
        List<byte[][]> pairs = new ArrayList<>();
        List<Long> mins = new ArrayList<>();
        List<Boolean> withLens = new ArrayList<>();
        for (int n = 0; n < 1500; n++) {
            int alphabet = 1 + rnd.nextInt(4);
            pairs.add(new byte[][] {random(rnd, rnd.nextInt(25), alphabet), random(rnd, rnd.nextInt(25), alphabet)});
            mins.add((long) rnd.nextInt(5) - 1);
            withLens.add(rnd.nextBoolean());
        }
        pairs.add(new byte[][] {b("ohmytext"), b("mynewtext")});
        mins.add(0L);
        withLens.add(true);
        try (RealRedis redis = RealRedis.startOrSkip()) {
            List<Object[]> cmds = new ArrayList<>();
            for (int n = 0; n < pairs.size(); n++) {
                cmds.add(new Object[] {"SET", "a", pairs.get(n)[0]});
                cmds.add(new Object[] {"SET", "b", pairs.get(n)[1]});
                cmds.add(new Object[] {"LCS", "a", "b"});
                cmds.add(new Object[] {"LCS", "a", "b", "LEN"});
                if (withLens.get(n)) {
                    cmds.add(new Object[] {"LCS", "a", "b", "IDX", "MINMATCHLEN", mins.get(n).toString(), "WITHMATCHLEN"});
                } else {
                    cmds.add(new Object[] {"LCS", "a", "b", "IDX", "MINMATCHLEN", mins.get(n).toString()});
                }
            }
            List<Object> replies = redis.pipeline(cmds);
            for (int n = 0; n < pairs.size(); n++) {
                byte[] x = pairs.get(n)[0];
                byte[] y = pairs.get(n)[1];
                String ctx = "a='" + new String(x, StandardCharsets.ISO_8859_1) + "' b='"
                        + new String(y, StandardCharsets.ISO_8859_1) + "' seed " + seed;
                Lcs.Result r = Lcs.compute(x, y);
                assertArrayEquals((byte[]) replies.get(5 * n + 2), r.lcs(), ctx);
                assertEquals(replies.get(5 * n + 3), (long) r.length(), ctx);
                assertEquals(replies.get(5 * n + 3), (long) Lcs.length(x, y), ctx);
                assertEquals(normalize(replies.get(5 * n + 4)), normalize(renderIdx(r, mins.get(n), withLens.get(n))), ctx);
            }
        }
    }
}
