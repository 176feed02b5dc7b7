package io.redjar.internal.types;

import io.redjar.internal.Internals;
import io.redjar.Reply;
import io.redjar.Store;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The set type layer where the differential test cannot look: native memory returns to its
 * baseline, propagation, SSCAN's guarantee over a resizing hashtable, and the shape of random
 * replies.
 */
class SetOpsTest {

    private static long used(Store store) {
        long sum = 0;
        var ks = Internals.engine(store).keyspace();
        for (int i = 0; i < ks.shardCount(); i++) {
            sum += ks.shard(i).allocator().usedBytes();
        }
        return sum;
    }

    private static String[] sadd(String key, int from, int to, String prefix) {
        List<String> a = new ArrayList<>(List.of("SADD", key));
        for (int i = from; i < to; i++) {
            a.add(prefix + i);
        }
        return a.toArray(new String[0]);
    }

    private static List<String> strings(Reply r) {
        List<Reply> el = r instanceof Reply.SetReply s ? s.elements() : ((Reply.ArrayReply) r).elements();
        List<String> out = new ArrayList<>();
        for (Reply x : el) {
            out.add(((Reply.Bulk) x).asString());
        }
        return out;
    }

    /** Every path that creates, grows, converts, rebuilds, copies or moves a set frees it all again. */
    @Test
    void memoryReturnsToBaseline() {
        try (Store store = Store.builder().shards(4).open()) {
            long baseline = used(store);
            for (int round = 0; round < 3; round++) {
                store.execute(sadd("small", 0, 10, ""));
                store.execute(sadd("wide", 0, 10, "1000000000"));         // int64 upgrade
                store.execute(sadd("conv", 0, 600, ""));                 // past 512: hashtable
                store.execute(sadd("words", 0, 20000, "member-"));       // slot array above 64 KiB
                store.execute("SADD", "mixed", "1", "2", "x");
                store.execute("SREM", "words", "member-1", "member-2");
                store.execute("SMOVE", "conv", "moved", "5");
                store.execute("SMOVE", "words", "moved", "member-7");
                store.execute("SINTERSTORE", "inter", "conv", "small");
                store.execute("SUNIONSTORE", "inter", "conv", "words");  // overwrite releases the old one
                store.execute("SDIFFSTORE", "diff", "words", "conv");
                store.execute("SPOP", "conv", "590");                    // CASE 3: rebuilt set
                store.execute("SPOP", "diff", "10");                     // CASE 2
                store.execute("SPOP", "small");
                store.execute("COPY", "words", "words2");
                store.execute("COPY", "small", "small2");
                store.execute("RENAME", "words2", "{x}words3");
                store.execute("RENAME", "small2", "{y}small3");
                store.execute("SET", "mixed", "overwritten");
                store.execute("SPOP", "wide", "100");
                assertEquals(Reply.ZERO, store.execute("EXISTS", "wide"));
                if (round == 0) {
                    store.execute("DEL", "small", "conv", "words", "moved", "inter", "diff", "{x}words3", "{y}small3", "mixed");
                    assertEquals(Reply.ZERO, store.execute("DBSIZE"));
                } else {
                    store.execute("FLUSHALL");
                }
                assertEquals(baseline, used(store), "round " + round);
            }
        }
    }

    @Test
    void propagation() {
        List<String> log = new ArrayList<>();
        try (Store store = Store.builder().propagationSink((db, argv) -> {
            StringBuilder sb = new StringBuilder();
            for (byte[] a : argv) {
                sb.append(sb.length() == 0 ? "" : " ").append(new String(a, StandardCharsets.UTF_8));
            }
            log.add(sb.toString());
        }).open()) {
            store.execute("SADD", "s", "1", "2", "3");
            store.execute("SADD", "s", "1");                  // nothing added: not propagated
            store.execute("SREM", "s", "9");                  // nothing removed: not propagated
            store.execute("SMOVE", "s", "s", "1");            // same key: not propagated
            store.execute("SMOVE", "s", "t", "1");
            store.execute("SINTERSTORE", "d", "s", "nokey");  // empty result, no destination: nothing
            store.execute("SUNIONSTORE", "d", "s", "t");
            Reply one = store.execute("SPOP", "s", "1");
            store.execute("SPOP", "d", "10");
            assertEquals(List.of("SADD s 1 2 3", "SMOVE s t 1", "SUNIONSTORE d s t",
                "SREM s " + strings(one).get(0), "DEL d"), log);
        }
    }

    /** A member present for the whole scan is returned, even while the table grows or shrinks. */
    @Test
    void sscanCoversEverythingAcrossResizes() {
        try (Store store = Store.open()) {
            store.execute(sadd("h", 0, 300, "m"));
            Random rnd = new Random(1);
            for (int trial = 0; trial < 20; trial++) {
                Set<String> seen = new HashSet<>();
                String cursor = "0";
                int steps = 0;
                do {
                    Reply r = store.execute("SSCAN", "h", cursor, "COUNT", Integer.toString(1 + rnd.nextInt(20)));
                    List<Reply> parts = ((Reply.ArrayReply) r).elements();
                    cursor = ((Reply.Bulk) parts.get(0)).asString();
                    seen.addAll(strings(parts.get(1)));
                    if (steps++ % 3 == 0) {  // grow and shrink between calls, keeping m0..m299
                        store.execute(rnd.nextBoolean() ? sadd("h", 1000, 3000, "tmp") : new String[] {"SREM", "h", "tmp1000"});
                        if (rnd.nextInt(3) == 0) {
                            List<String> rem = new ArrayList<>(List.of("SREM", "h"));
                            for (int i = 1000; i < 3000; i++) {
                                rem.add("tmp" + i);
                            }
                            store.execute(rem.toArray(new String[0]));
                        }
                    }
                } while (!cursor.equals("0"));
                for (int i = 0; i < 300; i++) {
                    assertTrue(seen.contains("m" + i), "trial " + trial + " missed m" + i);
                }
            }
        }
    }

    @Test
    void randomRepliesHaveRedisShapes() {
        try (Store store = Store.open()) {
            for (String[] create : List.of(sadd("s", 0, 50, ""), sadd("s", 0, 50, "w"))) {
                store.execute("DEL", "s");
                store.execute(create);
                Set<String> all = new HashSet<>(strings(store.execute("SMEMBERS", "s")));
                for (int count : new int[] {1, 2, 10, 49, 50, 51, 1000}) {
                    List<String> got = strings(store.execute("SRANDMEMBER", "s", Integer.toString(count)));
                    assertEquals(Math.min(count, 50), got.size());
                    assertEquals(got.size(), new HashSet<>(got).size(), "distinct");
                    assertTrue(all.containsAll(got));
                }
                List<String> rep = strings(store.execute("SRANDMEMBER", "s", "-200"));
                assertEquals(200, rep.size());
                assertTrue(all.containsAll(rep));
                assertTrue(new HashSet<>(rep).size() > 1);
                assertTrue(all.contains(((Reply.Bulk) store.execute("SRANDMEMBER", "s")).asString()));
                assertEquals(Reply.array(), store.execute("SRANDMEMBER", "s", "0"));
                assertEquals(50L, ((Reply.IntegerReply) store.execute("SCARD", "s")).value());
                Set<String> popped = new HashSet<>();
                while (popped.size() < 50) {
                    popped.add(((Reply.Bulk) store.execute("SPOP", "s")).asString());
                }
                assertEquals(all, popped);
                assertEquals(Reply.ZERO, store.execute("EXISTS", "s"));
            }
        }
    }
}
