package io.redjar;

import io.redjar.internal.Internals;
import io.redjar.internal.keyspace.EntryDescriptor;
import io.redjar.internal.keyspace.KeyTable;
import io.redjar.internal.keyspace.Keyspace;
import io.redjar.internal.memory.SizeClasses;
import io.redjar.testing.Seeds;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bounded concurrency tests: each finishes in a second or two, and a deadlock fails it through
 * {@code assertTimeoutPreemptively} instead of hanging the build.
 */
class ConcurrencyTest {
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    /** A thread's work; {@code index} is 0..threads-1. */
    @FunctionalInterface
    interface Body {
        void run(int index) throws Exception;
    }

    /** Runs {@code threads} bodies at once and rethrows the first failure. */
    static void concurrently(int threads, Body body) {
        assertTimeoutPreemptively(DEADLINE, () -> {
            AtomicReference<Throwable> failure = new AtomicReference<>();
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> list = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                int index = i;
                Thread t = new Thread(() -> {
                    try {
                        go.await();
                        body.run(index);
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }, "worker-" + i);
                t.setDaemon(true);
                list.add(t);
                t.start();
            }
            go.countDown();
            for (Thread t : list) {
                t.join();
            }
            if (failure.get() != null) {
                throw new AssertionError("a worker failed: " + failure.get(), failure.get());
            }
        }, "deadlock or livelock: the workers did not finish in " + DEADLINE);
    }

    /** @return {@code n} keys named prefix0.. that all live in different shards */
    static List<String> keysInDistinctShards(Store store, String prefix, int n) {
        Keyspace ks = Internals.engine(store).keyspace();
        List<String> out = new ArrayList<>();
        Set<Integer> used = new HashSet<>();
        for (int i = 0; out.size() < n; i++) {
            String k = prefix + i;
            if (used.add(ks.shardIndex(k.getBytes(StandardCharsets.UTF_8)))) {
                out.add(k);
            }
        }
        return out;
    }

    @Test
    void incrementsAreNeverLost() {
        try (Store store = Store.builder().shards(16).activeExpire(false).open()) {
            String[] keys = {"c1", "c2", "{tag}a", "{tag}b", "{tag}c"};
            Keyspace ks = Internals.engine(store).keyspace();
            assertEquals(ks.shardIndex("{tag}a".getBytes(StandardCharsets.UTF_8)), ks.shardIndex("{tag}c".getBytes(StandardCharsets.UTF_8)));
            int threads = 4;
            int perThread = 20_000;
            long[][] sums = new long[threads][keys.length];
            concurrently(threads, t -> {
                Random rnd = new Random(t);
                Session s = store.newSession();
                StringValue<Long> handle = store.string(keys[t % keys.length], Codec.LONG);
                for (int i = 0; i < perThread; i++) {
                    int k = rnd.nextInt(keys.length);
                    switch (i % 4) {
                        case 0:
                            assertFalse(s.execute("INCR", keys[k]).isError());
                            sums[t][k] += 1;
                            break;
                        case 1: {
                            long d = rnd.nextInt(201) - 100;
                            assertFalse(s.execute("INCRBY", keys[k], Long.toString(d)).isError());
                            sums[t][k] += d;
                            break;
                        }
                        case 2:
                            store.strings().decr(keys[k]);
                            sums[t][k] -= 1;
                            break;
                        default:
                            handle.increment(3);
                            sums[t][t % keys.length] += 3;
                    }
                    if (i % 97 == 0) {
                        s.execute("MGET", keys[0], keys[2], keys[4]);
                    }
                }
            });
            for (int k = 0; k < keys.length; k++) {
                long want = 0;
                for (long[] perKey : sums) {
                    want += perKey[k];
                }
                assertEquals(Long.toString(want), store.strings().get(keys[k]), "total of " + keys[k]);
            }
        }
    }

    @Test
    void msetIsAtomicAcrossShards() {
        try (Store store = Store.builder().shards(16).activeExpire(false).open()) {
            List<String> k = keysInDistinctShards(store, "pair", 3);
            String a = k.get(0);
            String b = k.get(1);
            String c = k.get(2);
            store.execute("MSET", a, "init", b, "init", c, "init");
            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicLong reads = new AtomicLong();
            AtomicLong writers = new AtomicLong(2);
            concurrently(4, t -> {
                Session s = store.newSession();
                if (t < 2) {
                    try {
                        for (int i = 0; i < 20_000; i++) {
                            String v = t + ":" + i;
                            // opposite key orders: the locks must still be taken in one order
                            Reply r = t == 0 ? s.execute("MSET", a, v, b, v, c, v) : s.execute("MSET", c, v, b, v, a, v);
                            assertEquals(Reply.OK, r);
                        }
                    } finally {
                        if (writers.decrementAndGet() == 0) {
                            writing.set(false);
                        }
                    }
                } else {
                    while (writing.get()) {
                        List<String> v = t == 2 ? values(s.execute("MGET", a, b, c)) : store.strings().mget(b, c, a);
                        assertEquals(3, v.size());
                        assertTrue(v.get(0).equals(v.get(1)) && v.get(1).equals(v.get(2)), "torn MSET seen: " + v);
                        reads.incrementAndGet();
                    }
                }
            });
            assertTrue(reads.get() > 10, "readers barely ran: " + reads.get());
            List<String> end = store.strings().mget(a, b, c);
            assertEquals(end.get(0), end.get(1));
            assertEquals(end.get(1), end.get(2));
        }
    }

