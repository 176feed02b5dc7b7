package io.redjar.internal.types;

import io.redjar.internal.Internals;
import io.redjar.Reply;
import io.redjar.Session;
import io.redjar.Store;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The sorted-set structures (listpack, skip list + member index, the root block) are returned to
 * the shard allocators by DEL, FLUSHALL, overwrites, RENAME and COPY, through every encoding
 * change, and the reads agree with a plain model meanwhile.
 */
class ZSetMemoryTest {

    private static long used(Store store) {
        long total = 0;
        var ks = Internals.engine(store).keyspace();
        for (int i = 0; i < ks.shardCount(); i++) {
            total += ks.shard(i).allocator().usedBytes();
        }
        return total;
    }

    private static Reply x(Session s, String... argv) {
        byte[][] a = new byte[argv.length][];
        for (int i = 0; i < argv.length; i++) {
            a[i] = argv[i].getBytes();
        }
        return s.execute(a);
    }

    @Test
    void everythingIsFreed() {
        try (Store store = Store.open()) {
            Session s = store.newSession();
            long base = used(store);
            Random r = new Random(7);
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < 3000; i++) {
                    String k = "z" + r.nextInt(6);
                    switch (r.nextInt(10)) {
                        case 0, 1, 2, 3 -> x(s, "ZADD", k, Integer.toString(r.nextInt(20) - 10), "m" + r.nextInt(300));
                        case 4 -> x(s, "ZREM", k, "m" + r.nextInt(300));
                        case 5 -> x(s, "ZADD", k, "1", "x".repeat(70 + r.nextInt(5)));
                        case 6 -> x(s, "ZPOPMIN", k, "3");
                        case 7 -> x(s, "ZRANGESTORE", "z" + r.nextInt(6), k, "0", Integer.toString(r.nextInt(200)));
                        case 8 -> x(s, r.nextBoolean() ? "COPY" : "RENAME", k, "z" + r.nextInt(6), "REPLACE");
                        default -> x(s, "ZREMRANGEBYSCORE", k, "-inf", Integer.toString(r.nextInt(10) - 10));
                    }
                }
                x(s, "SET", "z0", "overwritten");
                if (round == 0) {
                    x(s, "FLUSHALL");
                } else {
                    for (int i = 0; i < 6; i++) {
                        x(s, "DEL", "z" + i);
                    }
                }
                assertEquals(base, used(store), "round " + round);
            }
        }
    }

    @Test
    void skiplistAgreesWithAModel() {
        try (Store store = Store.open()) {
            Session s = store.newSession();
            java.util.TreeMap<String, Integer> model = new java.util.TreeMap<>();
            Random r = new Random(3);
            for (int i = 0; i < 2000; i++) {
                String m = "m" + r.nextInt(500);
                int sc = r.nextInt(50);
                if (r.nextInt(4) == 0) {
                    x(s, "ZREM", "z", m);
                    model.remove(m);
                } else {
                    x(s, "ZADD", "z", Integer.toString(sc), m);
                    model.put(m, sc);
                }
            }
            assertEquals(Reply.bulk("skiplist"), x(s, "OBJECT", "ENCODING", "z"));
            List<String> expected = new ArrayList<>(model.keySet());
            expected.sort((a, b) -> model.get(a) != model.get(b).intValue() ? Integer.compare(model.get(a), model.get(b)) : a.compareTo(b));
            List<Reply> want = new ArrayList<>();
            for (String m : expected) {
                want.add(Reply.bulk(m));
            }
            assertEquals(Reply.array(want), x(s, "ZRANGE", "z", "0", "-1"));
            for (int i = 0; i < expected.size(); i += 37) {
                assertEquals(Reply.integer(i), x(s, "ZRANK", "z", expected.get(i)));
            }
        }
    }
}
