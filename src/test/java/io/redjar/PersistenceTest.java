package io.redjar;

import io.redjar.testing.Seeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SAVE, BGSAVE, save points, loading at open, MISCONF, DEBUG RELOAD, through the public API. */
class PersistenceTest {
    /** Every type and encoding, TTLs, two databases and a function library. */
    static void fill(Store store, long seed) {
        Random r = new Random(seed);
        Database d0 = store.database(0);
        Database d1 = store.database(1);
        d0.execute("SET", "str", "hello");
        d0.execute("SET", "int", "12345");
        d0.execute("SET", "big", "x".repeat(5000));
        d0.execute("SET", "ttl", "v", "PX", "100000000");
        d0.execute("RPUSH", "list", "a", "b", "1", "2");
        for (int i = 0; i < 300; i++) {
            d0.execute("RPUSH", "biglist", "item" + r.nextInt(1000));
            d0.execute("SADD", "bigset", "m" + i);
            d0.execute("HSET", "bighash", "f" + i, "v" + r.nextInt());
            d0.execute("ZADD", "bigzset", Double.toString(r.nextGaussian()), "z" + i);
        }
        d0.execute("SADD", "intset", "1", "2", "3");
        d0.execute("HSET", "hash", "a", "1", "b", "2");
        d0.execute("ZADD", "zset", "1.5", "a", "2", "b");
        d0.execute("PEXPIRE", "bigzset", "90000000");
        d1.execute("SET", "db1key", "in db 1");
        d0.execute("FUNCTION", "LOAD", "#!lua name=mylib\nredis.register_function('myfn', function(keys, args) return 42 end)");
    }

    /** A comparable view of the data set: DUMP-free (type, contents, TTL presence) per key. */
    static List<String> view(Store store) {
        List<String> out = new ArrayList<>();
        for (int db = 0; db < 2; db++) {
            Database d = store.database(db);
            Reply keys = d.execute("KEYS", "*");
            List<String> names = new ArrayList<>();
            for (Reply k : ((Reply.ArrayReply) keys).elements()) {
                names.add(((Reply.Bulk) k).asString());
            }
            names.sort(null);
            for (String k : names) {
                String type = ((Reply.SimpleString) d.execute("TYPE", k)).value();
                Reply content = switch (type) {
                    case "string" -> d.execute("GET", k);
                    case "list" -> d.execute("LRANGE", k, "0", "-1");
                    case "set" -> d.execute("SORT", k, "ALPHA");
                    case "hash" -> d.execute("HGETALL", k);
                    case "zset" -> d.execute("ZRANGE", k, "0", "-1", "WITHSCORES");
                    default -> Reply.bulk("?");
                };
                long pttl = ((Reply.IntegerReply) d.execute("PTTL", k)).value();
                out.add(db + " " + k + " " + type + " " + d.execute("OBJECT", "ENCODING", k) + " " + content
                    + " ttl=" + (pttl < 0 ? pttl : "yes"));
            }
        }
        out.add("functions " + store.execute("FUNCTION", "LIST"));
        return out;
    }

    @Test
    void saveThenOpenLoadsEverything(@TempDir Path dir) {
        long seed = Seeds.seed();
        List<String> before;
        try (Store store = Store.builder().dataDir(dir).open()) {
            fill(store, seed);
            before = view(store);
            store.save();
            assertTrue(Files.exists(dir.resolve("dump.rdb")));
            long last = ((Reply.IntegerReply) store.execute("LASTSAVE")).value();
            assertTrue(Math.abs(last - System.currentTimeMillis() / 1000) < 5);
        }
        try (Store store = Store.builder().dataDir(dir).open()) {
            assertEquals(before, view(store), "seed " + seed);
            assertEquals(Reply.integer(42), store.execute("FCALL", "myfn", "0"));
        }
    }

    @Test
    void bgsaveAndInfo(@TempDir Path dir) throws Exception {
        try (Store store = Store.builder().dataDir(dir).open()) {
            store.execute("SET", "a", "1");
            store.execute("SET", "b", "2");
            assertTrue(info(store).contains("rdb_changes_since_last_save:2"), info(store));
            assertEquals(new Reply.SimpleString("Background saving started"), store.execute("BGSAVE"));
            awaitSaves(store, 1);
            String info = info(store);
            assertTrue(info.contains("rdb_last_bgsave_status:ok"), info);
            assertTrue(info.contains("rdb_changes_since_last_save:0"), info);
            assertTrue(info.contains("rdb_bgsave_in_progress:0"), info);
            store.bgsave().get(30, TimeUnit.SECONDS);
            assertTrue(info(store).contains("rdb_saves:2"));
            assertEquals(Reply.error("ERR syntax error"), store.execute("BGSAVE", "NOW"));
        }
    }

    @Test
    void savePointsTriggerBackgroundSaves(@TempDir Path dir) throws Exception {
        try (Store store = Store.builder().dataDir(dir).save("0 3").open()) {
            store.execute("SET", "a", "1");
            store.execute("SET", "b", "1");
            Thread.sleep(300); // two changes: below the point, nothing may happen
            assertFalse(Files.exists(dir.resolve("dump.rdb")));
            store.execute("SET", "c", "1");
            awaitSaves(store, 1);
            assertTrue(Files.exists(dir.resolve("dump.rdb")));
        }
    }

    @Test
    void closeSavesWhenSavePointsAreSet(@TempDir Path dir) {
        try (Store store = Store.open(dir)) {
            store.execute("SET", "k", "v");
        }
        try (Store store = Store.open(dir)) {
            assertEquals(Reply.bulk("v"), store.execute("GET", "k"));
        }
        try (Store store = Store.builder().dataDir(dir).open()) {
            store.execute("SET", "k", "changed");
        }
        try (Store store = Store.builder().dataDir(dir).open()) {
            assertEquals(Reply.bulk("v"), store.execute("GET", "k"), "no save points: close does not save");
        }
    }

