package io.redjar.internal.structure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redjar.internal.memory.NativeMemory;
import io.redjar.internal.memory.SizeClasses;
import io.redjar.internal.memory.SlabAllocator;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Intset against a {@link TreeSet} model with a seeded {@link Random} (the seed is in every
 * failure message; rerun with {@code -Dredjar.seed=N}): elements, order, encoding (upgraded, never
 * downgraded), blob size and allocator accounting after every operation.
 */
class IntsetTest {
    private SlabAllocator alloc;

    @BeforeEach
    void setUp() {
        alloc = new SlabAllocator();
    }

    @AfterEach
    void tearDown() {
        alloc.close();
    }

    static int modelEncoding(long v) {
        if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
            return 2;
        }
        return v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE ? 4 : 8;
    }

    static long randomValue(Random r, int widest) {
        long[] edges = {0, -1, 1, Short.MIN_VALUE, Short.MAX_VALUE, Short.MIN_VALUE - 1, Short.MAX_VALUE + 1,
            Integer.MIN_VALUE, Integer.MAX_VALUE, Integer.MIN_VALUE - 1L, Integer.MAX_VALUE + 1L,
            Long.MIN_VALUE, Long.MAX_VALUE};
        int k = r.nextInt(10);
        long v;
        if (k == 0) {
            v = edges[r.nextInt(edges.length)];
        } else if (k < 6) {
            v = r.nextInt(200) - 100; // dense: duplicates and removals hit
        } else if (k < 8) {
            v = (short) r.nextInt();
        } else if (k < 9) {
            v = r.nextInt();
        } else {
            v = r.nextLong();
        }
        return modelEncoding(v) <= widest ? v : (short) v;
    }

    @Test
    void randomOperationsMatchTheModel() {
        long base = Long.getLong("redjar.seed", System.nanoTime());
        for (int round = 0; round < 30; round++) {
            long seed = base + round;
            try {
                runModel(seed, 600);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("seed=" + seed + " (rerun with -Dredjar.seed=" + seed + "): " + e.getMessage(), e);
            }
        }
    }

    private void runModel(long seed, int ops) {
        Random r = new Random(seed);
        long baseline = alloc.usedBytes();
        // Rounds stay within 16, 32 or 64 bits for a while, then may widen: upgrades happen mid-run.
        int widest = 2;
        TreeSet<Long> model = new TreeSet<>();
        int enc = 2;
        long is = Intset.create(alloc);
        for (int op = 0; op < ops; op++) {
            if (r.nextInt(150) == 0) {
                widest = Math.min(8, widest * 2);
            }
            long v = randomValue(r, widest);
            boolean add = model.size() < 20 || r.nextInt(3) != 0;
            if (add) {
                int before = Intset.length(is);
                is = Intset.add(alloc, is, v);
                boolean added = model.add(v);
                assertEquals(added, Intset.length(is) == before + 1, "add reports through length");
                enc = Math.max(enc, modelEncoding(v));
            } else {
                if (r.nextBoolean() && !model.isEmpty()) {
                    v = new ArrayList<>(model).get(r.nextInt(model.size()));
                }
                is = Intset.remove(alloc, is, v);
                model.remove(v);
            }
            check(is, model, enc, baseline, r);
        }
        Intset.free(alloc, is);
        assertEquals(baseline, alloc.usedBytes(), "allocator back to baseline");
    }

    private void check(long is, TreeSet<Long> model, int enc, long baseline, Random r) {
        Intset.validate(is, -1);
        assertEquals(model.size(), Intset.length(is));
        assertEquals(enc, Intset.encoding(is), "encoding (upgraded, never downgraded)");
        assertEquals(8 + model.size() * enc, Intset.blobSize(is), "blob size");
        assertEquals(SizeClasses.blockSize(Intset.blobSize(is)), alloc.usedBytes() - baseline, "allocator accounting");
        int i = 0;
        for (long v : model) {
            assertEquals(v, Intset.get(is, i), "element " + i);
            assertEquals(i, Intset.search(is, v));
            assertTrue(Intset.contains(is, v));
            i++;
        }
        if (!model.isEmpty()) {
            assertEquals(model.first(), Intset.min(is));
            assertEquals(model.last(), Intset.max(is));
            assertTrue(model.contains(Intset.random(is, r)));
        }
        for (int k = 0; k < 5; k++) {
            long probe = randomValue(r, 8);
            assertEquals(model.contains(probe), Intset.contains(is, probe), "contains " + probe);
            if (!model.contains(probe) && Intset.encoding(is) >= modelEncoding(probe)) {
                assertEquals(-model.headSet(probe).size() - 1, Intset.search(is, probe), "insertion point of " + probe);
            }
        }
    }

    @Test
    void upgradeKeepsOrderAndPutsTheNewValueAtAnEnd() {
        long is = Intset.create(alloc);
        assertEquals(8, Intset.blobSize(is));
        for (long v : new long[] {5, -3, 100}) {
            is = Intset.add(alloc, is, v);
        }
        assertEquals(2, Intset.encoding(is));
        is = Intset.add(alloc, is, -40000);
        assertEquals(4, Intset.encoding(is));
        assertEquals(-40000, Intset.get(is, 0));
        is = Intset.add(alloc, is, Long.MAX_VALUE);
        assertEquals(8, Intset.encoding(is));
        long[] want = {-40000, -3, 5, 100, Long.MAX_VALUE};
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], Intset.get(is, i));
        }
        assertEquals(8 + 5 * 8, Intset.blobSize(is));
        is = Intset.remove(alloc, is, Long.MAX_VALUE);
        is = Intset.remove(alloc, is, -40000);
        assertEquals(8, Intset.encoding(is), "never downgraded");
        assertEquals(8 + 3 * 8, Intset.blobSize(is));
        Intset.free(alloc, is);
    }

    @Test
    void bytesAreRedisLayout() {
        long is = Intset.create(alloc);
        is = Intset.add(alloc, is, 258);
        is = Intset.add(alloc, is, -2);
        byte[] want = {2, 0, 0, 0, 2, 0, 0, 0, (byte) 0xFE, (byte) 0xFF, 0x02, 0x01};
        assertArrayEquals(want, NativeMemory.toArray(is, Intset.blobSize(is)));
        Intset.free(alloc, is);
    }

    @Test
    void emptyAndMissing() {
        long is = Intset.create(alloc);
        assertFalse(Intset.contains(is, 0));
        assertEquals(-1, Intset.search(is, 0));
        is = Intset.remove(alloc, is, 7);
        is = Intset.remove(alloc, is, Long.MIN_VALUE);
        assertEquals(0, Intset.length(is));
        long empty = is;
        assertThrows(IllegalStateException.class, () -> Intset.random(empty, new Random(1)));
        is = Intset.add(alloc, is, 1);
        assertFalse(Intset.contains(is, 1L << 40), "wider than the encoding: absent");
        Intset.free(alloc, is);
        assertEquals(0, alloc.usedBytes());
    }

    @Test
    void randomMemberIsRoughlyUniform() {
        long is = Intset.create(alloc);
        for (int i = 0; i < 10; i++) {
            is = Intset.add(alloc, is, i * 1000);
        }
        Random r = new Random(42);
        int[] hits = new int[10];
        for (int k = 0; k < 20000; k++) {
            hits[(int) (Intset.random(is, r) / 1000)]++;
        }
        List<Integer> h = new ArrayList<>();
        for (int x : hits) {
            h.add(x);
            assertTrue(x > 1500 && x < 2500, "uniform-ish: " + h);
        }
        Intset.free(alloc, is);
    }

    @Test
    void validateDetectsDisorder() {
        long is = Intset.create(alloc);
        is = Intset.add(alloc, is, 1);
        is = Intset.add(alloc, is, 2);
        NativeMemory.putByte(is + 8, (byte) 3);
        long bad = is;
        assertThrows(IllegalStateException.class, () -> Intset.validate(bad, -1));
        Intset.free(alloc, is);
    }
}
