package io.redjar.internal.propagation;

import io.redjar.ManualClock;
import io.redjar.Reply;
import io.redjar.Session;
import io.redjar.Store;
import io.redjar.internal.keyspace.Keyspace;
import io.redjar.testing.Seeds;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The propagation bus: offsets, batches, fan-out, isolation, delivery outside the shard locks, and
 * that the stream it delivers under concurrent writers (typed API and {@code execute} mixed)
 * replays into the same keyspace.
 */
class PropagationBusTest {
    private static final long T0 = 1_700_000_000_000L;

    /** Records every batch and checks, inside the call, that no shard lock is held. */
    static final class Recorder implements EffectConsumer {
        final List<EffectBatch> batches = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger underLock = new AtomicInteger();
        final AtomicInteger concurrentCalls = new AtomicInteger();
        private final AtomicInteger inside = new AtomicInteger();
        private Keyspace ks;

        Recorder watching(Keyspace keyspace) {
            this.ks = keyspace;
            return this;
        }

        @Override
        public void accept(EffectBatch batch) {
            if (inside.incrementAndGet() != 1) {
                concurrentCalls.incrementAndGet();
            }
            try {
                if (ks != null) {
                    for (int i = 0; i < ks.shardCount(); i++) {
                        if (ks.shard(i).isHeldByCurrentThread()) {
                            underLock.incrementAndGet();
                        }
                    }
                }
                batches.add(batch);
            } finally {
                inside.decrementAndGet();
            }
        }

        List<Effect> effects() {
            synchronized (batches) {
                List<Effect> out = new ArrayList<>();
                for (EffectBatch b : batches) {
                    out.addAll(b.effects());
                }
                return out;
            }
        }

        List<String> commands() {
            List<String> out = new ArrayList<>();
            for (Effect e : effects()) {
                out.add(join(e.argv()));
            }
            return out;
        }
    }

    static String join(byte[][] argv) {
        StringBuilder b = new StringBuilder();
        for (byte[] a : argv) {
            if (b.length() > 0) {
                b.append(' ');
            }
            b.append(new String(a, StandardCharsets.ISO_8859_1));
        }
        return b.toString();
    }

    /** The store's keyspace. */
    static Keyspace keyspace(Store store) {
        return io.redjar.internal.Internals.engine(store).keyspace();
    }

    private static Store open() {
        return Store.builder().clock(new ManualClock(T0)).activeExpire(false).shards(8).open();
    }

    private static void assertContiguousFromOne(List<EffectBatch> batches) {
        long next = 1;
        for (EffectBatch b : batches) {
            assertEquals(next, b.firstOffset(), "batch " + b + " does not follow offset " + (next - 1));
            for (int i = 0; i < b.size(); i++) {
                assertEquals(next++, b.get(i).offset(), "offsets inside " + b);
            }
        }
    }

    @Test
    void offsetsStartAtOneAndIncreaseByOneAcrossBatches() {
        try (Store store = open()) {
            PropagationBus bus = keyspace(store).propagation();
            assertEquals(0, bus.publishedOffset());
            store.strings().set("unseen", "before any consumer"); // dropped, unsequenced
            assertEquals(0, bus.publishedOffset());
            Recorder rec = new Recorder();
            assertEquals(0, bus.addConsumer(rec));
            store.strings().set("a", "1");
            store.execute("SADD", "s", "x", "y", "z", "w");
            store.execute("SPOP", "s", "3");
            store.execute("GET", "a"); // a read: nothing
            store.strings().incrBy("n", 5);
            assertContiguousFromOne(rec.batches);
            assertEquals(4, rec.batches.size());
            assertEquals(6, bus.publishedOffset());
            assertEquals(bus.publishedOffset(), bus.deliveredOffset(), "a write returns after its effects were delivered");
        }
    }

