package io.redjar.internal.eviction;

import io.redjar.ManualClock;
import io.redjar.Reply;
import io.redjar.Session;
import io.redjar.Store;
import io.redjar.internal.Internals;
import io.redjar.internal.eviction.access.Lfu;
import io.redjar.internal.keyspace.Keyspace;
import io.redjar.testing.PropagationLog;
import io.redjar.testing.Seeds;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * maxmemory eviction through the store's front door: each policy picks the keys Redis would
 * (statistically: the sampled pool), each eviction has Redis's effects (DEL propagated, the
 * {@code evicted} event, WATCH failing, INFO counters), and the lock-free used-memory figure is
 * exact.
 */
class EvictionTest {

    private static Store store(ManualClock clock, String policy, PropagationLog log) {
        // tenacity 100: no time limit, so each command evicts all it must (the time-bounded path has its own test)
        Store.Builder b = Store.builder().shards(4).activeExpire(false).clock(clock).maxMemoryPolicy(policy)
            .config("maxmemory-eviction-tenacity", "100");
        if (log != null) {
            b.propagationSink(log);
        }
        return b.open();
    }

    private static Keyspace ks(Store s) {
        return Internals.engine(s).keyspace();
    }

    /** Sets maxmemory so that about {@code bytes} must go, and runs a command (eviction runs before it). */
    private static void squeeze(Store s, long bytes) {
        s.execute("CONFIG", "SET", "maxmemory", Long.toString(s.usedMemory() - bytes));
        s.execute("PING");
    }

    @Test
    void usedMemoryIsExactAfterRandomWork() {
        Seeds.run("usedMemoryIsExactAfterRandomWork", r -> {
            try (Store s = Store.builder().shards(8).activeExpire(false).open()) {
                for (int i = 0; i < 20_000; i++) {
                    String k = "k" + r.nextInt(2000);
                    switch (r.nextInt(7)) {
                        case 0 -> s.execute("SET", k, "v".repeat(r.nextInt(300)));
                        case 1 -> s.execute("DEL", k);
                        case 2 -> s.execute("RPUSH", "l" + k, "x".repeat(r.nextInt(80)));
                        case 3 -> s.execute("HSET", "h" + k, "f" + r.nextInt(50), "v");
                        case 4 -> s.execute("EXPIRE", k, "100");
                        case 5 -> s.execute("SADD", "s" + k, Integer.toString(r.nextInt(1000)));
                        default -> s.execute("APPEND", k, "abc");
                    }
                    if (i % 2500 == 0) {
                        assertEquals(ks(s).usedMemoryLocked(), s.usedMemory(), "after " + i + " ops");
                    }
                }
                assertEquals(ks(s).usedMemoryLocked(), s.usedMemory());
                s.execute("FLUSHALL");
                assertEquals(ks(s).usedMemoryLocked(), s.usedMemory());
            }
        });
    }

    @Test
    void noevictionRefusesWritesAndEvictsNothing() {
        try (Store s = store(new ManualClock(0), "noeviction", null)) {
            for (int i = 0; i < 100; i++) {
                s.execute("SET", "k" + i, "v");
            }
            squeeze(s, 1000);
            assertTrue(s.execute("SET", "x", "1").isError());
            assertEquals(Reply.integer(100), s.execute("DBSIZE"));
            assertEquals("0", info(s, "evicted_keys"));
        }
    }

    @Test
    void allkeysLruEvictsTheIdleKeys() {
        ManualClock clock = new ManualClock(1_000_000_000L);
        try (Store s = store(clock, "allkeys-lru", null)) {
            for (int i = 0; i < 200; i++) {
                s.execute("SET", "old" + i, "v".repeat(40));
            }
            clock.advance(java.time.Duration.ofMillis(100_000));
            for (int i = 0; i < 200; i++) {
                s.execute("SET", "new" + i, "v".repeat(40));
            }
            s.execute("CONFIG", "SET", "maxmemory-samples", "10");
            long before = s.usedMemory();
            squeeze(s, before / 8);
            assertTrue(s.usedMemory() <= Long.parseLong(config(s, "maxmemory")));
            long evicted = Long.parseLong(info(s, "evicted_keys"));
            assertTrue(evicted > 10, "evicted " + evicted);
            for (int i = 0; i < 200; i++) {
                assertEquals(Reply.integer(1), s.execute("EXISTS", "new" + i), "a recently used key was evicted: new" + i);
            }
        }
    }

