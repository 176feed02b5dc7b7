package io.redjar.internal.structure;

import io.redjar.internal.memory.NativeMemory;
import io.redjar.internal.memory.SlabAllocator;
import io.redjar.testing.Seeds;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Model-based tests of {@link SkipList} against a {@link TreeSet}, with the member index kept in a
 * {@link NativeDict} over the nodes (as a sorted set will), and a full structural check (links,
 * backward pointers, tail, length, level membership and every span) after each operation.
 */
class SkipListTest {

    /** A model element. */
    record Elem(double score, byte[] member) {
        String key() {
            return new String(member, StandardCharsets.ISO_8859_1);
        }
    }

    /** Redis's order: score with C comparisons (so -0.0 == 0.0), then unsigned memcmp. */
    static final Comparator<Elem> ORDER = (a, b) -> {
        if (a.score < b.score) {
            return -1;
        }
        if (a.score > b.score) {
            return 1;
        }
        return Arrays.compareUnsigned(a.member, b.member);
    };

    static final double[] SCORES = {
        Double.NEGATIVE_INFINITY, -3, -2, -1.5, -1, 0, 0.5, 1, 2, 2.25, 3, Double.POSITIVE_INFINITY
    };

    /** Everything the model test carries. */
    static final class Fixture {
        final SlabAllocator alloc = new SlabAllocator();
        final SkipList sl;
        final NativeDict index;
        final long zsl;
        final long dict;
        final TreeSet<Elem> model = new TreeSet<>(ORDER);
        final Map<String, Elem> byMember = new HashMap<>();

        Fixture(long seed) {
            sl = new SkipList(alloc, new SplittableRandom(seed));
            index = new NativeDict(alloc, SkipListDescriptor.MEMBER_KEYS, false);
            zsl = sl.create();
            dict = index.create();
        }

        long node(byte[] m) {
            return index.get(dict, m, 0, m.length);
        }

        void insert(double score, byte[] m) {
            long x = sl.insert(zsl, score, m);
            index.insert(dict, x);
            Elem e = new Elem(score, m);
            model.add(e);
            byMember.put(e.key(), e);
        }

        void forget(long node) {
            byte[] m = SkipListDescriptor.member(node);
            int slot = index.find(dict, m, 0, m.length);
            assertTrue(slot >= 0, "removed node not in index");
            assertEquals(node, NativeDict.removeAt(dict, slot));
            Elem e = byMember.remove(new String(m, StandardCharsets.ISO_8859_1));
            assertNotNull(e);
            assertEquals(e.score, SkipListDescriptor.score(node));
            assertTrue(model.remove(e));
        }

        void close() {
            sl.free(zsl);
            index.free(dict);
            assertEquals(0, alloc.usedBytes(), "allocator back to baseline");
            alloc.close();
        }
    }

    static byte[] randomMember(Random r) {
        int len = r.nextInt(13); // 0..12, crosses the 8-byte compare step
        byte[] b = new byte[len];
        for (int i = 0; i < len; i++) {
            // small alphabet for shared prefixes, plus bytes >= 0x80 for unsigned order
            int k = r.nextInt(5);
            b[i] = (byte) (k == 4 ? 0x80 + r.nextInt(3) : 'a' + k);
        }
        return b;
    }

    static double randomScore(Random r) {
        return r.nextInt(4) == 0 ? r.nextInt(100) / 7.0 - 7 : SCORES[r.nextInt(SCORES.length)];
    }

    static boolean inScore(double v, double min, boolean minEx, double max, boolean maxEx) {
        boolean lo = minEx ? v > min : v >= min;
        boolean hi = maxEx ? v < max : v <= max;
        return lo && hi;
    }