    @Test
    void aCommandWithSeveralEffectsIsOneBatch() {
        try (Store store = open()) {
            Recorder rec = new Recorder();
            keyspace(store).propagation().addConsumer(rec);
            store.execute("SADD", "s", "a", "b", "c", "d", "e");
            store.execute("SPOP", "s", "3");
            assertEquals(2, rec.batches.size());
            EffectBatch pop = rec.batches.get(1);
            assertEquals(3, pop.size(), "SPOP with a count: one SREM per member, one unit: " + rec.commands());
            for (Effect e : pop) {
                assertTrue(join(e.argv()).startsWith("SREM s "), join(e.argv()));
            }
        }
    }

    @Test
    void explicitBatchIsDeliveredWholeWhenItEnds() {
        try (Store store = open()) {
            PropagationBus bus = keyspace(store).propagation();
            Recorder rec = new Recorder().watching(keyspace(store));
            bus.addConsumer(rec);
            bus.beginBatch();
            bus.beginBatch(); // nested
            store.strings().set("a", "1");
            store.execute("RPUSH", "l", "x");
            bus.endBatch();
            store.strings().set("b", "2");
            assertEquals(0, rec.batches.size(), "nothing delivered before the outermost endBatch");
            assertEquals(1, bus.batchDepth());
            bus.endBatch();
            assertEquals(0, bus.batchDepth());
            assertEquals(1, rec.batches.size());
            assertEquals(List.of("SET a 1", "RPUSH l x", "SET b 2"), rec.commands());
            assertContiguousFromOne(rec.batches);
            assertEquals(0, rec.underLock.get());
            assertThrows(IllegalStateException.class, bus::endBatch);
        }
    }

    @Test
    void batchesStayContiguousUnderConcurrentWriters() throws Exception {
        try (Store store = Store.builder().activeExpire(false).shards(16).open()) {
            Keyspace ks = keyspace(store);
            PropagationBus bus = keyspace(store).propagation();
            Recorder rec = new Recorder().watching(ks);
            bus.addConsumer(rec);
            int rounds = 200;
            concurrently(4, t -> {
                Session s = store.newSession();
                for (int i = 0; i < rounds; i++) {
                    if (t == 0) {
                        // a transaction-like unit: every lock held across the batch, as MULTI/EXEC will
                        ks.lockAll();
                        bus.beginBatch();
                        try {
                            for (int k = 0; k < 5; k++) {
                                store.strings().set("tx" + k, "r" + i);
                            }
                        } finally {
                            bus.endBatch();
                            ks.unlockAll();
                        }
                    } else {
                        s.execute("INCR", "c" + (i % 7));
                        store.lists().rpush("l" + t, "v" + i);
                    }
                }
            });
            assertContiguousFromOne(rec.batches);
            int units = 0;
            for (EffectBatch b : rec.batches) {
                if (join(b.get(0).argv()).startsWith("SET tx")) {
                    units++;
                    assertEquals(5, b.size(), "the unit arrives whole: " + b);
                    String round = join(b.get(0).argv()).substring("SET tx0 ".length());
                    for (int k = 0; k < 5; k++) {
                        assertEquals("SET tx" + k + " " + round, join(b.get(k).argv()));
                    }
                } else {
                    assertEquals(1, b.size(), "single-effect commands are single-effect batches: " + b);
                }
            }
            assertEquals(rounds, units);
            assertEquals(0, rec.underLock.get(), "a consumer was called while its thread held a shard lock");
            assertEquals(0, rec.concurrentCalls.get(), "consumers are called one at a time");
        }
    }