    @Test
    void allkeysLfuEvictsTheRarelyUsedKeysAndObjectFreqFollows() {
        ManualClock clock = new ManualClock(1_000_000_000L);
        try (Store s = store(clock, "allkeys-lfu", null)) {
            s.execute("CONFIG", "SET", "lfu-log-factor", "0"); // every access increments
            for (int i = 0; i < 100; i++) {
                s.execute("SET", "hot" + i, "v".repeat(40));
                s.execute("SET", "cold" + i, "v".repeat(40));
            }
            assertEquals(Reply.integer(Lfu.INIT_VAL), s.execute("OBJECT", "FREQ", "hot0"));
            for (int n = 0; n < 20; n++) {
                for (int i = 0; i < 100; i++) {
                    s.execute("GET", "hot" + i);
                }
            }
            assertEquals(Reply.integer(Lfu.INIT_VAL + 20), s.execute("OBJECT", "FREQ", "hot0"));
            assertTrue(s.execute("OBJECT", "IDLETIME", "hot0").isError()); // 7.0: no idle time under LFU
            // decay: one period (lfu-decay-time 1 minute) per elapsed minute
            clock.advance(java.time.Duration.ofMinutes(3));
            assertEquals(Reply.integer(Lfu.INIT_VAL + 17), s.execute("OBJECT", "FREQ", "hot0"));
            s.execute("CONFIG", "SET", "maxmemory-samples", "10");
            squeeze(s, s.usedMemory() / 6);
            for (int i = 0; i < 100; i++) {
                assertEquals(Reply.integer(1), s.execute("EXISTS", "hot" + i), "a frequently used key was evicted: hot" + i);
            }
            s.execute("CONFIG", "SET", "maxmemory", "0", "maxmemory-policy", "allkeys-lru");
            Reply err = s.execute("OBJECT", "FREQ", "hot0");
            assertTrue(err.isError() && err.toString().contains("An LFU maxmemory policy is not selected"), err.toString());
            assertEquals(Reply.NULL, s.execute("OBJECT", "FREQ", "missing"));
        }
    }

    @Test
    void volatileTtlEvictsTheSoonestToExpire() {
        ManualClock clock = new ManualClock(1_000_000_000L);
        try (Store s = store(clock, "volatile-ttl", null)) {
            for (int i = 0; i < 100; i++) {
                s.execute("SET", "soon" + i, "v".repeat(40), "EX", Integer.toString(100 + i));
                s.execute("SET", "late" + i, "v".repeat(40), "EX", Integer.toString(100_000 + i));
                s.execute("SET", "none" + i, "v".repeat(40));
            }
            s.execute("CONFIG", "SET", "maxmemory-samples", "10");
            squeeze(s, s.usedMemory() / 10);
            for (int i = 0; i < 100; i++) {
                assertEquals(Reply.integer(1), s.execute("EXISTS", "late" + i));
                assertEquals(Reply.integer(1), s.execute("EXISTS", "none" + i));
            }
        }
    }

    @Test
    void volatilePoliciesNeverTouchKeysWithoutTtlAndRefuseWhenNoneLeft() {
        for (String policy : List.of("volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl", "volatile-wtinylfu")) {
            try (Store s = store(new ManualClock(1_000_000_000L), policy, null)) {
                for (int i = 0; i < 50; i++) {
                    s.execute("SET", "p" + i, "v".repeat(40));
                }
                // a few keys with a TTL among many without: the TTL bit sets find them
                for (int i = 0; i < 3; i++) {
                    s.execute("SET", "t" + i, "v".repeat(40), "EX", "1000");
                }
                squeeze(s, s.usedMemory() / 2);
                assertEquals(Reply.integer(50), s.execute("DBSIZE"), policy);
                assertTrue(s.execute("SET", "x", "1").isError(), policy + ": nothing left to evict means OOM");
                assertEquals(Reply.integer(50), s.execute("DBSIZE"), policy);
            }
        }
    }

