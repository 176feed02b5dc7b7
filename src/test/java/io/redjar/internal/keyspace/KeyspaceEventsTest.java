package io.redjar.internal.keyspace;

import io.redjar.ManualClock;
import io.redjar.Session;
import io.redjar.Store;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link KeyspaceEvents} and the keyspace's reports: registration and removal, several
 * listeners, flush and swap reports, that every report is made under the key's shard lock (every
 * lock for flush and swap), lazy and active expiry, the typed API's writes, and per-key order
 * under concurrent writers. The events' names and order per command are proven against
 * redis-server by {@code KeyspaceEventsDifferentialTest}.
 */
class KeyspaceEventsTest {

    /** Records every report as text: {@code db event key}, {@code flushed db}, {@code swapped a b}. */
    private static final class Recorder implements KeyspaceListener {
        final List<String> log = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void modified(int db, byte[] key, KeyEvent event) {
            log.add(db + " " + event.redisName() + " " + new String(key, StandardCharsets.UTF_8));
        }

        @Override
        public void flushed(int db) {
            log.add("flushed " + db);
        }

        @Override
        public void swapped(int db1, int db2) {
            log.add("swapped " + db1 + " " + db2);
        }
    }

    @Test
    void listenersAreAddedAndRemoved() {
        try (Store store = Store.open()) {
            KeyspaceEvents events = io.redjar.internal.Internals.engine(store).keyspace().events();
            assertFalse(events.active());
            Recorder a = new Recorder();
            Recorder b = new Recorder();
            events.add(a);
            events.add(b);
            assertTrue(events.active());
            assertEquals(2, events.size());
            Session s = store.newSession();
            s.execute("SET", "k", "v");
            assertTrue(events.remove(a));
            assertFalse(events.remove(a), "removed once only");
            s.execute("DEL", "k");
            assertEquals(List.of("0 new k", "0 set k"), a.log);
            assertEquals(List.of("0 new k", "0 set k", "0 del k"), b.log);
            assertTrue(events.remove(b));
            assertFalse(events.active());
            assertEquals(0, events.size());
            s.execute("SET", "k", "v");
            assertEquals(3, b.log.size(), "no report after removal");
            assertThrows(NullPointerException.class, () -> events.add(null));
        }
    }

    @Test
    void aListenerAddedTwiceIsToldTwiceAndRemovedOneAtATime() {
        try (Store store = Store.open()) {
            KeyspaceEvents events = io.redjar.internal.Internals.engine(store).keyspace().events();
            Recorder a = new Recorder();
            events.add(a);
            events.add(a);
            store.newSession().execute("SET", "k", "v");
            assertEquals(List.of("0 new k", "0 new k", "0 set k", "0 set k"), a.log);
            assertTrue(events.remove(a));
            assertEquals(1, events.size());
        }
    }

    @Test
    void flushesAndSwapsAreReportedUnderEveryLock() {
        try (Store store = Store.open()) {
            Keyspace ks = io.redjar.internal.Internals.engine(store).keyspace();
            Recorder r = new Recorder();
            List<String> notLocked = Collections.synchronizedList(new ArrayList<>());
            ks.events().add(r);
            ks.events().add(new KeyspaceListener() {
                @Override
                public void modified(int db, byte[] key, KeyEvent event) {
                }

                @Override
                public void flushed(int db) {
                    checkAll("flushed " + db);
                }

                @Override
                public void swapped(int db1, int db2) {
                    checkAll("swapped");
                }

                private void checkAll(String what) {
                    for (int i = 0; i < ks.shardCount(); i++) {
                        if (!ks.shard(i).lock.isHeldByCurrentThread()) {
                            notLocked.add(what + " without shard " + i);
                        }
                    }
                }
            });
            Session s = store.newSession();
            s.execute("SELECT", "3");
            s.execute("SET", "a", "1");
            s.execute("FLUSHDB");
            s.execute("SWAPDB", "1", "2");
            s.execute("FLUSHALL");
            assertEquals(List.of("3 new a", "3 set a", "flushed 3", "swapped 1 2", "flushed -1"), r.log);
            assertEquals(List.of(), notLocked);
        }
    }

