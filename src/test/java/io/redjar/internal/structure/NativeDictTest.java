package io.redjar.internal.structure;

import io.redjar.internal.memory.NativeMemory;
import io.redjar.internal.memory.SlabAllocator;
import io.redjar.testing.Seeds;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Model-based tests of {@link NativeDict} with set and hash records, and its SCAN guarantee. */
class NativeDictTest {

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static String s(long address, int len) {
        return new String(NativeMemory.toArray(address, len), StandardCharsets.ISO_8859_1);
    }

    static String setMember(long r) {
        return s(NativeDictDescriptor.SET_RECORDS.keyAddress(r), NativeDictDescriptor.SET_RECORDS.keyLength(r));
    }

    static String hashField(long r) {
        return s(NativeDictDescriptor.hashFieldAddress(r), NativeDictDescriptor.HASH_RECORDS.keyLength(r));
    }

    static String randomKey(Random r, int space) {
        int k = r.nextInt(space);
        // some long keys (varint lengths above one byte), mostly short ones
        return k % 97 == 0 ? "long-" + k + "-".repeat(150) : "k" + k;
    }

    static void add(NativeDict d, SlabAllocator a, long dict, String key) {
        byte[] k = b(key);
        long rec = NativeDictDescriptor.newSetRecord(a, k, 0, k.length);
        d.insert(dict, NativeDict.hash(k), rec);
    }

    static boolean remove(NativeDict d, long dict, String key) {
        byte[] k = b(key);
        int slot = d.find(dict, k, 0, k.length);
        if (slot < 0) {
            return false;
        }
        d.deleteAt(dict, slot);
        return true;
    }

    static Set<String> contents(long dict) {
        Set<String> out = new HashSet<>();
        NativeDict.forEach(dict, r -> assertTrue(out.add(setMember(r)), "duplicate record"));
        return out;
    }

    @Test
    void setModel() {
        Seeds.run("native dict set model", NativeDictTest::setModelRun);
    }

    static void setModelRun(Random r) {
        SlabAllocator a = new SlabAllocator();
        NativeDict d = new NativeDict(a, NativeDictDescriptor.SET_RECORDS, true);
        long dict = d.create();
        Set<String> model = new HashSet<>();
        int space = 2000;
        for (int op = 0; op < 30000; op++) {
            // phases: grow to ~1500 keys, then drain to a few (exercises growth, tombstones, shrink)
            boolean draining = (op / 6000) % 2 == 1;
            String key = randomKey(r, space);
            byte[] k = b(key);
            int slot = d.find(dict, k, 0, k.length);
            assertEquals(model.contains(key), slot >= 0, "find " + key);
            if (slot >= 0) {
                assertEquals(key, setMember(NativeDict.record(dict, slot)));
            }
            int roll = r.nextInt(100);
            if (roll < (draining ? 20 : 70)) {
                if (slot < 0) {
                    add(d, a, dict, key);
                    model.add(key);
                }
            } else if (slot >= 0) {
                d.deleteAt(dict, slot);
                model.remove(key);
                if (r.nextInt(4) == 0) {
                    d.maybeShrink(dict);
                }
            }
            assertEquals(model.size(), NativeDict.size(dict));
            int cap = NativeDict.capacity(dict);
            assertEquals(0, cap & (cap - 1), "power of two");
            assertTrue((NativeDict.size(dict) + NativeDict.dead(dict)) * 4L <= cap * 3L, "load <= 3/4");
            if (op % 1000 == 0) {
                assertEquals(model, contents(dict));
            }
        }
        assertEquals(model, contents(dict));
        // drain completely, then shrink to the minimum
        for (String key : new ArrayList<>(model)) {
            assertTrue(remove(d, dict, key));
        }
        d.maybeShrink(dict);
        assertEquals(NativeDict.MIN_CAPACITY, NativeDict.capacity(dict));
        assertEquals(0, NativeDict.size(dict));
        assertEquals(-1, NativeDict.randomSlot(dict, new SplittableRandom(1)));
        d.free(dict);
        assertEquals(0, a.usedBytes(), "allocator back to baseline");
        a.close();
    }

    @Test
    void hashModel() {
        Seeds.run("native dict hash model", NativeDictTest::hashModelRun);
    }