    @Test
    void severalConsumersSeeTheSameStreamAndLateOnesStartAtTheirCut() {
        try (Store store = open()) {
            PropagationBus bus = keyspace(store).propagation();
            Recorder a = new Recorder();
            Recorder b = new Recorder();
            bus.addConsumer(a);
            bus.addConsumer(b);
            store.strings().set("k1", "v");
            store.execute("HSET", "h", "f", "v");
            Recorder late = new Recorder();
            assertEquals(2, bus.addConsumer(late));
            store.execute("DEL", "k1");
            assertEquals(a.batches, b.batches);
            assertEquals(3, a.batches.size());
            assertEquals(List.of("DEL k1"), late.commands());
            assertEquals(3, late.batches.get(0).firstOffset());
            assertEquals(3, bus.consumers());
            assertTrue(bus.removeConsumer(b));
            assertFalse(bus.removeConsumer(b));
            store.strings().set("k2", "v");
            assertEquals(3, b.batches.size(), "a removed consumer is not called again");
            assertEquals(4, a.batches.size());
            assertEquals(2, late.batches.size());
        }
    }

    @Test
    void aFailingConsumerBreaksNeitherTheWriterNorTheOthers() {
        try (Store store = open()) {
            PropagationBus bus = keyspace(store).propagation();
            AtomicInteger calls = new AtomicInteger();
            bus.addConsumer(batch -> {
                calls.incrementAndGet();
                throw new IllegalStateException("consumer failure (expected by the test)");
            });
            Recorder rec = new Recorder();
            bus.addConsumer(rec);
            store.strings().set("a", "1");
            Reply r = store.execute("APPEND", "a", "x");
            assertFalse(r.isError(), r.toString());
            assertEquals("1x", store.strings().get("a"));
            assertEquals(List.of("SET a 1", "APPEND a x"), rec.commands());
            assertEquals(2, calls.get());
        }
    }

    @Test
    void theSinkIsDeliveredOutsideTheLocksAndAConsumersOwnWritesFollow() {
        try (Store store = open()) {
            Keyspace ks = keyspace(store);
            PropagationBus bus = keyspace(store).propagation();
            Recorder rec = new Recorder().watching(ks);
            bus.addConsumer(rec);
            AtomicReference<String> seen = new AtomicReference<>();
            bus.addConsumer(batch -> {
                if (join(batch.get(0).argv()).equals("SET trigger 1")) {
                    seen.set(store.strings().get("trigger")); // reading the store from a consumer works
                    store.strings().set("echo", "2"); // and so does writing: delivered after this batch
                }
            });
            store.strings().set("trigger", "1");
            assertEquals("1", seen.get());
            assertEquals(List.of("SET trigger 1", "SET echo 2"), rec.commands(), "delivered before the write returned");
            assertContiguousFromOne(rec.batches);
            assertEquals(0, rec.underLock.get());
        }
    }

    /**
     * Consumers come and go while writers run (single-key, multi-key and whole-keyspace locks):
     * the per-thread lock counts stay balanced, so no consumer is ever called under a lock, every
     * consumer's stream is gap-free from its cut, and afterwards a write is still delivered before
     * it returns.
     */
    @Test
    void consumersComeAndGoWhileWritersRun() {
        try (Store store = Store.builder().activeExpire(false).shards(8).open()) {
            Keyspace ks = keyspace(store);
            PropagationBus bus = ks.propagation();
            List<Recorder> all = Collections.synchronizedList(new ArrayList<>());
            List<Long> cuts = Collections.synchronizedList(new ArrayList<>());
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            concurrently(3, t -> {
                if (t == 0) {
                    try {
                        for (int i = 0; i < 500; i++) {
                            Recorder r = new Recorder().watching(ks);
                            all.add(r);
                            cuts.add(bus.addConsumer(r));
                            if (i % 3 != 0) {
                                bus.removeConsumer(r);
                            }
                        }
                    } finally {
                        stop.set(true);
                    }
                } else {
                    Session s = store.newSession();
                    for (int i = 0; !stop.get(); i++) {
                        s.execute("SET", "k" + (i % 5), "v" + i);
                        s.execute("MSET", "{x}a", "1", "{y}b", "2");
                        if (i % 50 == 0) {
                            s.execute("DBSIZE");
                        }
                    }
                }
            });
            for (int i = 0; i < all.size(); i++) {
                Recorder r = all.get(i);
                assertEquals(0, r.underLock.get(), "consumer " + i + " was called under a shard lock");
                long next = cuts.get(i) + 1;
                for (EffectBatch b : r.batches) {
                    assertEquals(next, b.firstOffset(), "consumer " + i + " missed or repeated effects");
                    next = b.lastOffset() + 1;
                }
            }
            Recorder last = new Recorder().watching(ks);
            bus.addConsumer(last);
            store.strings().set("after", "1");
            assertEquals(List.of("SET after 1"), last.commands());
            assertEquals(bus.publishedOffset(), bus.deliveredOffset());
        }
    }