    @Test
    void everyAllkeysPolicyStaysWithinBounds() {
        for (String policy : List.of("allkeys-lru", "allkeys-lfu", "allkeys-random", "allkeys-wtinylfu")) {
            try (Store s = store(new ManualClock(1_000_000_000L), policy, null)) {
                s.execute("CONFIG", "SET", "maxmemory", "200000");
                for (int i = 0; i < 10_000; i++) {
                    assertEquals(Reply.OK, s.execute("SET", "k" + i, "v".repeat(60)), policy);
                    assertTrue(s.usedMemory() <= 200_000 + 512, policy + ": " + s.usedMemory());
                }
                long evicted = Long.parseLong(info(s, "evicted_keys"));
                long keys = ((Reply.IntegerReply) s.execute("DBSIZE")).value();
                assertEquals(10_000, evicted + keys, policy);
                ks(s).verifyIntegrity();
            }
        }
    }

    @Test
    void evictionPropagatesDelNotifiesAndFailsWatch() throws Exception {
        PropagationLog log = new PropagationLog();
        try (Store s = store(new ManualClock(1_000_000_000L), "allkeys-random", log)) {
            s.execute("CONFIG", "SET", "notify-keyspace-events", "Ee");
            Set<String> notified = java.util.concurrent.ConcurrentHashMap.newKeySet();
            CountDownLatch got = new CountDownLatch(1);
            try (var sub = s.pubsub().subscribe(m -> {
                notified.add(new String(m.message()));
                got.countDown();
            }, "__keyevent@0__:evicted")) {
                s.execute("SET", "only", "value");
                log.drain();
                Session watcher = s.newSession();
                assertEquals(Reply.OK, watcher.execute("WATCH", "only"));
                squeeze(s, 1);
                assertEquals(Reply.integer(0), s.execute("EXISTS", "only"));
                assertEquals(List.of(List.of("DEL", "only")), awaitEffects(log, 1));
                assertTrue(got.await(10, TimeUnit.SECONDS), "no evicted notification");
                assertEquals(Set.of("only"), new HashSet<>(notified));
                watcher.execute("MULTI");
                watcher.execute("SET", "only", "again");
                assertEquals(Reply.NULL_ARRAY, watcher.execute("EXEC"));
                assertEquals("1", info(s, "evicted_keys"));
            }
            s.execute("CONFIG", "SET", "maxmemory", "0", "lazyfree-lazy-eviction", "yes");
            s.execute("SET", "b", "1");
            log.drain();
            squeeze(s, 1);
            assertEquals(List.of(List.of("UNLINK", "b")), awaitEffects(log, 1));
        }
    }

    @Test
    void exceededTimeIsReportedWhileEvictionFails() {
        try (Store s = store(new ManualClock(1_000_000_000L), "noeviction", null)) {
            s.execute("SET", "a", "1");
            assertEquals("0", info(s, "current_eviction_exceeded_time"));
            squeeze(s, 1);
            long until = System.nanoTime() + 50_000_000;
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            assertTrue(Long.parseLong(info(s, "current_eviction_exceeded_time")) >= 40);
            s.execute("CONFIG", "SET", "maxmemory", "1gb"); // (Redis: maxmemory 0 leaves the figure running)
            s.execute("PING");
            assertEquals("0", info(s, "current_eviction_exceeded_time"));
            assertTrue(Long.parseLong(info(s, "total_eviction_exceeded_time")) >= 40);
            s.execute("CONFIG", "RESETSTAT");
            assertEquals("0", info(s, "total_eviction_exceeded_time"));
        }
    }