    private static List<String> values(Reply r) {
        List<String> out = new ArrayList<>();
        for (Reply e : ((Reply.ArrayReply) r).elements()) {
            out.add(e instanceof Reply.Bulk b ? b.asString() : null);
        }
        return out;
    }

    @Test
    void renameBackAndForthWhileOthersRead() {
        try (Store store = Store.builder().shards(16).activeExpire(false).open()) {
            List<String> k = keysInDistinctShards(store, "ren", 2);
            String x = k.get(0);
            String y = k.get(1);
            store.strings().set(x, "V");
            AtomicBoolean renaming = new AtomicBoolean(true);
            AtomicLong renamers = new AtomicLong(2);
            AtomicLong renames = new AtomicLong();
            concurrently(4, t -> {
                Session s = store.newSession();
                if (t < 2) {
                    try {
                        String from = t == 0 ? x : y;
                        String to = t == 0 ? y : x;
                        long end = System.nanoTime() + 2_000_000_000L;
                        int mine = 0;
                        for (int i = 0; mine < 1000 && System.nanoTime() < end; i++) {
                            Reply r = s.execute(i % 3 == 0 ? "RENAMENX" : "RENAME", from, to);
                            if (r.equals(Reply.OK) || r.equals(Reply.ONE)) {
                                renames.incrementAndGet();
                                mine++;
                            } else if (r.equals(Reply.error("ERR no such key"))) {
                                Thread.yield(); // the other renamer has it: let it move it back
                            } else {
                                throw new AssertionError("RENAME " + from + " " + to + " -> " + r);
                            }
                        }
                    } finally {
                        if (renamers.decrementAndGet() == 0) {
                            renaming.set(false);
                        }
                    }
                } else {
                    while (renaming.get()) {
                        List<String> v = values(s.execute("MGET", x, y));
                        assertTrue(v.get(0) == null ^ v.get(1) == null, "the key is in both places or neither: " + v);
                        assertEquals("V", v.get(0) == null ? v.get(1) : v.get(0));
                        assertEquals(Reply.ONE, s.execute("EXISTS", x, y));
                        Reply g = s.execute("GET", t == 2 ? x : y);
                        assertTrue(g.equals(Reply.NULL) || g.equals(Reply.bulk("V")), "GET saw " + g);
                    }
                }
            });
            assertTrue(renames.get() > 20, "renames barely happened: " + renames.get());
            assertEquals(1, store.keys().exists(x, y));
            assertEquals(1, store.keys().dbSize());
        }
    }

    /** Multi-key commands over the same keys in every order: must neither deadlock nor corrupt. */
    @Test
    void crossingMultiKeyCommandsDoNotDeadlock() {
        try (Store store = Store.builder().shards(8).activeExpire(false).open()) {
            List<String> k = keysInDistinctShards(store, "x", 4);
            long baseline = store.usedMemory();
            concurrently(4, t -> {
                Random rnd = new Random(t * 31L);
                Session s = store.newSession();
                for (int i = 0; i < 15_000; i++) {
                    String p = k.get(rnd.nextInt(4));
                    String q = k.get(rnd.nextInt(4));
                    Reply r;
                    switch (rnd.nextInt(7)) {
                        case 0:
                            r = s.execute("MSET", p, "1", q, "2");
                            break;
                        case 1:
                            r = s.execute("DEL", q, p);
                            break;
                        case 2:
                            r = s.execute("RENAME", p, q);
                            break;
                        case 3:
                            r = s.execute("COPY", p, q, "REPLACE");
                            break;
                        case 4:
                            r = s.execute("MGET", q, p, k.get(0));
                            break;
                        case 5:
                            r = s.execute("MSETNX", q, "3", p, "4");
                            break;
                        default:
                            r = s.execute("RENAMENX", q, p);
                    }
                    if (r.isError()) {
                        String m = ((Reply.ErrorReply) r).message();
                        assertTrue(m.equals("ERR no such key") || m.equals("ERR source and destination objects are the same"), m);
                    }
                }
            });
            checkTables(store, 1);
            store.execute("FLUSHALL");
            assertEquals(baseline, store.usedMemory());
        }
    }