    @Test
    void consumersAreNotAddedUnderAShardLock() {
        try (Store store = open()) {
            Keyspace ks = keyspace(store);
            ks.shard(0).lock();
            try {
                assertThrows(IllegalStateException.class, () -> ks.propagation().addConsumer(b -> { }));
            } finally {
                ks.shard(0).unlock();
            }
        }
    }

    @Test
    void lazyExpiryDeletionIsPropagatedWithTheCommandThatFoundIt() {
        ManualClock clock = new ManualClock(T0);
        try (Store store = Store.builder().clock(clock).activeExpire(false).shards(4).open()) {
            Recorder rec = new Recorder();
            keyspace(store).propagation().addConsumer(rec);
            store.execute("SET", "k", "v", "PX", "10");
            clock.advance(Duration.ofMillis(20));
            store.execute("APPEND", "k", "w");
            assertEquals(List.of("SET k v PXAT " + (T0 + 10), "DEL k", "APPEND k w"), rec.commands());
            assertEquals(2, rec.batches.size());
            assertEquals(2, rec.batches.get(1).size());
        }
    }

    /**
     * Many threads write the same few keys through the typed handles and through execute; the
     * stream the bus delivered, replayed in offset order into a fresh store, gives the same
     * keyspace (each key's TYPE, content and TTL).
     */
    @Test
    void concurrentStreamReplaysToTheSameState() {
        long master = Seeds.seed();
        Random seeds = new Random(master);
        for (int run = 0; run < 2; run++) {
            long seed = seeds.nextLong();
            Seeds.run("concurrent replay run " + run + " (rerun with -Dredjar.seed=" + master + ")", seed, PropagationBusTest::replayRun);
        }
    }

    private static final String[] KEYS = {"{a}1", "{a}2", "{a}3", "{b}1", "{b}2", "c", "d", "e"};

    private static void replayRun(Random rnd) {
        ManualClock clock = new ManualClock(T0);
        int threads = 4;
        int ops = 1500;
        long[] threadSeeds = new long[threads];
        for (int i = 0; i < threads; i++) {
            threadSeeds[i] = rnd.nextLong();
        }
        try (Store origin = Store.builder().clock(clock).activeExpire(false).databases(2).shards(8).open();
             Store replica = Store.builder().clock(new ManualClock(T0)).activeExpire(false).databases(2).shards(2).open()) {
            Recorder rec = new Recorder().watching(keyspace(origin));
            keyspace(origin).propagation().addConsumer(rec);
            concurrently(threads, t -> {
                Random r = new Random(threadSeeds[t]);
                Session s = origin.newSession();
                for (int i = 0; i < ops; i++) {
                    randomWrite(origin, s, r, t, i);
                }
            });
            assertContiguousFromOne(rec.batches);
            assertEquals(0, rec.underLock.get(), "a consumer was called under a shard lock");
            assertTrue(rec.effects().size() > threads * ops / 6, "too little propagation: " + rec.effects().size());
            for (Effect e : rec.effects()) {
                Reply r = replica.database(e.db()).execute(e.argv());
                assertFalse(r.isError(), "replaying " + join(e.argv()) + " (offset " + e.offset() + ") failed: " + r);
            }
            for (int db = 0; db < 2; db++) {
                assertEquals(state(origin, db), state(replica, db), "keyspace of db " + db);
            }
        }
    }

    private static String key(Random r) {
        return KEYS[r.nextInt(KEYS.length)];
    }