    /** Walks the whole structure and compares it with the model. */
    static void verify(Fixture f) {
        long zsl = f.zsl;
        List<Elem> list = new ArrayList<>(f.model);
        int n = list.size();
        assertEquals(n, SkipList.length(zsl), "length");
        assertEquals(n, NativeDict.size(f.dict), "index size");
        Map<Long, Integer> rankOf = new HashMap<>();
        long prev = 0;
        long x = SkipList.first(zsl);
        int maxNodeLevel = 1;
        int[] perLevel = new int[SkipList.MAX_LEVEL];
        for (int i = 0; i < n; i++) {
            assertTrue(x != 0, "list ends early at " + i);
            Elem e = list.get(i);
            assertEquals(e.score, SkipListDescriptor.score(x), "score at rank " + (i + 1));
            assertTrue(Arrays.equals(e.member, SkipListDescriptor.member(x)), "member at rank " + (i + 1));
            assertEquals(prev, SkipList.previous(x), "backward at rank " + (i + 1));
            int lvl = SkipListDescriptor.level(x);
            assertTrue(lvl >= 1 && lvl <= SkipList.MAX_LEVEL);
            maxNodeLevel = Math.max(maxNodeLevel, lvl);
            for (int l = 0; l < lvl; l++) {
                perLevel[l]++;
            }
            rankOf.put(x, i + 1);
            assertEquals(x, f.node(e.member), "index points at the node");
            prev = x;
            x = SkipList.next(x);
        }
        assertEquals(0, x, "list longer than model");
        assertEquals(prev, SkipList.last(zsl), "tail");
        int level = SkipList.level(zsl);
        assertEquals(maxNodeLevel, level, "list level is the highest node level");
        for (int l = 0; l < level; l++) {
            long y = zsl;
            long pos = 0;
            int count = 0;
            while (true) {
                long fw = SkipListDescriptor.forward(y, l);
                long span = SkipListDescriptor.span(y, l);
                if (fw == 0) {
                    assertEquals(n - pos, span, "span of the last link at level " + l);
                    break;
                }
                pos += span;
                Integer r = rankOf.get(fw);
                assertNotNull(r, "level " + l + " links to an unknown node");
                assertEquals((long) r, pos, "spans sum to rank at level " + l);
                assertTrue(SkipListDescriptor.level(fw) > l, "node linked above its level");
                count++;
                y = fw;
            }
            assertEquals(perLevel[l], count, "nodes at level " + l);
        }
    }

    @Test
    void modelScores() {
        Seeds.run("skip list score model", SkipListTest::scoreModelRun);
    }

    static void scoreModelRun(Random r) {
        Fixture f = new Fixture(r.nextLong());
        try {
            for (int op = 0; op < 4000; op++) {
                int kind = r.nextInt(100);
                if (kind < 35 || f.model.size() < 5) {
                    byte[] m = randomMember(r);
                    String k = new String(m, StandardCharsets.ISO_8859_1);
                    if (!f.byMember.containsKey(k)) {
                        f.insert(randomScore(r), m);
                    }
                } else if (kind < 45) {
                    byte[] m = randomMember(r);
                    Elem e = f.byMember.get(new String(m, StandardCharsets.ISO_8859_1));
                    double s = e != null && r.nextBoolean() ? e.score : randomScore(r);
                    boolean present = e != null && e.score == s;
                    long node = present ? f.node(m) : 0;
                    if (present) {
                        f.forget(node);
                    }
                    assertEquals(present, f.sl.delete(f.zsl, s, m), "delete result");
                } else if (kind < 50) {
                    Elem e = pick(f, r);
                    long node = f.node(e.member);
                    f.forget(node);
                    f.sl.deleteNode(f.zsl, node);
                } else if (kind < 65) {
                    updateScore(f, r);
                } else if (kind < 75) {
                    checkRanks(f, r);
                } else if (kind < 92) {
                    checkScoreRange(f, r);
                } else if (kind < 96) {
                    deleteScoreRange(f, r);
                } else {
                    deleteRankRange(f, r);
                }
                verify(f);
                if (f.model.size() > 400) {
                    deleteRankRange(f, r);
                }
            }
        } finally {
            f.close();
        }
    }

    static Elem pick(Fixture f, Random r) {
        List<Elem> list = new ArrayList<>(f.model);
        return list.get(r.nextInt(list.size()));
    }