    static void hashModelRun(Random r) {
        SlabAllocator a = new SlabAllocator();
        NativeDict d = new NativeDict(a, NativeDictDescriptor.HASH_RECORDS, true);
        long dict = d.create(100);
        assertEquals(256, NativeDict.capacity(dict), "presized for 100");
        Map<String, byte[]> model = new HashMap<>();
        for (int op = 0; op < 20000; op++) {
            String field = randomKey(r, 800);
            byte[] f = b(field);
            int slot = d.find(dict, f, 0, f.length);
            int roll = r.nextInt(100);
            if (roll < 60) {
                byte[] v = new byte[r.nextInt(r.nextInt(10) == 0 ? 300 : 20)];
                r.nextBytes(v);
                long rec = NativeDictDescriptor.newHashRecord(a, f, 0, f.length, v, 0, v.length);
                if (slot >= 0) {
                    long old = NativeDict.record(dict, slot);
                    NativeDict.replaceRecord(dict, slot, rec);
                    a.free(old, NativeDictDescriptor.HASH_RECORDS.recordSize(old));
                } else {
                    d.insert(dict, rec);
                }
                model.put(field, v);
            } else if (roll < 85) {
                byte[] want = model.get(field);
                long rec = d.get(dict, f, 0, f.length);
                if (want == null) {
                    assertEquals(0, rec);
                } else {
                    assertEquals(field, hashField(rec));
                    assertTrue(Arrays.equals(want, NativeDictDescriptor.hashValue(rec)), "value of " + field);
                }
            } else if (slot >= 0) {
                d.deleteAt(dict, slot);
                model.remove(field);
                d.maybeShrink(dict);
            }
            assertEquals(model.size(), NativeDict.size(dict));
        }
        Map<String, byte[]> seen = new HashMap<>();
        NativeDict.forEach(dict, rec -> seen.put(hashField(rec), NativeDictDescriptor.hashValue(rec)));
        assertEquals(model.keySet(), seen.keySet());
        for (Map.Entry<String, byte[]> e : model.entrySet()) {
            assertTrue(Arrays.equals(e.getValue(), seen.get(e.getKey())));
        }
        long before = a.usedBytes();
        assertTrue(before > NativeDict.tableBytes(dict));
        d.free(dict);
        assertEquals(0, a.usedBytes(), "allocator back to baseline");
        a.close();
    }

    /**
     * Redis's SCAN guarantee: a key present for the whole scan is returned at least once, while the
     * table grows and shrinks between calls.
     */
    @Test
    void scanSurvivesGrowthAndShrink() {
        long master = Seeds.seed();
        RESIZES.set(0);
        for (int trial = 0; trial < 40; trial++) {
            long seed = master + trial;
            Seeds.run("dict scan trial " + trial + " (rerun with -Dredjar.seed=" + master + ")", seed, NativeDictTest::scanTrial);
        }
        assertTrue(RESIZES.get() > 10, "the scans saw resizes: " + RESIZES.get());
    }

    private static final java.util.concurrent.atomic.AtomicInteger RESIZES = new java.util.concurrent.atomic.AtomicInteger();

    static void scanTrial(Random r) {
        SlabAllocator a = new SlabAllocator();
        NativeDict d = new NativeDict(a, NativeDictDescriptor.SET_RECORDS, true);
        long dict = d.create();
        int stable = 1 + r.nextInt(300);
        Set<String> stableKeys = new HashSet<>();
        for (int i = 0; i < stable; i++) {
            add(d, a, dict, "s" + i);
            stableKeys.add("s" + i);
        }
        List<String> churn = new ArrayList<>();
        int next = 0;
        if (r.nextBoolean()) { // start big so the scan sees shrinks
            for (int i = 0; i < 2000; i++) {
                String k = "c" + next++;
                add(d, a, dict, k);
                churn.add(k);
            }
        }
        Set<String> seen = new HashSet<>();
        long cursor = 0;
        int calls = 0;
        int resizes = 0;
        do {
            cursor = d.scanBucket(dict, cursor, rec -> seen.add(setMember(rec)));
            calls++;
            assertTrue(calls < 1_000_000, "scan does not terminate");
            int cap = NativeDict.capacity(dict);
            int action = r.nextInt(10);
            if (action == 0) { // growth burst
                int n = r.nextInt(600);
                for (int i = 0; i < n; i++) {
                    String k = "c" + next++;
                    add(d, a, dict, k);
                    churn.add(k);
                }
            } else if (action == 1 && !churn.isEmpty()) { // shrink burst
                int n = r.nextInt(churn.size() + 1);
                for (int i = 0; i < n; i++) {
                    String k = churn.remove(churn.size() - 1);
                    assertTrue(remove(d, dict, k));
                }
                d.maybeShrink(dict);
            }
            if (NativeDict.capacity(dict) != cap) {
                resizes++;
            }
        } while (cursor != 0);
        RESIZES.addAndGet(resizes);
        for (String k : stableKeys) {
            assertTrue(seen.contains(k), "key present for the whole scan was not returned: " + k
                + " (calls " + calls + ", resizes " + resizes + ")");
        }
        d.free(dict);
        assertEquals(0, a.usedBytes());
        a.close();
    }