    /** One random write; WRONGTYPE and other errors are part of the game. */
    private static void randomWrite(Store store, Session s, Random r, int t, int i) {
        String k = key(r);
        String v = t + "." + i;
        try {
            switch (r.nextInt(22)) {
                case 0 -> store.strings().set(k, v);
                case 1 -> s.execute("APPEND", k, v);
                case 2 -> store.strings().incrBy(k, r.nextInt(10));
                case 3 -> s.execute("INCRBYFLOAT", k, "1.5");
                case 4 -> store.lists().rpush(k, v, v + "b");
                case 5 -> s.execute("LPUSH", k, v);
                case 6 -> store.lists().lpop(k);
                case 7 -> s.execute("LMOVE", k, key(r), "LEFT", "RIGHT");
                case 8 -> store.hashes().hset(k, "f" + r.nextInt(4), v);
                case 9 -> s.execute("HINCRBY", k, "n", "3");
                case 10 -> s.execute("HDEL", k, "f" + r.nextInt(4));
                case 11 -> store.sets().sadd(k, "m" + r.nextInt(6), "m" + r.nextInt(6));
                case 12 -> s.execute("SPOP", k, "2");
                case 13 -> s.execute("SMOVE", k, key(r), "m" + r.nextInt(6));
                case 14 -> s.execute("ZADD", k, Integer.toString(r.nextInt(100)), "z" + r.nextInt(5));
                case 15 -> s.execute("ZINCRBY", k, "2", "z" + r.nextInt(5));
                case 16 -> s.execute("ZPOPMIN", k);
                case 17 -> s.execute("DEL", k);
                case 18 -> s.execute("RENAME", k, key(r));
                case 19 -> s.execute("EXPIRE", k, "1000");
                case 20 -> s.execute("SUNIONSTORE", k, key(r), key(r));
                default -> {
                    s.execute("SELECT", Integer.toString(r.nextInt(2)));
                    s.execute("SET", k, v);
                }
            }
        } catch (RuntimeException expected) {
            // WRONGTYPE, not an integer, ...: the store's reply, no effect
        }
    }

    /** Every key of {@code db}: TYPE, content (order-normalised where Redis does not define one) and PTTL. */
    private static Map<String, String> state(Store store, int db) {
        io.redjar.Database d = store.database(db);
        Map<String, String> out = new TreeMap<>();
        for (Reply k : ((Reply.ArrayReply) d.execute("KEYS", "*")).elements()) {
            String key = ((Reply.Bulk) k).asString();
            String type = d.execute("TYPE", key).toString();
            String content = switch (type.replace("+", "").trim()) {
                case "string" -> d.execute("GET", key).toString();
                case "list" -> d.execute("LRANGE", key, "0", "-1").toString();
                case "hash" -> sorted(d.execute("HGETALL", key));
                case "set" -> sorted(d.execute("SMEMBERS", key));
                case "zset" -> d.execute("ZRANGE", key, "0", "-1", "WITHSCORES").toString();
                default -> "?" + type;
            };
            out.put(key, type + " " + content + " pttl " + d.execute("PTTL", key));
        }
        return out;
    }

    private static String sorted(Reply r) {
        List<String> items = new ArrayList<>();
        if (r instanceof Reply.ArrayReply a) {
            for (Reply e : a.elements()) {
                items.add(e.toString());
            }
        } else {
            items.add(r.toString());
        }
        Collections.sort(items);
        return items.toString();
    }

    interface Body {
        void run(int index) throws Exception;
    }

    static void concurrently(int threads, Body body) {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
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
                }, "bus-writer-" + i);
                t.setDaemon(true);
                list.add(t);
                t.start();
            }
            go.countDown();
            for (Thread t : list) {
                t.join();
            }
            if (failure.get() != null) {
                throw new AssertionError("a writer failed: " + failure.get(), failure.get());
            }
        }, "deadlock or livelock: the writers did not finish");
    }
}