    static void updateScore(Fixture f, Random r) {
        List<Elem> list = new ArrayList<>(f.model);
        int i = r.nextInt(list.size());
        Elem e = list.get(i);
        double ns;
        switch (r.nextInt(4)) {
            case 0:
                ns = e.score; // stays
                break;
            case 1: { // between the neighbours' scores: usually stays in place
                double lo = i > 0 ? list.get(i - 1).score : e.score - 1;
                double hi = i < list.size() - 1 ? list.get(i + 1).score : e.score + 1;
                ns = Double.isInfinite(lo) || Double.isInfinite(hi) ? e.score : lo + (hi - lo) * r.nextDouble();
                if (Double.isNaN(ns)) {
                    ns = e.score;
                }
                break;
            }
            default:
                ns = randomScore(r); // usually moves
        }
        long node = f.node(e.member);
        long before = SkipList.rankOf(f.zsl, node);
        assertEquals(i + 1, before, "rank before update");
        assertEquals(node, f.sl.updateScore(f.zsl, node, ns), "node address is stable");
        f.model.remove(e);
        Elem ne = new Elem(ns, e.member);
        f.model.add(ne);
        f.byMember.put(ne.key(), ne);
        assertEquals(ns, SkipListDescriptor.score(node));
    }

    static void checkRanks(Fixture f, Random r) {
        List<Elem> list = new ArrayList<>(f.model);
        int n = list.size();
        for (int k = 0; k < 5; k++) {
            int i = r.nextInt(n);
            Elem e = list.get(i);
            assertEquals(i + 1, SkipList.rank(f.zsl, e.score, e.member), "rank");
            assertEquals(i + 1, SkipList.rankOf(f.zsl, f.node(e.member)), "rankOf");
            long x = SkipList.byRank(f.zsl, i + 1);
            assertTrue(Arrays.equals(e.member, SkipListDescriptor.member(x)), "byRank");
            // wrong score for an existing member, and an absent member
            if (!Double.isInfinite(e.score)) {
                assertEquals(0, SkipList.rank(f.zsl, e.score + 0.125, e.member));
            }
            byte[] m = randomMember(r);
            Elem have = f.byMember.get(new String(m, StandardCharsets.ISO_8859_1));
            double s = randomScore(r);
            long expect = have != null && have.score == s ? list.indexOf(have) + 1 : 0;
            assertEquals(expect, SkipList.rank(f.zsl, s, m), "rank of maybe-absent member");
        }
        assertEquals(0, SkipList.byRank(f.zsl, 0));
        assertEquals(0, SkipList.byRank(f.zsl, n + 1));
        assertEquals(0, SkipList.byRank(f.zsl, -1));
        if (n > 0) {
            assertEquals(SkipList.first(f.zsl), SkipList.byRank(f.zsl, 1));
            assertEquals(SkipList.last(f.zsl), SkipList.byRank(f.zsl, n));
        }
    }

    static ScoreRange randomScoreRange(Random r, Fixture f) {
        double min = randomScore(r);
        double max;
        int shape = r.nextInt(6);
        if (shape == 0) {
            max = min; // equal bounds
        } else if (shape == 1 && !f.model.isEmpty()) {
            min = pick(f, r).score; // bounds on existing scores
            max = pick(f, r).score;
        } else {
            max = randomScore(r);
        }
        return new ScoreRange(min, r.nextBoolean(), max, r.nextBoolean());
    }

