package io.redjar.internal.structure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redjar.internal.memory.SlabAllocator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Quicklist against a {@code java.util.ArrayList} model: random pushes, pops, inserts before and
 * after every position, deletes through cursors in both directions, range deletes, replaces and
 * reads, with every fill from one entry per node to 64 KiB nodes; after each operation the
 * structure is validated (links, counts, no empty node, every listpack) and compared with the
 * model, and at the end freeing it returns the allocator to zero.
 */
class QuicklistTest {
    private SlabAllocator alloc;

    @BeforeEach
    void setUp() {
        alloc = new SlabAllocator();
    }

    @AfterEach
    void tearDown() {
        alloc.close();
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String s(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    private String randomValue(Random r) {
        switch (r.nextInt(6)) {
            case 0:
                return Integer.toString(r.nextInt(200) - 100);
            case 1:
                return Long.toString(r.nextLong());
            case 2:
                return "x".repeat(r.nextInt(300));
            case 3:
                return "v" + r.nextInt(20);
            case 4:
                return "";
            default:
                return "long-" + "y".repeat(r.nextInt(5000));
        }
    }

    private void check(long ql, List<String> model, String ctx) {
        Quicklist.validate(ql);
        assertEquals(model.size(), Quicklist.length(ql), ctx);
        List<byte[]> all = Quicklist.range(ql, 0, Long.MAX_VALUE, true);
        List<String> got = new ArrayList<>();
        for (byte[] x : all) {
            got.add(s(x));
        }
        assertEquals(model, got, ctx);
        if (!model.isEmpty()) {
            List<byte[]> rev = Quicklist.range(ql, -1, Long.MAX_VALUE, false);
            assertEquals(model.size(), rev.size(), ctx);
            assertEquals(model.get(0), s(rev.get(rev.size() - 1)), ctx);
        }
    }

    @ParameterizedTest(name = "fill {0}")
    @ValueSource(ints = {1, 2, 3, 5, 16, -1, -2, -5, -6})
    void randomOperationsMatchArrayList(int fill) {
        randomOperations(fill, 0);
    }

    /** The same with {@code list-compress-depth}: {@link Quicklist#validate} also checks the compression layout. */
    @ParameterizedTest(name = "fill {0} depth {1}")
    @CsvSource({"1,1", "2,1", "3,2", "16,1", "-1,1", "-2,2", "-2,3", "1,4"})
    void randomOperationsWithCompression(int fill, int depth) {
        randomOperations(fill, depth);
    }

    private void randomOperations(int fill, int depth) {
        for (long seed = 1; seed <= 4; seed++) {
            Random r = new Random(seed * 31 + fill + 1000L * depth);
            long ql = Quicklist.create(alloc, fill, depth);
            List<String> model = new ArrayList<>();
            for (int step = 0; step < 1500; step++) {
                String ctx = "fill " + fill + " seed " + seed + " step " + step;
                int op = r.nextInt(11);
                int size = model.size();
                if (op <= 1) {
                    String v = randomValue(r);
                    boolean head = r.nextBoolean();
                    Quicklist.push(alloc, ql, b(v), head);
                    if (head) {
                        model.add(0, v);
                    } else {
                        model.add(v);
                    }
                } else if (op == 2) {
                    boolean head = r.nextBoolean();
                    byte[] got = Quicklist.pop(alloc, ql, head);
                    if (size == 0) {
                        assertNull(got, ctx);
                    } else {
                        assertEquals(head ? model.remove(0) : model.remove(size - 1), s(got), ctx);
                    }
                } else if (op <= 4 && size > 0) {
                    int i = r.nextInt(size);
                    boolean after = r.nextBoolean();
                    String v = randomValue(r);
                    long idx = r.nextBoolean() ? i : i - size;
                    Quicklist.Cursor c = Quicklist.seek(ql, idx, r.nextBoolean());
                    assertEquals(model.get(i), s(c.value()), ctx);
                    Quicklist.insert(alloc, c, b(v), after);
                    model.add(after ? i + 1 : i, v);
                } else if (op == 5 && size > 0) {
                    // walk from a random position deleting a random subset, either direction
                    int i = r.nextInt(size);
                    boolean forward = r.nextBoolean();
                    Quicklist.Cursor c = Quicklist.seek(ql, i, forward);
                    int at = i;
                    boolean more = true;
                    while (more) {
                        assertEquals(model.get(at), s(c.value()), ctx);
                        if (r.nextInt(3) == 0) {
                            model.remove(at);
                            more = Quicklist.deleteAndAdvance(alloc, c);
                            if (!forward) {
                                at--;
                            }
                        } else {
                            more = c.advance();
                            at += forward ? 1 : -1;
                        }
                        if (r.nextInt(8) == 0) {
                            break;
                        }
                    }
                    if (!more) {
                        assertTrue(forward ? at == model.size() : at == -1, ctx);
                    }
                } else if (op == 6 && size > 0) {
                    long start = r.nextInt(size * 2 + 1) - size - (long) (size / 2);
                    long n = r.nextInt(size + 2);
                    Quicklist.deleteRange(alloc, ql, start, n);
                    long st = start;
                    long extent = n;
                    if (st >= 0 && extent > size - st) {
                        extent = size - st;
                    } else if (st < 0 && extent > -st) {
                        extent = -st;
                    }
                    long abs = st < 0 ? size + st : st;
                    if (n > 0 && abs >= 0 && abs < size) {
                        model.subList((int) abs, (int) (abs + extent)).clear();
                    }
                } else if (op == 7 && size > 0) {
                    int i = r.nextInt(size);
                    String v = randomValue(r);
                    assertTrue(Quicklist.replace(alloc, ql, r.nextBoolean() ? i : i - size, b(v)), ctx);
                    model.set(i, v);
                } else if (op == 8) {
                    long idx = r.nextInt(size * 2 + 3) - size - 1;
                    byte[] got = Quicklist.get(ql, idx);
                    long abs = idx < 0 ? size + idx : idx;
                    if (abs < 0 || abs >= size) {
                        assertNull(got, ctx);
                        assertFalse(Quicklist.replace(alloc, ql, idx, b("z")), ctx);
                    } else {
                        assertEquals(model.get((int) abs), s(got), ctx);
                    }
                } else if (op == 9 && size > 0) {
                    int from = r.nextInt(size);
                    int n = r.nextInt(size + 1);
                    boolean forward = r.nextBoolean();
                    List<byte[]> got = Quicklist.range(ql, from, n, forward);
                    List<String> want = new ArrayList<>();
                    for (int k = 0; k < n; k++) {
                        int j = forward ? from + k : from - k;
                        if (j < 0 || j >= size) {
                            break;
                        }
                        want.add(model.get(j));
                    }
                    List<String> g = new ArrayList<>();
                    got.forEach(x -> g.add(s(x)));
                    assertEquals(want, g, ctx);
                } else if (op == 10 && r.nextInt(10) == 0) {
                    long copy = Quicklist.copy(ql, alloc);
                    check(copy, model, ctx + " (copy)");
                    Quicklist.free(alloc, copy);
                }
                check(ql, model, ctx);
            }
            Quicklist.free(alloc, ql);
            assertEquals(0, alloc.usedBytes(), "fill " + fill + " depth " + depth + " seed " + seed);
        }
    }

    @Test
    void nodeSizeRules() {
        // positive fill: entries per node
        long ql = Quicklist.create(alloc, 3);
        for (int i = 0; i < 10; i++) {
            Quicklist.push(alloc, ql, b("e" + i), false);
        }
        assertEquals(4, Quicklist.nodes(ql));
        Quicklist.free(alloc, ql);
        // -1: 4 KiB listpacks; 100-byte elements take 102 bytes (+1 backlen)
        ql = Quicklist.create(alloc, -1);
        for (int i = 0; i < 100; i++) {
            Quicklist.push(alloc, ql, b("z".repeat(100)), true);
        }
        Quicklist.validate(ql);
        assertTrue(Quicklist.nodes(ql) >= 3 && Quicklist.nodes(ql) <= 4, "nodes " + Quicklist.nodes(ql));
        Quicklist.free(alloc, ql);
        // below -5 is clamped to -5 (64 KiB nodes), as Redis's quicklistSetFill does
        ql = Quicklist.create(alloc, -6);
        for (int i = 0; i < 5; i++) {
            Quicklist.push(alloc, ql, b("z"), true);
        }
        assertEquals(1, Quicklist.nodes(ql));
        assertEquals(-5, QuicklistDescriptor.fill(ql));
        Quicklist.free(alloc, ql);
        assertEquals(0, alloc.usedBytes());
    }

    @Test
    void splitInTheMiddleThenMerge() {
        long ql = Quicklist.create(alloc, 4);
        for (int i = 0; i < 8; i++) {
            Quicklist.push(alloc, ql, b(Integer.toString(i)), false);
        }
        assertEquals(2, Quicklist.nodes(ql));
        Quicklist.insert(alloc, Quicklist.seek(ql, 1, true), b("mid"), true);
        Quicklist.validate(ql);
        assertEquals(3, Quicklist.nodes(ql));
        assertEquals("mid", s(Quicklist.get(ql, 2)));
        Quicklist.free(alloc, ql);
        assertEquals(0, alloc.usedBytes());
    }

    @Test
    void interiorNodesAreCompressedAndReadBack() {
        long plain = Quicklist.create(alloc, -2, 0);
        long packed = Quicklist.create(alloc, -2, 1);
        for (int i = 0; i < 5000; i++) {
            byte[] v = b("user:" + i + ":profile:" + "abcdefgh".repeat(4));
            Quicklist.push(alloc, plain, v, false);
            Quicklist.push(alloc, packed, v, false);
        }
        long plainBytes = blockBytes(plain);
        long packedBytes = blockBytes(packed);
        int compressed = 0;
        for (long n = QuicklistDescriptor.head(packed); n != 0; n = QuicklistDescriptor.next(n)) {
            if (QuicklistDescriptor.compressed(n)) {
                compressed++;
            }
        }
        assertEquals(Quicklist.nodes(packed) - 2, compressed, "every node but head and tail");
        assertFalse(QuicklistDescriptor.compressed(QuicklistDescriptor.head(packed)));
        assertFalse(QuicklistDescriptor.compressed(QuicklistDescriptor.tail(packed)));
        assertTrue(packedBytes * 3 < plainBytes, packedBytes + " vs " + plainBytes);
        assertEquals("user:2500:profile:" + "abcdefgh".repeat(4), s(Quicklist.get(packed, 2500)));
        check(packed, toStrings(Quicklist.range(plain, 0, Long.MAX_VALUE, true)), "compressed");
        Quicklist.free(alloc, plain);
        Quicklist.free(alloc, packed);
        assertEquals(0, alloc.usedBytes());
    }

    @Test
    void compressDepthIsClampedAsRedis() {
        long ql = Quicklist.create(alloc, 40000, 70000);
        assertEquals(QuicklistDescriptor.FILL_MAX, QuicklistDescriptor.fill(ql));
        assertEquals(QuicklistDescriptor.COMPRESS_MAX, QuicklistDescriptor.depth(ql));
        Quicklist.free(alloc, ql);
        ql = Quicklist.create(alloc, -2, -3);
        assertEquals(-2, QuicklistDescriptor.fill(ql));
        assertEquals(0, QuicklistDescriptor.depth(ql));
        Quicklist.free(alloc, ql);
    }

    private static long blockBytes(long ql) {
        long[] total = {0};
        Quicklist.validate(ql, (address, size) -> total[0] += size);
        return total[0];
    }

    private static List<String> toStrings(List<byte[]> l) {
        List<String> out = new ArrayList<>();
        l.forEach(x -> out.add(s(x)));
        return out;
    }
}
