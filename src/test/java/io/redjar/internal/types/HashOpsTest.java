package io.redjar.internal.types;

import io.redjar.internal.Internals;
import io.redjar.PropagationSink;
import io.redjar.Reply;
import io.redjar.Session;
import io.redjar.Store;
import io.redjar.internal.keyspace.Keyspace;
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
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The hash type layer where the differential test cannot look: memory, propagation, randomness, SCAN. */
class HashOpsTest {

    private static long used(Store store) {
        Keyspace ks = Internals.engine(store).keyspace();
        long sum = 0;
        for (int i = 0; i < ks.shardCount(); i++) {
            sum += ks.shard(i).allocator().usedBytes();
        }
        return sum;
    }

    private static String s(Reply r) {
        return new String(((Reply.Bulk) r).value(), StandardCharsets.UTF_8);
    }

    private static List<Reply> arr(Reply r) {
        return assertInstanceOf(Reply.ArrayReply.class, r, () -> "not an array: " + r).elements();
    }

    @Test
    void memoryReturnsToBaselineAfterDelCopyRenameOverwriteAndFlush() {
        try (Store store = Store.builder().shards(8).open()) {
            Internals.engine(store).limits().hashMaxListpackEntries = 8;
            // warm the key tables up to their size so that only value structures remain to compare
            for (int i = 0; i < 64; i++) {
                store.execute("SET", "h" + i, "x");
                store.execute("SET", "c" + i, "x");
                store.execute("SET", "r" + i, "x");
            }
            store.execute("FLUSHALL");
            long baseline = used(store);
            Random rnd = new Random(7);
            for (int i = 0; i < 64; i++) {
                String k = "h" + i;
                int n = rnd.nextInt(40) + 1;
                for (int j = 0; j < n; j++) {
                    store.execute("HSET", k, "f" + rnd.nextInt(50), rnd.nextBoolean() ? "v" + j : Integer.toString(j),
                        "g" + rnd.nextInt(50), rnd.nextInt(10) == 0 ? "x".repeat(100) : "w");
                }
                store.execute("HINCRBYFLOAT", k, "fl", "1.5");
                store.execute("HDEL", k, "f1", "f2", "f3");
                store.execute("COPY", k, "c" + i);
                store.execute("RENAME", "c" + i, "r" + i);
            }
            for (int i = 0; i < 64; i += 4) {
                store.execute("SET", "h" + i, "overwritten");
                store.execute("DEL", "r" + i);
                Reply keys = store.execute("HKEYS", "h" + (i + 1));
                List<String> fields = new ArrayList<>();
                fields.add("HDEL");
                fields.add("h" + (i + 1));
                for (Reply f : arr(keys)) {
                    fields.add(s(f));
                }
                assertEquals(Reply.integer(fields.size() - 2), store.execute(fields.toArray(new String[0])));
                assertEquals(Reply.integer(0), store.execute("EXISTS", "h" + (i + 1)));
            }
            assertTrue(used(store) > baseline);
            store.execute("FLUSHALL");
            assertEquals(baseline, used(store), "every listpack, dict and record freed");
        }
    }

    @Test
    void propagation() {
        List<List<String>> log = new ArrayList<>();
        PropagationSink sink = (db, argv) -> {
            List<String> a = new ArrayList<>();
            for (byte[] b : argv) {
                a.add(new String(b, StandardCharsets.UTF_8));
            }
            log.add(a);
        };
        try (Store store = Store.builder().propagationSink(sink).open()) {
            store.execute("HSET", "h", "a", "1", "b", "2");
            store.execute("HMSET", "h", "c", "3");
            store.execute("HSETNX", "h", "a", "9");
            store.execute("HSETNX", "h", "d", "4");
            store.execute("HINCRBY", "h", "a", "10");
            store.execute("HINCRBYFLOAT", "h", "b", "0.5");
            store.execute("HINCRBYFLOAT", "h", "b", "x");
            store.execute("HDEL", "h", "zz");
            store.execute("HDEL", "h", "a", "zz");
            assertEquals(List.of(
                List.of("HSET", "h", "a", "1", "b", "2"),
                List.of("HMSET", "h", "c", "3"),
                List.of("HSETNX", "h", "d", "4"),
                List.of("HINCRBY", "h", "a", "10"),
                List.of("HSET", "h", "b", "2.5"),
                List.of("HDEL", "h", "a", "zz")), log);
        }
    }

