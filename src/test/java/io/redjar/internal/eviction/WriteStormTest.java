package io.redjar.internal.eviction;

import io.redjar.Reply;
import io.redjar.Store;
import io.redjar.internal.Internals;
import io.redjar.internal.keyspace.Keyspace;
import io.redjar.testing.Seeds;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A write storm from many threads, through the typed API and {@code execute} alike, against a
 * store at a fixed {@code maxmemory}: a watcher reading the lock-free figure throughout never sees
 * more than {@code maxmemory} plus what the commands in flight can add (one entry each, plus a
 * key-table growth), nothing is refused (every policy can always evict), and afterwards the
 * keyspace passes its integrity check and the lock-free figure equals the locked sum.
 */
class WriteStormTest {
    static final int THREADS = 8;
    static final int OPS = 15_000;
    static final long MAX = 2L << 20;
    static final int VALUE_MAX = 200;
    static final int SHARDS = 16;

    @Test
    void memoryStaysWithinBoundUnderAWriteStorm() throws Exception {
        for (String policy : List.of("allkeys-lru", "allkeys-wtinylfu", "allkeys-lfu")) {
            Seeds.run("memoryStaysWithinBoundUnderAWriteStorm " + policy, r -> storm(policy, r.nextLong()));
        }
    }

    private static void storm(String policy, long seed) throws Exception {
        try (Store s = Store.builder().shards(SHARDS).activeExpire(false).maxMemoryPolicy(policy).maxMemory(MAX)
            .config("maxmemory-eviction-tenacity", "100").open()) {
            Keyspace ks = Internals.engine(s).keyspace();
            AtomicBoolean done = new AtomicBoolean();
            AtomicLong peak = new AtomicLong();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread watcher = new Thread(() -> {
                while (!done.get()) {
                    long u = ks.usedMemory();
                    if (u > peak.get()) {
                        peak.set(u);
                    }
                }
            });
            watcher.start();
            List<Thread> writers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                long threadSeed = seed + t;
                int id = t;
                Thread w = new Thread(() -> {
                    try {
                        Random r = new Random(threadSeed);
                        for (int i = 0; i < OPS; i++) {
                            String key = "t" + id + ":" + r.nextInt(50_000);
                            String value = "v".repeat(1 + r.nextInt(VALUE_MAX));
                            switch (r.nextInt(4)) {
                                case 0 -> s.strings().set(key, value);
                                case 1 -> {
                                    Reply rep = s.execute("SET", key, value);
                                    if (rep.isError()) {
                                        throw new AssertionError(rep.toString());
                                    }
                                }
                                case 2 -> s.strings().get(key);
                                default -> {
                                    Reply rep = s.execute("HSET", "h" + key, "f", value);
                                    if (rep.isError()) {
                                        throw new AssertionError(rep.toString());
                                    }
                                }
                            }
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                });
                writers.add(w);
                w.start();
            }
            for (Thread w : writers) {
                w.join();
            }
            done.set(true);
            watcher.join();
            assertNull(failure.get(), () -> "a writer failed: " + failure.get());
            // in flight: each thread's one entry (key, value, header; a hash's listpack) and one
            // key-table doubling of a shard holding its share of what fits
            long perKeyFloor = 48;
            long tableGrowth = 5L * Long.highestOneBit(4 * MAX / perKeyFloor / SHARDS);
            long bound = MAX + THREADS * (VALUE_MAX + 256 + tableGrowth);
            assertTrue(peak.get() <= bound, policy + ": used memory peaked at " + peak.get() + " > " + bound);
            s.execute("PING"); // the last writes may have left it just over: the next command evicts first
            assertTrue(s.usedMemory() <= MAX, policy + ": " + s.usedMemory() + " after the storm");
            ks.verifyIntegrity();
            assertEquals(ks.usedMemoryLocked(), ks.usedMemory());
            assertTrue(Long.parseLong(EvictionTest.info(s, "evicted_keys")) > 0);
        }
    }
}