    @Test
    void everyKeyReportIsMadeUnderTheKeysShardLock() {
        ManualClock clock = new ManualClock(1_000_000);
        try (Store store = Store.builder().clock(clock).activeExpire(false).shards(16).open()) {
            Keyspace ks = io.redjar.internal.Internals.engine(store).keyspace();
            AtomicInteger reports = new AtomicInteger();
            List<String> notLocked = Collections.synchronizedList(new ArrayList<>());
            ks.events().add((db, key, event) -> {
                reports.incrementAndGet();
                if (!ks.shardOf(key).lock.isHeldByCurrentThread()) {
                    notLocked.add(event + " " + new String(key, StandardCharsets.UTF_8));
                }
            });
            Session s = store.newSession();
            String[][] commands = {
                {"SET", "a", "1"}, {"RENAME", "a", "b"}, {"COPY", "b", "c"}, {"MOVE", "c", "1"},
                {"RPUSH", "l", "x", "y"}, {"LMOVE", "l", "m", "LEFT", "RIGHT"}, {"SADD", "s", "1"}, {"SMOVE", "s", "t", "1"},
                {"ZADD", "z", "1", "a"}, {"ZUNIONSTORE", "u", "2", "z", "t"}, {"HSET", "h", "f", "v"}, {"MSET", "p", "1", "q", "2"},
                {"SORT", "l", "STORE", "sorted"}, {"SET", "e", "1", "PX", "10"}, {"DEL", "p", "q", "b"},
            };
            for (String[] c : commands) {
                s.execute(c);
            }
            clock.advance(Duration.ofMillis(20));
            s.execute("GET", "e");
            assertEquals(List.of(), notLocked);
            assertTrue(reports.get() >= commands.length + 10, "reports: " + reports.get());
        }
    }

    @Test
    void lazyAndActiveExpiryReportExpired() {
        ManualClock clock = new ManualClock(1_000_000);
        try (Store store = Store.builder().clock(clock).activeExpire(false).open()) {
            Recorder r = new Recorder();
            io.redjar.internal.Internals.engine(store).keyspace().events().add(r);
            Session s = store.newSession();
            s.execute("SET", "lazy", "1", "PX", "5");
            s.execute("SET", "active", "1", "PX", "5");
            r.log.clear();
            clock.advance(Duration.ofMillis(10));
            assertNull(store.strings().get("lazy"));
            assertEquals(List.of("0 expired lazy"), r.log);
            store.expireCycle();
            assertEquals(List.of("0 expired lazy", "0 expired active"), r.log);
        }
    }

    @Test
    void theTypedApiWritesThroughTheSameReports() {
        try (Store store = Store.open()) {
            Recorder r = new Recorder();
            io.redjar.internal.Internals.engine(store).keyspace().events().add(r);
            store.strings().set("k", "v");
            store.strings().incrBy("n", 2);
            store.keys().pexpire("k", Duration.ofSeconds(100));
            store.hashes().hset("h", "f", "v");
            store.keys().del("h");
            assertEquals(List.of("0 new k", "0 set k", "0 new n", "0 incrby n", "0 expire k", "0 new h", "0 hset h", "0 del h"), r.log);
        }
    }

    @Test
    void concurrentWritersReportEveryWriteOfAKeyInOrder() throws Exception {
        try (Store store = Store.open()) {
            int threads = 4;
            int perThread = 500;
            List<Long> seen = Collections.synchronizedList(new ArrayList<>());
            io.redjar.internal.Internals.engine(store).keyspace().events().add((db, key, event) -> {
                if (event == KeyEvent.INCRBY) {
                    // under the key's lock (reentrant), so the value read here is the one this write produced
                    // (a test may read back; real listeners must not call into the store)
                    seen.add(Long.parseLong(io.redjar.internal.Internals.engine(store).strings().get(db, key) == null ? "-1"
                        : new String(io.redjar.internal.Internals.engine(store).strings().get(db, key), StandardCharsets.US_ASCII)));
                }
            });
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Thread w = new Thread(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    Session s = store.newSession();
                    for (int i = 0; i < perThread; i++) {
                        s.execute("INCR", "counter");
                    }
                });
                w.start();
                workers.add(w);
            }
            start.countDown();
            for (Thread w : workers) {
                w.join();
            }
            assertEquals(threads * perThread, seen.size());
            for (int i = 0; i < seen.size(); i++) {
                assertEquals(i + 1, seen.get(i), "the reports of one key arrive in the order of its writes");
            }
        }
    }

    @Test
    void eventsCarryRedisNamesAndClasses() {
        assertEquals("rename_from", KeyEvent.RENAME_FROM.redisName());
        assertEquals('g', KeyEvent.DEL.type());
        assertEquals('$', KeyEvent.INCRBYFLOAT.type());
        assertEquals('l', KeyEvent.SORTSTORE.type());
        assertEquals('x', KeyEvent.EXPIRED.type());
        assertEquals('e', KeyEvent.EVICTED.type());
        assertEquals('n', KeyEvent.NEW.type());
        assertSame(KeyEvent.ZINCR, KeyEvent.byRedisName("zincr"));
        assertNull(KeyEvent.byRedisName("nope"));
        for (KeyEvent e : KeyEvent.values()) {
            assertSame(e, KeyEvent.byRedisName(e.redisName()));
            assertEquals(e.redisName(), new String(e.redisNameBytes(), StandardCharsets.US_ASCII));
        }
    }
}