    @Test
    void scanWithoutChangesVisitsEachKeyOnce() {
        SlabAllocator a = new SlabAllocator();
        NativeDict d = new NativeDict(a, NativeDictDescriptor.SET_RECORDS, true);
        long dict = d.create();
        for (int i = 0; i < 1000; i++) {
            add(d, a, dict, "k" + i);
        }
        for (int i = 0; i < 1000; i += 3) {
            assertTrue(remove(d, dict, "k" + i)); // tombstones in the runs
        }
        List<String> seen = new ArrayList<>();
        long cursor = 0;
        int calls = 0;
        do {
            cursor = d.scanBucket(dict, cursor, rec -> seen.add(setMember(rec)));
            calls++;
        } while (cursor != 0);
        assertEquals(NativeDict.capacity(dict), calls, "one call per bucket");
        assertEquals(NativeDict.size(dict), seen.size(), "no duplicates on a stable table");
        assertEquals(contents(dict), new HashSet<>(seen));
        d.free(dict);
        assertEquals(0, a.usedBytes());
        a.close();
    }

    @Test
    void randomSlotIsRoughlyUniform() {
        SlabAllocator a = new SlabAllocator();
        NativeDict d = new NativeDict(a, NativeDictDescriptor.SET_RECORDS, true);
        long dict = d.create();
        int n = 20;
        for (int i = 0; i < n; i++) {
            add(d, a, dict, "m" + i);
        }
        SplittableRandom rnd = new SplittableRandom(42);
        Map<String, Integer> counts = new HashMap<>();
        int draws = 40000;
        for (int i = 0; i < draws; i++) {
            int slot = NativeDict.randomSlot(dict, rnd);
            assertTrue(NativeDict.isLive(dict, slot));
            counts.merge(setMember(NativeDict.record(dict, slot)), 1, Integer::sum);
        }
        assertEquals(n, counts.size());
        for (int c : counts.values()) {
            assertTrue(Math.abs(c - draws / n) < draws / n * 0.15, "count " + c);
        }
        d.free(dict);
        a.close();
    }

    @Test
    void zsetIndexDoesNotOwnNodes() {
        SlabAllocator a = new SlabAllocator();
        SkipList sl = new SkipList(a, new SplittableRandom(7));
        NativeDict index = new NativeDict(a, SkipListDescriptor.MEMBER_KEYS, false);
        long zsl = sl.create();
        long dict = index.create();
        for (int i = 0; i < 500; i++) {
            index.insert(dict, sl.insert(zsl, i % 17, b("member-" + i)));
        }
        byte[] m = b("member-42");
        long node = index.get(dict, m, 0, m.length);
        assertEquals(42 % 17, SkipListDescriptor.score(node));
        assertThrows(IllegalStateException.class, () -> index.deleteAt(dict, index.find(dict, m, 0, m.length)));
        // removing from the index leaves the node to the skip list
        long got = NativeDict.removeAt(dict, index.find(dict, m, 0, m.length));
        assertEquals(node, got);
        sl.deleteNode(zsl, node);
        assertEquals(499, SkipList.length(zsl));
        index.free(dict); // frees only the table
        assertEquals(499, SkipList.length(zsl));
        sl.free(zsl);
        assertEquals(0, a.usedBytes());
        a.close();
    }

    @Test
    void largeSlotArrayIsAccounted() {
        SlabAllocator a = new SlabAllocator();
        NativeDict d = new NativeDict(a, NativeDictDescriptor.SET_RECORDS, true);
        long dict = d.create(20000); // 32768 slots = 256 KiB, a dedicated allocation
        assertEquals(32768, NativeDict.capacity(dict));
        assertEquals(NativeDict.tableBytes(dict), a.usedBytes());
        d.free(dict);
        assertEquals(0, a.usedBytes());
        a.close();
    }
}
