package io.redjar.internal.structure;

import io.redjar.internal.memory.SlabAllocator;
import io.redjar.testing.Seeds;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdTreeTest {
    /** An id as a comparable key (unsigned order, ms first). */
    record Id(long ms, long seq) implements Comparable<Id> {
        @Override
        public int compareTo(Id o) {
            return IdTree.compare(ms, seq, o.ms, o.seq);
        }
    }

    private static Id randomId(Random r, int spread) {
        long ms = r.nextInt(spread);
        if (r.nextInt(20) == 0) {
            ms = -1L - r.nextInt(3); // huge unsigned values
        }
        long seq = r.nextInt(4);
        if (r.nextInt(30) == 0) {
            seq = -1L;
        }
        return new Id(ms, seq);
    }

    @Test
    void randomOperationsMatchTreeMap() {
        Seeds.run("IdTreeTest.random", random -> {
            for (int round = 0; round < 30; round++) {
                try (SlabAllocator alloc = new SlabAllocator()) {
                    long tree = IdTree.create(alloc);
                    TreeMap<Id, Long> model = new TreeMap<>();
                    int spread = 1 + random.nextInt(round < 5 ? 20 : 3000);
                    int ops = 200 + random.nextInt(4000);
                    boolean appendMostly = random.nextBoolean();
                    long nextMs = 0;
                    for (int op = 0; op < ops; op++) {
                        int kind = random.nextInt(10);
                        if (kind < 5) {
                            Id id = appendMostly ? new Id(nextMs++, random.nextInt(2)) : randomId(random, spread);
                            long v = random.nextLong();
                            boolean fresh = !model.containsKey(id);
                            assertEquals(fresh, IdTree.insert(alloc, tree, id.ms, id.seq, v));
                            if (fresh) {
                                model.put(id, v);
                            }
                        } else if (kind < 8) {
                            Id id = appendMostly && !model.isEmpty() && random.nextBoolean()
                                ? model.firstKey() : randomId(random, appendMostly ? (int) Math.max(1, nextMs) : spread);
                            Long had = model.remove(id);
                            assertEquals(had == null ? 7L : had, IdTree.remove(alloc, tree, id.ms, id.seq, 7L));
                        } else {
                            Id id = randomId(random, spread);
                            assertEquals(model.containsKey(id), IdTree.contains(tree, id.ms, id.seq));
                            Long v = model.get(id);
                            assertEquals(v == null ? -5L : v, IdTree.get(tree, id.ms, id.seq, -5L));
                            checkSeeks(tree, model, id);
                        }
                        assertEquals(model.size(), IdTree.size(tree));
                        if (op % 97 == 0) {
                            verifyAll(alloc, tree, model);
                        }
                    }
                    verifyAll(alloc, tree, model);
                    long copy;
                    try (SlabAllocator other = new SlabAllocator()) {
                        copy = IdTree.copy(tree, other, v -> v + 1);
                        List<Id> ids = new ArrayList<>();
                        IdTree.Cursor c = new IdTree.Cursor().first(copy);
                        for (Map.Entry<Id, Long> e : model.entrySet()) {
                            assertTrue(c.valid());
                            assertEquals(e.getKey(), new Id(c.ms(), c.seq()));
                            assertEquals(e.getValue() + 1, c.value());
                            c.next();
                        }
                        assertFalse(c.valid());
                        verifyBlocks(other, copy);
                        assertEquals(IdTree.bytes(tree), IdTree.bytes(copy));
                        IdTree.release(other, copy);
                        assertEquals(0, other.usedBytes());
                    }
                    // drain in random order
                    List<Id> keys = new ArrayList<>(model.keySet());
                    java.util.Collections.shuffle(keys, random);
                    for (Id id : keys) {
                        assertEquals((long) model.remove(id), IdTree.remove(alloc, tree, id.ms, id.seq, 0));
                    }
                    verifyAll(alloc, tree, model);
                    IdTree.release(alloc, tree);
                    assertEquals(0, alloc.usedBytes());
                }
            }
        });
    }

    private static void checkSeeks(long tree, TreeMap<Id, Long> model, Id id) {
        Id ge = model.ceilingKey(id);
        IdTree.Cursor c = new IdTree.Cursor().seekGe(tree, id.ms, id.seq);
        assertEquals(ge != null, c.valid());
        if (ge != null) {
            assertEquals(ge, new Id(c.ms(), c.seq()));
            Id next = model.higherKey(ge);
            c.next();
            assertEquals(next != null, c.valid());
            if (next != null) {
                assertEquals(next, new Id(c.ms(), c.seq()));
            }
        }
        Id le = model.floorKey(id);
        c = new IdTree.Cursor().seekLe(tree, id.ms, id.seq);
        assertEquals(le != null, c.valid());
        if (le != null) {
            assertEquals(le, new Id(c.ms(), c.seq()));
            Id prev = model.lowerKey(le);
            c.previous();
            assertEquals(prev != null, c.valid());
            if (prev != null) {
                assertEquals(prev, new Id(c.ms(), c.seq()));
            }
        }
    }

    private static void verifyAll(SlabAllocator alloc, long tree, TreeMap<Id, Long> model) {
        verifyBlocks(alloc, tree);
        IdTree.Cursor c = new IdTree.Cursor().first(tree);
        for (Map.Entry<Id, Long> e : model.entrySet()) {
            assertTrue(c.valid());
            assertEquals(e.getKey(), new Id(c.ms(), c.seq()));
            assertEquals((long) e.getValue(), c.value());
            c.next();
        }
        assertFalse(c.valid());
        c = new IdTree.Cursor().last(tree);
        for (Id id : model.descendingKeySet()) {
            assertTrue(c.valid());
            assertEquals(id, new Id(c.ms(), c.seq()));
            c.previous();
        }
        assertFalse(c.valid());
    }

    private static void verifyBlocks(SlabAllocator alloc, long tree) {
        long[] sum = new long[1];
        IdTree.verify(tree, (address, size) -> sum[0] += size);
        assertEquals(IdTree.bytes(tree), sum[0]);
        assertTrue(alloc.usedBytes() >= sum[0]);
    }

    @Test
    void inOrderInsertsFillTheLeaves() {
        try (SlabAllocator alloc = new SlabAllocator()) {
            long tree = IdTree.create(alloc);
            int n = IdTree.FANOUT * 256;
            for (int i = 0; i < n; i++) {
                assertTrue(IdTree.insert(alloc, tree, 1000 + i / 3, i % 3, i));
            }
            long node = 24 + 24L * IdTree.FANOUT;
            // 256 full leaves, 16 full internal nodes and a root (an even split would give twice the leaves)
            assertEquals(IdTree.HEADER_SIZE + (256 + 16 + 1) * node, IdTree.bytes(tree));
            IdTree.verify(tree, (a, sz) -> { });
            IdTree.release(alloc, tree);
            assertEquals(0, alloc.usedBytes());
        }
    }

    @Test
    void smallTreeGrowsItsRootLeaf() {
        try (SlabAllocator alloc = new SlabAllocator()) {
            long tree = IdTree.create(alloc);
            assertEquals(IdTree.HEADER_SIZE + 24 + 24 * IdTree.MIN_CAPACITY, IdTree.bytes(tree));
            for (int i = 0; i < IdTree.FANOUT; i++) {
                assertTrue(IdTree.insert(alloc, tree, i, 0, i));
            }
            assertEquals(IdTree.HEADER_SIZE + 24 + 24 * IdTree.FANOUT, IdTree.bytes(tree));
            assertTrue(IdTree.insert(alloc, tree, 100, 0, 1));
            assertEquals(IdTree.HEADER_SIZE + 3 * (24 + 24 * IdTree.FANOUT), IdTree.bytes(tree));
            IdTree.verify(tree, (a, s) -> { });
            IdTree.release(alloc, tree);
            assertEquals(0, alloc.usedBytes());
        }
    }
}