    private static void fill(Store store, String key, int n) {
        for (int i = 0; i < n; i++) {
            store.execute("HSET", key, "f" + i, "v" + i);
        }
    }

    @Test
    void hrandfieldPropertiesOnBothEncodings() {
        try (Store store = Store.builder().config("hash-max-listpack-entries", "128").open()) {
            fill(store, "small", 10);
            fill(store, "big", 300);
            assertEquals(Reply.bulk("listpack".getBytes()), store.execute("OBJECT", "ENCODING", "small"));
            assertEquals(Reply.bulk("hashtable".getBytes()), store.execute("OBJECT", "ENCODING", "big"));
            Session resp3 = store.newSession();
            resp3.protocol(3);
            for (String key : List.of("small", "big")) {
                int size = key.equals("small") ? 10 : 300;
                for (int count : new int[] {1, 3, 9, 10, 11, 299, 300, 500}) {
                    List<Reply> r = arr(store.execute("HRANDFIELD", key, Integer.toString(count)));
                    assertEquals(Math.min(count, size), r.size());
                    Set<String> seen = new HashSet<>();
                    for (Reply f : r) {
                        String field = s(f);
                        assertTrue(seen.add(field), "distinct");
                        assertTrue(Integer.parseInt(field.substring(1)) < size);
                    }
                    // RESP2: flat field, value; RESP3: [field, value] pairs
                    List<Reply> flat = arr(store.execute("HRANDFIELD", key, Integer.toString(count), "WITHVALUES"));
                    assertEquals(2 * Math.min(count, size), flat.size());
                    for (int i = 0; i < flat.size(); i += 2) {
                        assertEquals("v" + s(flat.get(i)).substring(1), s(flat.get(i + 1)));
                    }
                    List<Reply> nested = arr(resp3.execute("HRANDFIELD", key, Integer.toString(count), "WITHVALUES"));
                    assertEquals(Math.min(count, size), nested.size());
                    for (Reply p : nested) {
                        List<Reply> pair = arr(p);
                        assertEquals("v" + s(pair.get(0)).substring(1), s(pair.get(1)));
                    }
                }
                List<Reply> neg = arr(store.execute("HRANDFIELD", key, "-1000"));
                assertEquals(1000, neg.size());
                Map<String, Integer> hist = new HashMap<>();
                for (Reply f : neg) {
                    hist.merge(s(f), 1, Integer::sum);
                }
                assertTrue(hist.size() > Math.min(size, 1000) / 3, "spread over the hash: " + hist.size());
                String one = s(store.execute("HRANDFIELD", key));
                assertTrue(Integer.parseInt(one.substring(1)) < size);
            }
            // the whole hash when the count is at least its size, in listpack order
            List<Reply> all = arr(store.execute("HRANDFIELD", "small", "10"));
            for (int i = 0; i < 10; i++) {
                assertEquals("f" + i, s(all.get(i)));
            }
        }
    }

    @Test
    void hscanOnAHashtableCoversEveryFieldAcrossCallsWhileItGrowsAndShrinks() {
        try (Store store = Store.builder().config("hash-max-listpack-entries", "128").open()) {
            fill(store, "h", 500);
            Set<String> seen = new HashSet<>();
            String cursor = "0";
            int calls = 0;
            do {
                List<Reply> r = arr(store.execute("HSCAN", "h", cursor, "COUNT", "7"));
                cursor = s(r.get(0));
                List<Reply> items = arr(r.get(1));
                assertEquals(0, items.size() % 2);
                for (int i = 0; i < items.size(); i += 2) {
                    seen.add(s(items.get(i)));
                }
                calls++;
                if (calls == 10) {
                    fill(store, "h", 2000); // grow under the scan: f0..f499 stay
                }
                if (calls == 40) {
                    for (int i = 500; i < 2000; i++) {
                        store.execute("HDEL", "h", "f" + i); // shrink under the scan
                    }
                }
            } while (!cursor.equals("0"));
            for (int i = 0; i < 500; i++) {
                assertTrue(seen.contains("f" + i), "f" + i + " returned");
            }
            assertTrue(calls > 5);
        }
    }
}