    /**
     * Writers SET (often with a short TTL), DEL, GET, EXPIRE and PERSIST while the clock moves, the
     * background expiry runs at 500 Hz and another thread runs explicit cycles. Afterwards every
     * TTL has passed: the keyspace holds exactly the keys without one, and memory is exact.
     */
    @Test
    void setAndDelWithExpiryCyclesRunning() {
        Seeds.run("set/del with expiry", rnd0 -> {
            long seed = rnd0.nextLong();
            ManualClock clock = new ManualClock(1_700_000_000_000L);
            try (Store store = Store.builder().clock(clock).activeExpire(true).hz(500).databases(2).shards(8).open()) {
                long baseline = store.usedMemory();
                AtomicBoolean running = new AtomicBoolean(true);
                AtomicLong writers = new AtomicLong(3);
                concurrently(5, t -> {
                    if (t == 3) {
                        while (running.get()) {
                            clock.advance(Duration.ofMillis(1));
                            Thread.onSpinWait();
                        }
                        return;
                    }
                    if (t == 4) {
                        while (running.get()) {
                            store.expireCycle();
                        }
                        return;
                    }
                    Random rnd = new Random(seed + t);
                    Session s = store.newSession();
                    try {
                        for (int i = 0; i < 15_000; i++) {
                            if (i % 500 == 0) {
                                s.execute("SELECT", Integer.toString(rnd.nextInt(2)));
                            }
                            String key = "k" + rnd.nextInt(300);
                            Reply r;
                            switch (rnd.nextInt(8)) {
                                case 0:
                                case 1:
                                    r = s.execute("SET", key, "v" + i, "PX", Integer.toString(1 + rnd.nextInt(30)));
                                    break;
                                case 2:
                                    r = s.execute("SET", key, "v" + i);
                                    break;
                                case 3:
                                    r = s.execute("DEL", key, "k" + rnd.nextInt(300));
                                    break;
                                case 4:
                                    r = s.execute("GET", key);
                                    break;
                                case 5:
                                    r = s.execute("PEXPIRE", key, Integer.toString(1 + rnd.nextInt(30)));
                                    break;
                                case 6:
                                    r = s.execute("PERSIST", key);
                                    break;
                                default:
                                    r = s.execute("APPEND", key, "x".repeat(rnd.nextInt(200)));
                            }
                            assertFalse(r.isError(), () -> "unexpected error");
                        }
                    } finally {
                        if (writers.decrementAndGet() == 0) {
                            running.set(false);
                        }
                    }
                });
                clock.advance(Duration.ofHours(1));
                long guard = 0;
                while (store.expireCycle() > 0) {
                    assertTrue(++guard < 10_000);
                }
                Internals.engine(store).activeExpire(false);
                checkTables(store, 2);
                for (int d = 0; d < 2; d++) {
                    for (var e : StoreModelTest.physical(store, d).entrySet()) {
                        assertEquals(0, e.getValue().expireAt(), "a key with a passed TTL survived: " + e.getKey());
                    }
                }
                store.execute("FLUSHALL");
                assertEquals(baseline, store.usedMemory());
            }
        });
    }

    /** Table counters match the entries and usedMemory is exactly entries + tables. */
    static void checkTables(Store store, int databases) {
        Keyspace ks = Internals.engine(store).keyspace();
        long expect = 0;
        for (int d = 0; d < databases; d++) {
            for (int i = 0; i < ks.shardCount(); i++) {
                KeyTable t = ks.shard(i).table(d);
                long[] c = new long[3];
                t.forEach(e -> {
                    c[0]++;
                    c[1] += EntryDescriptor.hasExpire(e) ? 1 : 0;
                    c[2] += SizeClasses.blockSize(EntryDescriptor.totalLength(e));
                });
                assertEquals(c[0], t.size());
                assertEquals(c[1], t.expires());
                expect += c[2] + t.tableBytes();
            }
        }
        for (int d = databases; d < ks.databases(); d++) {
            for (int i = 0; i < ks.shardCount(); i++) {
                assertEquals(0, ks.shard(i).table(d).size());
                expect += ks.shard(i).table(d).tableBytes();
            }
        }
        assertEquals(expect, store.usedMemory());
    }

    /**
     * The sink sees the writes to one key in the order they happened: concurrent APPENDs of unique
     * tokens leave a value that is exactly the tokens in propagation order.
     */
    @Test
    void propagationKeepsPerKeyOrder() {
        List<String[]> log = new ArrayList<>();
        PropagationSink sink = (db, argv) -> {
            String[] a = new String[argv.length];
            for (int i = 0; i < argv.length; i++) {
                a[i] = new String(argv[i], StandardCharsets.UTF_8);
            }
            synchronized (log) {
                log.add(a);
            }
        };
        try (Store store = Store.builder().shards(16).activeExpire(false).propagationSink(sink).open()) {
            List<String> keys = keysInDistinctShards(store, "ord", 2);
            concurrently(4, t -> {
                Session s = store.newSession();
                for (int i = 0; i < 3000; i++) {
                    s.execute("APPEND", keys.get(i % 2), "<" + t + "." + i + ">");
                }
            });
            Map<String, StringBuilder> replay = new HashMap<>();
            for (String[] a : log) {
                assertEquals("APPEND", a[0]);
                replay.computeIfAbsent(a[1], x -> new StringBuilder()).append(a[2]);
            }
            for (String k : keys) {
                assertEquals(replay.get(k).toString(), store.strings().get(k), "propagation order of " + k);
            }
            assertNotEquals(store.strings().get(keys.get(0)), store.strings().get(keys.get(1)));
        }
    }
}