    @Test
    void aTimeBoundedEvictionContinuesInTheBackground() {
        try (Store s = Store.builder().shards(4).activeExpire(false).maxMemoryPolicy("allkeys-random").open()) {
            for (int i = 0; i < 5000; i++) {
                s.execute("SET", "k" + i, "v".repeat(40));
            }
            s.execute("CONFIG", "SET", "maxmemory-eviction-tenacity", "0"); // 0 us: 16 keys, then the time proc
            long max = s.usedMemory() / 2;
            s.execute("CONFIG", "SET", "maxmemory", Long.toString(max));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (s.usedMemory() > max && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertTrue(s.usedMemory() <= max, "the background eviction did not finish: " + s.usedMemory() + " > " + max);
            assertTrue(Long.parseLong(info(s, "evicted_keys")) > 16);
            ks(s).verifyIntegrity();
        }
    }

    @Test
    void restoreAndReloadCarryIdleTimeAndFrequency() {
        ManualClock clock = new ManualClock(1_000_000_000L);
        try (Store s = store(clock, "allkeys-lru", null)) {
            // the Redis suite's "RESTORE can set LRU" / "RESTORE can set LFU" (unit/dump)
            s.execute("SET", "foo", "bar");
            Reply dump = s.execute("DUMP", "foo");
            s.execute("DEL", "foo");
            assertEquals(Reply.OK, s.execute("RESTORE".getBytes(), "foo".getBytes(), "0".getBytes(),
                ((Reply.Bulk) dump).value(), "IDLETIME".getBytes(), "1000".getBytes()));
            assertEquals(Reply.integer(1000), s.execute("OBJECT", "IDLETIME", "foo"));
            s.execute("DEL", "foo");
            s.execute("CONFIG", "SET", "maxmemory-policy", "allkeys-lfu");
            assertEquals(Reply.OK, s.execute("RESTORE".getBytes(), "foo".getBytes(), "0".getBytes(),
                ((Reply.Bulk) dump).value(), "FREQ".getBytes(), "100".getBytes()));
            assertEquals(Reply.integer(100), s.execute("OBJECT", "FREQ", "foo"));
            assertEquals(Reply.bulk("bar"), s.execute("GET", "foo"));
            // an RDB round trip keeps the counter under LFU (RDB_OPCODE_FREQ) ...
            s.execute("CONFIG", "SET", "lfu-log-factor", "0");
            s.execute("GET", "foo");
            long freq = ((Reply.IntegerReply) s.execute("OBJECT", "FREQ", "foo")).value();
            assertEquals(Reply.OK, s.execute("DEBUG", "RELOAD"));
            assertEquals(Reply.integer(freq), s.execute("OBJECT", "FREQ", "foo"));
            // ... and the idle time under LRU (RDB_OPCODE_IDLE)
            s.execute("CONFIG", "SET", "maxmemory-policy", "allkeys-lru");
            s.execute("GET", "foo");
            clock.advance(java.time.Duration.ofSeconds(50));
            assertEquals(Reply.OK, s.execute("DEBUG", "RELOAD"));
            assertEquals(Reply.integer(50), s.execute("OBJECT", "IDLETIME", "foo"));
        }
    }

    @Test
    void configParametersHaveRedisRanges() {
        try (Store s = Store.builder().open()) {
            assertEquals(Reply.OK, s.execute("CONFIG", "SET", "maxmemory-samples", "64"));
            assertTrue(s.execute("CONFIG", "SET", "maxmemory-samples", "0").isError());
            assertTrue(s.execute("CONFIG", "SET", "maxmemory-eviction-tenacity", "101").isError());
            assertEquals(Reply.OK, s.execute("CONFIG", "SET", "maxmemory-eviction-tenacity", "100"));
            assertTrue(s.execute("CONFIG", "SET", "lfu-log-factor", "-1").isError());
            assertEquals(Reply.OK, s.execute("CONFIG", "SET", "lfu-decay-time", "0"));
            for (String p : List.of("volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl", "allkeys-lru",
                "allkeys-lfu", "allkeys-random", "noeviction", "allkeys-wtinylfu", "volatile-wtinylfu")) {
                assertEquals(Reply.OK, s.execute("CONFIG", "SET", "maxmemory-policy", p.toUpperCase()));
                assertEquals(p, config(s, "maxmemory-policy"));
            }
            assertEquals("10", config(s, "lfu-log-factor"));
            assertEquals("100", config(s, "maxmemory-eviction-tenacity"));
        }
    }

    /** The effects delivered so far once there are {@code n} (delivery may trail the evicting thread). */
    private static List<List<String>> awaitEffects(PropagationLog log, int n) {
        List<List<String>> got = new java.util.ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (got.size() < n && System.nanoTime() < deadline) {
            got.addAll(log.drain());
            Thread.onSpinWait();
        }
        got.addAll(log.drain());
        return got;
    }

    static String info(Store s, String field) {
        String text = ((Reply.Verbatim) s.execute("INFO", "stats")).text();
        for (String line : text.split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1);
            }
        }
        throw new AssertionError("no " + field + " in INFO: " + text);
    }

    static String config(Store s, String name) {
        Reply r = s.execute("CONFIG", "GET", name);
        return ((Reply.Bulk) ((Reply.Map) r).flat().get(1)).asString();
    }
}
