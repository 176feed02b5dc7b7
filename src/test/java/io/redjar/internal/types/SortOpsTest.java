package io.redjar.internal.types;

import io.redjar.ManualClock;
import io.redjar.Reply;
import io.redjar.Store;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SORT behaviour the differential tests cannot see: propagation, lazy expiry through patterns, locking. */
class SortOpsTest {

    private static String join(byte[][] argv) {
        StringBuilder sb = new StringBuilder();
        for (byte[] a : argv) {
            sb.append(sb.length() == 0 ? "" : " ").append(new String(a, StandardCharsets.UTF_8));
        }
        return sb.toString();
    }

    @Test
    void storePropagatesTheCommandAsGivenOnlyWhenItChangedSomething() {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        try (Store store = Store.builder().propagationSink((db, argv) -> log.add(join(argv))).open()) {
            store.execute("RPUSH", "l", "2", "1");
            log.clear();
            store.execute("SORT", "l");                              // read only: nothing
            store.execute("sort", "l", "DESC", "STORE", "d");
            store.execute("SORT", "nokey", "STORE", "e");            // empty, no destination: nothing
            store.execute("SORT", "nokey", "STORE", "d");            // deletes d
            store.execute("SORT_RO", "l", "LIMIT", "0", "1");
            assertEquals(List.of("sort l DESC STORE d", "SORT nokey STORE d"), log);
        }
    }

    @Test
    void patternKeysExpireLazily() {
        ManualClock clock = new ManualClock(1_000_000);
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        try (Store store = Store.builder().clock(clock).propagationSink((db, argv) -> log.add(join(argv))).open()) {
            store.execute("DEBUG", "SET-ACTIVE-EXPIRE", "0");
            store.execute("RPUSH", "l", "a", "b");
            store.execute("SET", "w_a", "2");
            store.execute("SET", "w_b", "1");
            store.execute("PEXPIRE", "w_b", "10");
            assertEquals(Reply.array(Reply.bulk("b"), Reply.bulk("a")), store.execute("SORT", "l", "BY", "w_*"));
            clock.advance(Duration.ofMillis(20));
            log.clear();
            assertEquals(Reply.array(Reply.bulk("b"), Reply.bulk("a")), store.execute("SORT", "l", "BY", "w_*"));
            assertEquals(List.of("DEL w_b"), log);
            assertEquals(Reply.array(Reply.bulk("a"), Reply.bulk("2"), Reply.bulk("b"), Reply.NULL),
                store.execute("SORT", "l", "ALPHA", "GET", "#", "GET", "w_*"));
        }
    }

    /** SORT BY/GET reading many shards while writers move weights: no deadlock, always a full answer. */
    @Test
    void concurrentSortsAndWrites() throws Exception {
        try (Store store = Store.builder().shards(8).open()) {
            for (int i = 0; i < 50; i++) {
                store.execute("RPUSH", "l", Integer.toString(i));
                store.execute("SET", "w_" + i, Integer.toString(-i));
            }
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                fs.add(pool.submit(() -> {
                    for (int n = 0; n < 300; n++) {
                        Reply r = store.execute("SORT", "l", "BY", "w_*", "GET", "w_*");
                        assertEquals(50, ((Reply.ArrayReply) r).elements().size());
                        store.execute("SORT", "l", "BY", "w_*", "STORE", "d" + (n % 3));
                    }
                }));
                final int seed = t;
                fs.add(pool.submit(() -> {
                    for (int n = 0; n < 300; n++) {
                        int i = (n * 7 + seed) % 50;
                        store.execute("SET", "w_" + i, Integer.toString(n));
                        store.execute("INCR", "w_" + ((i + 1) % 50));
                    }
                }));
            }
            for (Future<?> f : fs) {
                f.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
            assertEquals(Reply.integer(50), store.execute("LLEN", "d0"));
        }
    }
}