    static void checkScoreRange(Fixture f, Random r) {
        ScoreRange range = randomScoreRange(r, f);
        List<Elem> list = new ArrayList<>(f.model);
        int first = -1;
        int last = -1;
        for (int i = 0; i < list.size(); i++) {
            if (inScore(list.get(i).score, range.min, range.minExclusive, range.max, range.maxExclusive)) {
                if (first < 0) {
                    first = i;
                }
                last = i;
            }
        }
        // zslIsInRange only checks that the range overlaps [first score, last score]
        boolean overlaps = !list.isEmpty() && !(range.min > range.max || (range.min == range.max && (range.minExclusive || range.maxExclusive)))
            && inScore(list.get(list.size() - 1).score, range.min, range.minExclusive, Double.POSITIVE_INFINITY, false)
            && inScore(list.get(0).score, Double.NEGATIVE_INFINITY, false, range.max, range.maxExclusive);
        assertEquals(overlaps, SkipList.isInRange(f.zsl, range), "isInRange " + range);
        if (first >= 0) {
            assertTrue(overlaps);
        }
        long fx = SkipList.firstInRange(f.zsl, range);
        long lx = SkipList.lastInRange(f.zsl, range);
        if (first < 0) {
            assertEquals(0, fx, "firstInRange " + range);
            assertEquals(0, lx, "lastInRange " + range);
        } else {
            assertEquals(first + 1, SkipList.rankOf(f.zsl, fx), "firstInRange " + range);
            assertEquals(last + 1, SkipList.rankOf(f.zsl, lx), "lastInRange " + range);
            // every node from first to last is in range (no gap), walking forward and backward
            int count = 0;
            for (long x = fx; ; x = SkipList.next(x)) {
                count++;
                if (x == lx) {
                    break;
                }
            }
            assertEquals(last - first + 1, count);
            count = 0;
            for (long x = lx; x != 0 && count <= list.size(); x = SkipList.previous(x)) {
                count++;
            }
            assertEquals(last + 1, count, "backward walk from last in range");
        }
    }

    static void deleteScoreRange(Fixture f, Random r) {
        ScoreRange range = randomScoreRange(r, f);
        List<Elem> expect = new ArrayList<>();
        for (Elem e : f.model) {
            if (inScore(e.score, range.min, range.minExclusive, range.max, range.maxExclusive)) {
                expect.add(e);
            }
        }
        List<Elem> got = new ArrayList<>();
        long n = f.sl.deleteRangeByScore(f.zsl, range, node -> {
            got.add(new Elem(SkipListDescriptor.score(node), SkipListDescriptor.member(node)));
            f.forget(node);
        });
        assertEquals(expect.size(), n, "deleteRangeByScore count " + range);
        assertEquals(keys(expect), keys(got), "deleteRangeByScore members " + range);
    }

