package io.redjar.internal.keyspace;

import io.redjar.internal.memory.SizeClasses;
import io.redjar.internal.memory.SlabAllocator;
import io.redjar.testing.Seeds;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyTableTest {

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String s(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** A key-only entry, with an expire field when {@code expire}; returns its ref. */
    static int entry(SlabAllocator a, String key, boolean expire) {
        byte[] k = b(key);
        int ref = a.allocateRef(EntryDescriptor.length(k.length, 0, expire));
        EntryDescriptor.write(a.address(ref), expire ? EntryDescriptor.FLAG_EXPIRE : 0, 0, expire ? 1234 : 0, k, 0, k.length, 0);
        return ref;
    }

    static int find(KeyTable t, String key) {
        byte[] k = b(key);
        return t.find(k, 0, k.length, Keyspace.hash(k));
    }

    static void insert(KeyTable t, SlabAllocator a, String key, boolean expire) {
        t.insert(Keyspace.hash(b(key)), entry(a, key, expire));
    }

    /** Live keys with O(1) random pick and removal. */
    static final class KeyBag {
        final List<String> list = new ArrayList<>();
        final Map<String, Integer> index = new HashMap<>();

        void add(String k) {
            index.put(k, list.size());
            list.add(k);
        }

        boolean contains(String k) {
            return index.containsKey(k);
        }

        void remove(String k) {
            int i = index.remove(k);
            String last = list.remove(list.size() - 1);
            if (i < list.size()) {
                list.set(i, last);
                index.put(last, i);
            }
        }

        String random(Random rnd) {
            return list.get(rnd.nextInt(list.size()));
        }

        int size() {
            return list.size();
        }
    }

    @Test
    void insertFindDeleteAgainstHashMapModel() {
        Seeds.run("key table model", KeyTableTest::modelRun);
    }

    private static void modelRun(Random rnd) {
        try (SlabAllocator a = new SlabAllocator()) {
            KeyTable t = new KeyTable(a);
            Map<String, Boolean> model = new HashMap<>();
            KeyBag bag = new KeyBag();
            int[] withExpire = {0};
            boolean grew = false;
            boolean shrank = false;
            boolean wide = true;
            for (int op = 0; op < 60_000; op++) {
                if (op % 5000 == 0) {
                    // alternate phases: a wide key space fills the table, a draining phase empties it
                    wide = (op / 5000) % 2 == 0;
                }
                int before = t.capacity();
                int r = rnd.nextInt(100);
                String key = !wide && bag.size() > 0 && r < 60 ? bag.random(rnd) : "k" + rnd.nextInt(wide ? 3000 : 8);
                int slot = find(t, key);
                assertEquals(model.containsKey(key), slot >= 0, "find(" + key + ") at op " + op);
                if (slot >= 0) {
                    assertEquals(key, s(EntryDescriptor.key(t.entry(slot))));
                    assertTrue(t.isLive(slot));
                }
                if (slot < 0 && r < (wide ? 70 : 80)) {
                    boolean exp = rnd.nextBoolean();
                    insert(t, a, key, exp);
                    model.put(key, exp);
                    bag.add(key);
                    withExpire[0] += exp ? 1 : 0;
                } else if (slot >= 0 && (wide ? r < 90 : r < 60)) {
                    t.deleteAt(slot);
                    t.maybeShrink();
                    withExpire[0] -= model.remove(key) ? 1 : 0;
                    bag.remove(key);
                    assertEquals(-1, find(t, key), "deleted key still found");
                }
                grew |= t.capacity() > before;
                shrank |= t.capacity() < before;
                checkShape(t, model.size(), withExpire[0], op);
                if (op % 997 == 0) {
                    checkContents(t, a, model);
                }
            }
            assertTrue(grew && shrank, "the workload must make the table grow and shrink");
            checkContents(t, a, model);
            t.clear();
            assertEquals(0, t.size());
            assertEquals(0, t.expires());
            assertEquals(KeyTable.MIN_CAPACITY, t.capacity());
            assertEquals(0, a.usedBytes(), "clear frees every entry");
        }
    }

    private static void checkShape(KeyTable t, int size, int withExpire, int op) {
        assertEquals(size, t.size(), "size at op " + op);
        assertEquals(withExpire, t.expires(), "expires at op " + op);
        int cap = t.capacity();
        assertEquals(1, Integer.bitCount(cap), "capacity must be a power of two: " + cap);
        assertTrue(t.size() * 4L <= cap * 3L, "load over 3/4 at op " + op);
        assertTrue(cap == KeyTable.MIN_CAPACITY || t.size() * 10L >= cap,
            "table not shrunk: size " + t.size() + " capacity " + cap + " at op " + op);
        assertEquals(5L * cap + 32, t.tableBytes());
    }

    private static void checkContents(KeyTable t, SlabAllocator a, Map<String, Boolean> model) {
        Set<String> seen = new HashSet<>();
        long[] bytes = {0};
        t.forEach(e -> {
            String k = s(EntryDescriptor.key(e));
            assertTrue(seen.add(k), "key twice in table: " + k);
            assertEquals(model.get(k), EntryDescriptor.hasExpire(e), "expire flag of " + k);
            bytes[0] += SizeClasses.blockSize(EntryDescriptor.totalLength(e));
        });
        assertEquals(model.keySet(), seen);
        assertEquals(bytes[0], a.usedBytes(), "allocator holds exactly the entries");
        for (String k : model.keySet()) {
            assertTrue(find(t, k) >= 0, "lost key " + k);
        }
    }

    @Test
    void tombstonesKeepProbeChainsIntactAndAreReused() {
        try (SlabAllocator a = new SlabAllocator()) {
            KeyTable t = new KeyTable(a);
            // 5 keys in an 8-slot table: collisions are certain to form chains
            for (int i = 0; i < 5; i++) {
                insert(t, a, "t" + i, false);
            }
            int cap = t.capacity();
            for (int round = 0; round < 200; round++) {
                String victim = "t" + (round % 5);
                t.deleteAt(find(t, victim));
                t.maybeShrink();
                for (int i = 0; i < 5; i++) {
                    assertEquals(i != round % 5, find(t, "t" + i) >= 0, "round " + round + " key t" + i);
                }
                insert(t, a, victim, false);
            }
            assertEquals(5, t.size());
            assertEquals(cap, t.capacity(), "churn at constant size must not grow the table");
        }
    }

    @Test
    void growsAndShrinks() {
        try (SlabAllocator a = new SlabAllocator()) {
            KeyTable t = new KeyTable(a);
            for (int i = 0; i < 10_000; i++) {
                insert(t, a, "g" + i, false);
            }
            assertTrue(t.capacity() >= 10_000 * 4 / 3, "capacity " + t.capacity());
            assertTrue(t.capacity() <= 10_000 * 4, "capacity " + t.capacity());
            for (int i = 0; i < 9_995; i++) {
                t.deleteAt(find(t, "g" + i));
                t.maybeShrink();
            }
            assertEquals(5, t.size());
            assertTrue(t.capacity() <= 64, "not shrunk: " + t.capacity());
            for (int i = 9_995; i < 10_000; i++) {
                assertTrue(find(t, "g" + i) >= 0);
            }
        }
    }

    @Test
    void randomSlotIsLive() {
        try (SlabAllocator a = new SlabAllocator()) {
            KeyTable t = new KeyTable(a);
            Random rnd = new Random(1);
            assertEquals(-1, t.randomSlot(rnd));
            for (int i = 0; i < 100; i++) {
                insert(t, a, "r" + i, false);
            }
            Set<String> picked = new HashSet<>();
            for (int i = 0; i < 2000; i++) {
                int slot = t.randomSlot(rnd);
                assertTrue(t.isLive(slot));
                picked.add(s(EntryDescriptor.key(t.entry(slot))));
            }
            assertTrue(picked.size() > 50, "random slots are not spread: " + picked.size());
        }
    }

    @Test
    void fullScanOfAStableTableReturnsEveryKeyExactlyOnce() {
        try (SlabAllocator a = new SlabAllocator()) {
            KeyTable t = new KeyTable(a);
            for (int n : new int[] {0, 1, 7, 100, 5000}) {
                t.clear();
                for (int i = 0; i < n; i++) {
                    insert(t, a, "x" + i, false);
                }
                List<String> got = new ArrayList<>();
                long cursor = 0;
                int steps = 0;
                do {
                    int mask = t.capacity() - 1;
                    long bucket = cursor & mask;
                    cursor = t.scanBucket(cursor, e -> {
                        assertEquals(bucket, t.spreadOf(e) & mask, "entry outside its home bucket");
                        got.add(s(EntryDescriptor.key(e)));
                    });
                    steps++;
                } while (cursor != 0);
                assertEquals(t.capacity(), steps, "one step per bucket");
                assertEquals(n, got.size(), "duplicates or misses for n=" + n);
                assertEquals(n, new HashSet<>(got).size());
            }
        }
    }

    /**
     * Redis's SCAN guarantee at the table level: a full scan, interleaved with inserts and deletes
     * large enough to grow and shrink the table several times mid-iteration, returns every key that
     * was present for the whole iteration at least once.
     */
    @Test
    void scanReturnsEveryKeyPresentForTheWholeIterationDespiteGrowAndShrink() {
        long master = Seeds.seed();
        Random seeds = new Random(master);
        int[] resizes = new int[2];
        for (int trial = 0; trial < 100; trial++) {
            long seed = seeds.nextLong();
            Seeds.run("scan trial " + trial + " (rerun with -Dredjar.seed=" + master + ")", seed, rnd -> scanTrial(rnd, resizes));
        }
        assertTrue(resizes[0] > 50, "too few growths mid-scan: " + resizes[0]);
        assertTrue(resizes[1] > 50, "too few shrinks mid-scan: " + resizes[1]);
    }

    private static void scanTrial(Random rnd, int[] resizes) {
        try (SlabAllocator a = new SlabAllocator()) {
            KeyTable t = new KeyTable(a);
            KeyBag live = new KeyBag();
            int fresh = 0;
            int n0 = rnd.nextInt(4) == 0 ? rnd.nextInt(20) : rnd.nextInt(3000);
            for (int i = 0; i < n0; i++) {
                String k = "s" + fresh++;
                insert(t, a, k, false);
                live.add(k);
            }
            Set<String> stable = new HashSet<>(live.list);
            Set<String> seen = new HashSet<>();
            long cursor = 0;
            long steps = 0;
            int mode = 0;
            do {
                int mask = t.capacity() - 1;
                long bucket = cursor & mask;
                cursor = t.scanBucket(cursor, e -> {
                    String k = s(EntryDescriptor.key(e));
                    assertTrue(live.contains(k), "scan returned a key that is not in the table: " + k);
                    assertEquals(bucket, t.spreadOf(e) & mask, "entry outside its home bucket");
                    seen.add(k);
                });
                int before = t.capacity();
                if (rnd.nextInt(40) == 0) {
                    mode = rnd.nextInt(4);
                }
                switch (mode) {
                    case 0: // quiet
                        break;
                    case 1: { // grow: a burst of inserts
                        int n = rnd.nextInt(12) == 0 ? rnd.nextInt(1500) : rnd.nextInt(8);
                        for (int i = 0; i < n; i++) {
                            String k = "n" + fresh++;
                            insert(t, a, k, rnd.nextBoolean());
                            live.add(k);
                        }
                        break;
                    }
                    case 2: { // shrink: delete most keys
                        int n = rnd.nextInt(8) == 0 ? live.size() * (80 + rnd.nextInt(20)) / 100 : rnd.nextInt(8);
                        for (int i = 0; i < n && live.size() > 0; i++) {
                            String k = live.random(rnd);
                            t.deleteAt(find(t, k));
                            t.maybeShrink();
                            live.remove(k);
                            stable.remove(k);
                        }
                        break;
                    }
                    default: { // churn at about constant size
                        for (int i = 0; i < rnd.nextInt(6); i++) {
                            if (live.size() > 0 && rnd.nextBoolean()) {
                                String k = live.random(rnd);
                                t.deleteAt(find(t, k));
                                t.maybeShrink();
                                live.remove(k);
                                stable.remove(k);
                            } else {
                                String k = "c" + fresh++;
                                insert(t, a, k, false);
                                live.add(k);
                            }
                        }
                    }
                }
                if (t.capacity() > before) {
                    resizes[0]++;
                } else if (t.capacity() < before) {
                    resizes[1]++;
                }
                assertTrue(++steps < 5_000_000, "scan does not terminate");
            } while (cursor != 0);
            for (String k : stable) {
                assertTrue(seen.contains(k), "key present for the whole scan was never returned: " + k
                    + " (" + stable.size() + " stable, " + seen.size() + " seen)");
            }
        }
    }
}
