package io.redjar.internal.types;

import io.redjar.RedJarException;
import io.redjar.internal.memory.SlabAllocator;
import io.redjar.internal.structure.Listpack;
import io.redjar.internal.structure.StreamIndex;
import io.redjar.internal.structure.StreamNode;
import io.redjar.testing.Seeds;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The stream structure (object, index, Redis-format nodes) against a {@link TreeMap} model:
 * seeded random appends (explicit IDs, some too small), deletes, exact and approximate trims by
 * MAXLEN and MINID with limits, and forward/backward ranges with counts, checking the contents,
 * the length and the metadata after every step, the structure's own verification often, and that
 * freeing returns the allocator to zero.
 */
class StreamObjectModelTest {
    private SlabAllocator alloc;

    @BeforeEach
    void open() {
        alloc = new SlabAllocator();
    }

    @AfterEach
    void close() {
        alloc.close();
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static long key(StreamId id) {
        return id.ms() * 1000 + id.seq(); // model IDs stay small
    }

    @ParameterizedTest(name = "node bytes {0}, entries {1}")
    @CsvSource({"4096, 100", "4096, 3", "80, 0", "0, 1"})
    void randomOperationsMatchTheModel(long nodeBytes, long nodeEntries) {
        Seeds.run("stream model", random -> runModel(random, nodeBytes, nodeEntries, 3000));
    }

    private void runModel(Random r, long nodeBytes, long nodeEntries, int steps) {
        CollectionLimits limits = new CollectionLimits();
        limits.streamNodeMaxBytes = nodeBytes;
        limits.streamNodeMaxEntries = nodeEntries;
        long s = StreamObject.create(alloc);
        NavigableMap<StreamId, byte[][]> model = new TreeMap<>();
        long ms = 1;
        long added = 0;
        for (int step = 0; step < steps; step++) {
            int op = r.nextInt(20);
            if (op < 10) {
                ms += r.nextInt(3);
                StreamId id = new StreamId(ms, r.nextInt(4));
                byte[][] argv = fields(r);
                boolean ok = id.compareTo(StreamObject.lastId(s)) > 0;
                if (ok) {
                    StreamId got = StreamObject.append(alloc, s, limits, 0, id, true, argv, 0, argv.length / 2);
                    assertEquals(id, got);
                    model.put(id, argv);
                    added++;
                } else {
                    assertThrows(RedJarException.class, () -> StreamObject.append(alloc, s, limits, 0, id, true, argv, 0, argv.length / 2));
                }
            } else if (op < 13) {
                StreamId id = new StreamId(Math.max(0, ms - r.nextInt(20)), r.nextInt(4));
                assertEquals(model.remove(id) != null, StreamObject.delete(alloc, s, id.ms(), id.seq()), "delete " + id);
            } else if (op < 15) {
                boolean approx = r.nextBoolean();
                long limit = approx && r.nextBoolean() ? r.nextInt(10) : 0;
                long before = model.size();
                long removed;
                if (r.nextBoolean()) {
                    long maxlen = r.nextInt(40);
                    removed = StreamObject.trim(alloc, s, StreamObject.TRIM_MAXLEN, maxlen, 0, 0, approx, limit);
                    if (!approx) {
                        assertEquals(Math.max(0, before - maxlen), removed);
                    } else {
                        assertTrue(before - removed >= Math.min(before, maxlen));
                    }
                } else {
                    StreamId min = new StreamId(Math.max(0, ms - r.nextInt(30)), r.nextInt(4));
                    removed = StreamObject.trim(alloc, s, StreamObject.TRIM_MINID, 0, min.ms(), min.seq(), approx, limit);
                    if (!approx) {
                        assertEquals(model.headMap(min).size(), removed);
                    } else {
                        assertTrue(removed <= model.headMap(min).size());
                    }
                }
                if (limit > 0) {
                    assertTrue(removed <= limit, "removed " + removed + " > limit " + limit);
                }
                for (long i = 0; i < removed; i++) {
                    model.pollFirstEntry(); // trimming removes from the head only
                }
            } else {
                StreamId lo = new StreamId(Math.max(0, ms - r.nextInt(30)), r.nextInt(4));
                StreamId hi = r.nextInt(5) == 0 ? StreamId.MAX : new StreamId(Math.max(0, ms - r.nextInt(15)), r.nextInt(4));
                boolean rev = r.nextBoolean();
                int count = r.nextInt(4) == 0 ? 0 : 1 + r.nextInt(8);
                List<Map.Entry<StreamId, byte[][]>> expect = new ArrayList<>();
                if (lo.compareTo(hi) <= 0) {
                    expect.addAll((rev ? model.subMap(lo, true, hi, true).descendingMap() : model.subMap(lo, true, hi, true)).entrySet());
                }
                if (count > 0 && expect.size() > count) {
                    expect = expect.subList(0, count);
                }
                List<StreamId> ids = new ArrayList<>();
                List<byte[][]> fvs = new ArrayList<>();
                StreamObject.range(s, lo.ms(), lo.seq(), hi.ms(), hi.seq(), rev, count, false, (m, q, e) -> {
                    ids.add(new StreamId(m, q));
                    fvs.add(e.fieldsAndValues());
                    return true;
                });
                assertEquals(expect.size(), ids.size(), "range " + lo + ".." + hi + " rev " + rev + " count " + count);
                for (int i = 0; i < ids.size(); i++) {
                    assertEquals(expect.get(i).getKey(), ids.get(i));
                    assertArrayEquals(expect.get(i).getValue(), fvs.get(i));
                }
            }
            assertEquals(model.size(), StreamObject.length(s));
            assertEquals(added, StreamObject.entriesAdded(s));
            if (!model.isEmpty()) {
                assertEquals(model.lastKey(), StreamObject.lastValidId(s));
                assertEquals(model.firstKey(), StreamObject.edgeId(s, true, true));
                assertTrue(StreamObject.exists(s, model.firstKey().ms(), model.firstKey().seq()));
            }
            if (step % 50 == 0) {
                StreamObject.verify(s, (a, size) -> { });
            }
        }
        StreamObject.verify(s, (a, size) -> { });
        long copy = StreamObject.copy(s, alloc);
        StreamObject.verify(copy, (a, size) -> { });
        assertEquals(StreamObject.length(s), StreamObject.length(copy));
        StreamObject.free(alloc, s);
        StreamObject.free(alloc, copy);
        assertEquals(0, alloc.usedBytes());
    }

    private static byte[][] fields(Random r) {
        int n = 1 + r.nextInt(3);
        byte[][] argv = new byte[2 * n][];
        boolean same = r.nextInt(3) > 0;
        for (int i = 0; i < n; i++) {
            argv[2 * i] = same ? b("f" + i) : b(r.nextBoolean() ? Integer.toString(r.nextInt(100)) : "g" + r.nextInt(5));
            argv[2 * i + 1] = r.nextInt(4) == 0 ? b(Long.toString(r.nextLong())) : b("v".repeat(r.nextInt(30)));
        }
        return argv;
    }

    /** The node bytes of Redis's own example: master entry, a same-fields entry, a different-fields one. */
    @Test
    void nodeBytesAreRedisFormat() {
        CollectionLimits limits = new CollectionLimits();
        long s = StreamObject.create(alloc);
        StreamObject.append(alloc, s, limits, 0, new StreamId(5, 0), true, new byte[][] {b("a"), b("1")}, 0, 1);
        StreamObject.append(alloc, s, limits, 0, new StreamId(5, 1), true, new byte[][] {b("a"), b("x")}, 0, 1);
        StreamObject.append(alloc, s, limits, 0, new StreamId(7, 0), true, new byte[][] {b("b"), b("2")}, 0, 1);
        long lp = StreamIndex.node(StreamObject.index(s), 0);
        List<String> elements = new ArrayList<>();
        for (int p = Listpack.first(lp); p >= 0; p = Listpack.next(lp, p)) {
            elements.add(new String(Listpack.get(lp, p), StandardCharsets.US_ASCII));
        }
        // count 3, deleted 0, 1 master field "a", terminator 0;
        // entry 5-0: flags SAMEFIELDS(2), 0, 0, "1", lp-count 4;
        // entry 5-1: 2, 0, 1, "x", 4;
        // entry 7-0: flags 0, 2, -0 (0 - 0), 1 field, "b", "2", lp-count 6
        assertEquals(List.of("3", "0", "1", "a", "0",
            "2", "0", "0", "1", "4",
            "2", "0", "1", "x", "4",
            "0", "2", "0", "1", "b", "2", "6"), elements);
        assertTrue(StreamObject.delete(alloc, s, 5, 1));
        lp = StreamIndex.node(StreamObject.index(s), 0);
        assertEquals(2, StreamNode.liveCount(lp));
        assertEquals(1, StreamNode.deletedCount(lp));
        assertFalse(StreamObject.exists(s, 5, 1));
        assertEquals(StreamObject.ENTRY_DELETED, StreamObject.entryState(s, 5, 1));
        assertEquals(StreamObject.ENTRY_LIVE, StreamObject.entryState(s, 5, 0));
        assertEquals(StreamObject.ENTRY_MISSING, StreamObject.entryState(s, 6, 0));
        StreamObject.free(alloc, s);
        assertEquals(0, alloc.usedBytes());
    }

    @Test
    void idParsingFollowsRedis() {
        assertEquals(new StreamId(7, 0), StreamId.parse(b("7"), 0));
        assertEquals(new StreamId(7, -1L), StreamId.parse(b("7"), -1L));
        assertEquals(StreamId.MAX, StreamId.parse(b("+"), 0));
        assertEquals(new StreamId(7, 0), StreamId.parse(b("007"), 0)); // strtoull
        assertEquals(new StreamId(1, 0), StreamId.parse(b("1--0"), 0)); // strtoull("-0")
        assertEquals(new StreamId(-1L, 5), StreamId.parse(b("18446744073709551615-5"), 0));
        for (String bad : List.of("", "-0", "-1", "1-", "abc", "18446744073709551616", "1-2-3", "1 ", "1-*")) {
            assertThrows(RedJarException.class, () -> StreamId.parse(b(bad), 0), bad);
        }
        assertThrows(RedJarException.class, () -> StreamId.parseStrict(b("-"), 0));
        StreamId.Parsed p = StreamId.parseStrictAllowingAutoSeq(b("5-*"));
        assertEquals(new StreamId(5, 0), p.id());
        assertFalse(p.seqGiven());
        assertEquals(null, StreamId.MAX.incr());
        assertEquals(null, StreamId.MIN.decr());
        assertEquals(new StreamId(1, 0), new StreamId(0, -1L).incr());
        assertArrayEquals(b("18446744073709551615-0"), new StreamId(-1L, 0).bytes());
        assertTrue(Arrays.equals(b("3-4"), StreamId.bytes(3, 4)));
    }
}