    static void deleteRankRange(Fixture f, Random r) {
        int n = f.model.size();
        long start = r.nextInt(n + 3) - 1;
        long end = start + r.nextInt(Math.max(1, n / 3 + 1)) - (r.nextInt(8) == 0 ? 2 : 0);
        List<Elem> list = new ArrayList<>(f.model);
        List<Elem> expect = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (i + 1 >= start && i + 1 <= end) {
                expect.add(list.get(i));
            }
        }
        List<Elem> got = new ArrayList<>();
        long removed = f.sl.deleteRangeByRank(f.zsl, start, end, node -> {
            got.add(new Elem(SkipListDescriptor.score(node), SkipListDescriptor.member(node)));
            f.forget(node);
        });
        assertEquals(expect.size(), removed, "deleteRangeByRank " + start + ".." + end);
        assertEquals(keys(expect), keys(got));
    }

    static List<String> keys(List<Elem> l) {
        List<String> out = new ArrayList<>();
        for (Elem e : l) {
            out.add(e.score + "/" + e.key());
        }
        return out;
    }

    // ---------------------------------------------------------------- lex

    static LexRange randomLexRange(Random r, Fixture f) {
        byte[] min = r.nextInt(3) == 0 && !f.model.isEmpty() ? pick(f, r).member : randomMember(r);
        byte[] max = r.nextInt(4) == 0 ? min : (r.nextInt(3) == 0 && !f.model.isEmpty() ? pick(f, r).member : randomMember(r));
        LexRange.Kind[] kinds = LexRange.Kind.values();
        LexRange.Kind lo = r.nextInt(3) == 0 ? kinds[r.nextInt(4)] : kinds[r.nextInt(2)];
        LexRange.Kind hi = r.nextInt(3) == 0 ? kinds[r.nextInt(4)] : kinds[r.nextInt(2)];
        return new LexRange(lo, min, hi, max);
    }

    /** Independent oracle for a lex range. */
    static boolean inLex(byte[] v, LexRange range) {
        boolean lo;
        switch (range.minKind) {
            case MINUS_INFINITY: lo = true; break;
            case PLUS_INFINITY: lo = false; break;
            case INCLUSIVE: lo = Arrays.compareUnsigned(v, range.min) >= 0; break;
            default: lo = Arrays.compareUnsigned(v, range.min) > 0;
        }
        boolean hi;
        switch (range.maxKind) {
            case PLUS_INFINITY: hi = true; break;
            case MINUS_INFINITY: hi = false; break;
            case INCLUSIVE: hi = Arrays.compareUnsigned(v, range.max) <= 0; break;
            default: hi = Arrays.compareUnsigned(v, range.max) < 0;
        }
        return lo && hi;
    }

    /** Independent oracle for {@code zslIsInLexRange}'s emptiness test ({@code sdscmplex}). */
    static boolean lexEmpty(LexRange r) {
        int rankMin = rankOfKind(r.minKind);
        int rankMax = rankOfKind(r.maxKind);
        int c;
        if (rankMin != 1 || rankMax != 1) {
            c = Integer.compare(rankMin, rankMax);
        } else {
            c = Arrays.compareUnsigned(r.min, r.max);
        }
        boolean ex = r.minKind == LexRange.Kind.EXCLUSIVE || r.maxKind == LexRange.Kind.EXCLUSIVE;
        return c > 0 || (c == 0 && ex);
    }

    private static int rankOfKind(LexRange.Kind k) {
        return k == LexRange.Kind.MINUS_INFINITY ? 0 : k == LexRange.Kind.PLUS_INFINITY ? 2 : 1;
    }

    @Test
    void modelLex() {
        Seeds.run("skip list lex model", SkipListTest::lexModelRun);
    }

    static void lexModelRun(Random r) {
        Fixture f = new Fixture(r.nextLong());
        double score = r.nextBoolean() ? 0 : 7.5;
        try {
            for (int op = 0; op < 3000; op++) {
                int kind = r.nextInt(100);
                if (kind < 45 || f.model.size() < 3) {
                    byte[] m = randomMember(r);
                    if (!f.byMember.containsKey(new String(m, StandardCharsets.ISO_8859_1))) {
                        f.insert(score, m);
                    }
                } else if (kind < 55) {
                    Elem e = pick(f, r);
                    long node = f.node(e.member);
                    f.forget(node);
                    assertTrue(f.sl.delete(f.zsl, score, e.member));
                } else if (kind < 93) {
                    LexRange range = randomLexRange(r, f);
                    List<Elem> list = new ArrayList<>(f.model);
                    int first = -1;
                    int last = -1;
                    for (int i = 0; i < list.size(); i++) {
                        if (inLex(list.get(i).member, range)) {
                            if (first < 0) {
                                first = i;
                            }
                            last = i;
                        }
                    }
                    boolean overlaps = !list.isEmpty() && !lexEmpty(range)
                        && inLex(list.get(list.size() - 1).member, new LexRange(range.minKind, range.min, LexRange.Kind.PLUS_INFINITY, null))
                        && inLex(list.get(0).member, new LexRange(LexRange.Kind.MINUS_INFINITY, null, range.maxKind, range.max));
                    assertEquals(overlaps, SkipList.isInLexRange(f.zsl, range), "isInLexRange " + range);
                    if (first >= 0) {
                        assertTrue(overlaps);
                    }
                    long fx = SkipList.firstInLexRange(f.zsl, range);
                    long lx = SkipList.lastInLexRange(f.zsl, range);
                    assertEquals(first + 1, fx == 0 ? 0 : SkipList.rankOf(f.zsl, fx), "firstInLexRange " + range);
                    assertEquals(last + 1, lx == 0 ? 0 : SkipList.rankOf(f.zsl, lx), "lastInLexRange " + range);
                } else {
                    LexRange range = randomLexRange(r, f);
                    List<Elem> expect = new ArrayList<>();
                    for (Elem e : f.model) {
                        if (inLex(e.member, range)) {
                            expect.add(e);
                        }
                    }
                    List<Elem> got = new ArrayList<>();
                    long n = f.sl.deleteRangeByLex(f.zsl, range, node -> {
                        got.add(new Elem(SkipListDescriptor.score(node), SkipListDescriptor.member(node)));
                        f.forget(node);
                    });
                    assertEquals(expect.size(), n, "deleteRangeByLex " + range);
                    assertEquals(keys(expect), keys(got));
                }
                verify(f);
            }
        } finally {
            f.close();
        }
    }

    // ---------------------------------------------------------------- targeted cases

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void emptyList() {
        SlabAllocator a = new SlabAllocator();
        SkipList sl = new SkipList(a, new SplittableRandom(1));
        long z = sl.create();
        assertEquals(0, SkipList.length(z));
        assertEquals(0, SkipList.first(z));
        assertEquals(0, SkipList.last(z));
        assertEquals(0, SkipList.byRank(z, 1));
        assertFalse(SkipList.isInRange(z, ScoreRange.ALL));
        assertEquals(0, SkipList.firstInRange(z, ScoreRange.ALL));
        assertEquals(0, SkipList.lastInLexRange(z, LexRange.ALL));
        assertEquals(0, sl.deleteRangeByRank(z, 1, 10, null));
        assertFalse(sl.delete(z, 1, b("x")));
        sl.free(z);
        assertEquals(0, a.usedBytes());
        a.close();
    }

    @Test
    void rangeEdgeCases() {
        SlabAllocator a = new SlabAllocator();
        SkipList sl = new SkipList(a, new SplittableRandom(2));
        long z = sl.create();
        sl.insert(z, Double.NEGATIVE_INFINITY, b("lo"));
        sl.insert(z, 1, b("a"));
        sl.insert(z, 1, b("b"));
        sl.insert(z, 2, b("c"));
        sl.insert(z, Double.POSITIVE_INFINITY, b("hi"));
        assertEquals("a", new String(SkipListDescriptor.member(SkipList.firstInRange(z, new ScoreRange(1, false, 1, false)))));
        assertEquals("b", new String(SkipListDescriptor.member(SkipList.lastInRange(z, new ScoreRange(1, false, 1, false)))));
        assertEquals(0, SkipList.firstInRange(z, new ScoreRange(1, true, 1, false)), "(1 1 is empty");
        assertEquals(0, SkipList.firstInRange(z, new ScoreRange(2, false, 1, false)), "min > max is empty");
        assertEquals(0, SkipList.firstInRange(z, new ScoreRange(1, true, 2, true)), "(1 (2 has nothing");
        assertEquals("lo", new String(SkipListDescriptor.member(SkipList.firstInRange(z, ScoreRange.ALL))));
        assertEquals("hi", new String(SkipListDescriptor.member(SkipList.lastInRange(z, ScoreRange.ALL))));
        ScoreRange negInf = new ScoreRange(Double.NEGATIVE_INFINITY, false, Double.NEGATIVE_INFINITY, false);
        assertEquals("lo", new String(SkipListDescriptor.member(SkipList.lastInRange(z, negInf))));
        ScoreRange exclInf = new ScoreRange(Double.NEGATIVE_INFINITY, true, Double.POSITIVE_INFINITY, true);
        assertEquals("a", new String(SkipListDescriptor.member(SkipList.firstInRange(z, exclInf))));
        assertEquals("c", new String(SkipListDescriptor.member(SkipList.lastInRange(z, exclInf))));
        assertEquals(3, sl.deleteRangeByScore(z, exclInf, null));
        assertEquals(2, SkipList.length(z));
        assertEquals(2, SkipList.rank(z, Double.POSITIVE_INFINITY, b("hi")));
        sl.free(z);
        assertEquals(0, a.usedBytes());
        a.close();
    }

    @Test
    void unsignedMemberOrder() {
        SlabAllocator a = new SlabAllocator();
        SkipList sl = new SkipList(a, new SplittableRandom(3));
        long z = sl.create();
        byte[] high = {(byte) 0xFF};
        byte[] longA = b("aaaaaaaaaaaa");
        byte[] longB = b("aaaaaaaaab");
        sl.insert(z, 0, high);
        sl.insert(z, 0, longB);
        sl.insert(z, 0, longA);
        sl.insert(z, 0, b("aaaaaaaa"));
        sl.insert(z, 0, new byte[0]);
        assertEquals(1, SkipList.rank(z, 0, new byte[0]), "empty member sorts first");
        assertEquals(2, SkipList.rank(z, 0, b("aaaaaaaa")), "prefix sorts before longer");
        assertEquals(3, SkipList.rank(z, 0, longA));
        assertEquals(4, SkipList.rank(z, 0, longB));
        assertEquals(5, SkipList.rank(z, 0, high), "0xFF sorts last (unsigned)");
        sl.free(z);
        assertEquals(0, a.usedBytes());
        a.close();
    }

    @Test
    void levelsFollowQuarterProbability() {
        SlabAllocator a = new SlabAllocator();
        SkipList sl = new SkipList(a, new SplittableRandom(4));
        long z = sl.create();
        int n = 20000;
        int[] atLeast = new int[SkipList.MAX_LEVEL + 1];
        for (int i = 0; i < n; i++) {
            long x = sl.insert(z, i, b("m" + i));
            for (int l = 1; l <= SkipListDescriptor.level(x); l++) {
                atLeast[l]++;
            }
        }
        assertEquals(n, atLeast[1]);
        // P(level >= 2) = 1/4, P(level >= 3) = 1/16
        assertTrue(Math.abs(atLeast[2] - n / 4.0) < n * 0.02, "level >= 2: " + atLeast[2]);
        assertTrue(Math.abs(atLeast[3] - n / 16.0) < n * 0.01, "level >= 3: " + atLeast[3]);
        for (int rank = 1; rank <= n; rank += 97) {
            long x = SkipList.byRank(z, rank);
            assertEquals(rank - 1, SkipListDescriptor.score(x));
            assertEquals(rank, SkipList.rankOf(z, x));
        }
        sl.free(z);
        assertEquals(0, a.usedBytes());
        a.close();
    }

    @Test
    void parseRanges() {
        ScoreRange s = ScoreRange.parse(b("(1.5"), b("+inf"));
        assertNotNull(s);
        assertTrue(s.minExclusive);
        assertEquals(1.5, s.min);
        assertFalse(s.maxExclusive);
        assertEquals(Double.POSITIVE_INFINITY, s.max);
        ScoreRange t = ScoreRange.parse(b("-inf"), b("(-inf"));
        assertNotNull(t);
        assertTrue(t.isEmpty());
        assertNull(ScoreRange.parse(b("abc"), b("1")));
        assertNull(ScoreRange.parse(b("1"), b("nan")));
        // Redis 7.0 reads the ends with strtod, which takes "" (after the '(') as 0
        assertEquals("(0.0, 1.0]", ScoreRange.parse(b("("), b("1")).toString());
        assertNull(ScoreRange.parse(b(" "), b("1")));
        assertNull(ScoreRange.parse(b("[1"), b("2")), "'[' is not a score prefix");

        LexRange l = LexRange.parse(b("[a"), b("(b"));
        assertNotNull(l);
        assertEquals(LexRange.Kind.INCLUSIVE, l.minKind);
        assertEquals(LexRange.Kind.EXCLUSIVE, l.maxKind);
        assertTrue(Arrays.equals(b("a"), l.min));
        assertTrue(l.contains(b("a")));
        assertTrue(l.contains(b("azz")));
        assertFalse(l.contains(b("b")));
        LexRange all = LexRange.parse(b("-"), b("+"));
        assertNotNull(all);
        assertTrue(all.contains(new byte[0]));
        assertNull(LexRange.parse(b("a"), b("+")));
        assertNull(LexRange.parse(b("-x"), b("+")));
        assertNull(LexRange.parse(new byte[0], b("+")));
        assertTrue(LexRange.parse(b("+"), b("-")).isEmpty());
        assertTrue(LexRange.parse(b("(a"), b("[a")).isEmpty());
        assertFalse(LexRange.parse(b("[a"), b("[a")).isEmpty());
        LexRange minMin = LexRange.parse(b("-"), b("-"));
        assertFalse(minMin.isEmpty(), "sdscmplex: identical ends compare equal");
        assertFalse(minMin.contains(b("")));
        long addr = NativeMemory.allocate(4);
        NativeMemory.copyFromArray(b("azzz"), 0, addr, 4);
        assertTrue(l.contains(addr, 4));
        NativeMemory.free(addr);
    }
}