    @Test
    void failedBackgroundSaveRefusesWritesWithMisconf(@TempDir Path dir) throws Exception {
        try (Store store = Store.builder().dataDir(dir).save("3600 1000000").open()) {
            Files.createDirectory(dir.resolve("dump.rdb")); // the rename onto it fails
            store.execute("SET", "k", "v");
            assertEquals(new Reply.SimpleString("Background saving started"), store.execute("BGSAVE"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!info(store).contains("rdb_last_bgsave_status:err") && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            Reply refused = store.execute("SET", "k", "w");
            assertInstanceOf(Reply.ErrorReply.class, refused);
            assertTrue(((Reply.ErrorReply) refused).message().startsWith("MISCONF Redis is configured to save RDB snapshots"),
                refused.toString());
            assertEquals(Reply.bulk("v"), store.execute("GET", "k"), "reads go on");
            assertThrows(RedJarException.class, store::save);
            Files.delete(dir.resolve("dump.rdb"));
            store.save();
            assertEquals(Reply.OK, store.execute("SET", "k", "w"));
        }
    }

    @Test
    void debugReloadKeepsTheData(@TempDir Path dir) {
        try (Store store = Store.builder().dataDir(dir).open()) {
            fill(store, 7);
            List<String> before = view(store);
            assertEquals(Reply.OK, store.execute("DEBUG", "RELOAD"));
            assertEquals(before, view(store));
            store.execute("SET", "extra", "1");
            assertEquals(Reply.OK, store.execute("DEBUG", "RELOAD", "NOSAVE"));
            assertEquals(before, view(store), "NOSAVE loads the previous dump: the extra key is gone");
        }
    }

    @Test
    void aSnapshotIsOneInstantUnderConcurrentTransactions(@TempDir Path dir) throws Exception {
        try (Store store = Store.builder().dataDir(dir).open()) {
            store.execute("MSET", "a", "0", "b{x}", "0");
            AtomicBoolean stop = new AtomicBoolean();
            Thread tx = new Thread(() -> {
                Session s = store.newSession();
                while (!stop.get()) {
                    s.execute("MULTI");
                    s.execute("INCR", "a");
                    s.execute("INCR", "b{x}");
                    s.execute("EXEC");
                }
            });
            tx.start();
            while (store.execute("GET", "a").equals(Reply.bulk("0"))) {
                Thread.onSpinWait();
            }
            try {
                for (int i = 0; i < 5; i++) {
                    store.save();
                    try (Store copy = Store.builder().dataDir(dir).open()) {
                        assertEquals(copy.execute("GET", "a"), copy.execute("GET", "b{x}"));
                        assertNotEquals(Reply.bulk("0"), copy.execute("GET", "a"), "the writer got going");
                    }
                }
            } finally {
                stop.set(true);
                tx.join();
            }
        }
    }

    @Test
    void loadingInTheBackgroundAnswersLoadingUntilDone(@TempDir Path dir) throws Exception {
        try (Store store = Store.builder().dataDir(dir).open()) {
            store.execute("DEBUG", "POPULATE", "200000");
            store.save();
        }
        java.util.concurrent.CompletableFuture<Throwable> failed = new java.util.concurrent.CompletableFuture<>();
        try (Store store = Store.builder().dataDir(dir).loadInBackground(failed::complete).open()) {
            boolean sawLoading = false;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                assertEquals(Reply.bulk("hi"), store.execute("ECHO", "hi"), "loading-flagged commands run while loading");
                Reply r = store.execute("GET", "key:199999");
                if (r instanceof Reply.ErrorReply e) {
                    assertEquals("LOADING Redis is loading the dataset in memory", e.message());
                    sawLoading = true;
                    String i = info(store); // loading:1, unless the load ended just now
                    assertTrue(i.contains("loading:1") || !(store.execute("GET", "key:1") instanceof Reply.ErrorReply), i);
                    continue;
                }
                assertEquals(Reply.bulk("value:199999"), r);
                break;
            }
            assertEquals(Reply.integer(200000), store.execute("DBSIZE"));
            assertTrue(info(store).contains("loading:0"));
            assertTrue(info(store).contains("rdb_last_load_keys_loaded:200000"), info(store));
            assertFalse(failed.isDone());
            System.out.println("loadingInTheBackground: a LOADING reply was " + (sawLoading ? "" : "not ") + "seen");
        }
        // a corrupt dump: the failure is reported, commands keep getting LOADING
        byte[] dump = Files.readAllBytes(dir.resolve("dump.rdb"));
        dump[dump.length / 2] ^= 0x5A;
        Files.write(dir.resolve("dump.rdb"), dump);
        java.util.concurrent.CompletableFuture<Throwable> failed2 = new java.util.concurrent.CompletableFuture<>();
        try (Store store = Store.builder().dataDir(dir).loadInBackground(failed2::complete).open()) {
            Throwable t = failed2.get(60, TimeUnit.SECONDS);
            assertTrue(t.getMessage().contains("dump.rdb"), t.getMessage());
            assertInstanceOf(Reply.ErrorReply.class, store.execute("GET", "key:1"));
        }
        // and a synchronous open fails with the same kind of message
        RedJarException e = assertThrows(RedJarException.class, () -> Store.builder().dataDir(dir).open());
        assertTrue(e.getMessage().contains("dump.rdb"), e.getMessage());
    }

    static String info(Store store) {
        return ((Reply.Verbatim) store.execute("INFO", "persistence")).text();
    }

    static void awaitSaves(Store store, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!info(store).contains("rdb_saves:" + n) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(info(store).contains("rdb_saves:" + n), info(store));
    }
}
