package io.redjar.internal.persistence.aof;

import io.redjar.AppendFsync;
import io.redjar.Reply;
import io.redjar.Session;
import io.redjar.Store;
import io.redjar.internal.Internals;
import io.redjar.testing.Seeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.SortedMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Writer/loader round trips: a seeded random mix of writes (MULTI/EXEC, SELECT, SPOP, expiries)
 * on a store with the append-only file, closed and reopened from its directory, must give the
 * contents the first store had; under every fsync policy, with and without rewrites between.
 */
class AofRoundTripTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(AppendFsync.class)
    void reopenedStoreHasTheSameContents(AppendFsync fsync) {
        Seeds.run("aof round trip " + fsync, r -> {
            SortedMap<String, String> expected;
            try (Store a = AofTestSupport.open(dir, fsync)) {
                Session s = a.newSession();
                for (int i = 0; i < 1500; i++) {
                    AofTestSupport.randomWrite(s, r);
                }
                expected = AofTestSupport.contents(a, 3);
            }
            assertFalse(expected.isEmpty());
            Path aofDir = dir.resolve("appendonlydir");
            assertTrue(Files.exists(aofDir.resolve("appendonly.aof.manifest")));
            assertTrue(Files.exists(aofDir.resolve("appendonly.aof.1.base.aof")));
            assertTrue(Files.exists(aofDir.resolve("appendonly.aof.1.incr.aof")));
            try (Store b = AofTestSupport.open(dir, fsync)) {
                AofTestSupport.assertSameContents(expected, AofTestSupport.contents(b, 3));
            }
        });
    }

    @Test
    void rewritesBetweenWritesKeepTheContents() {
        Seeds.run("aof rewrite round trip", r -> {
            SortedMap<String, String> expected;
            try (Store a = AofTestSupport.open(dir, AppendFsync.EVERYSEC)) {
                Session s = a.newSession();
                AppendOnlyFile aof = aof(a);
                for (int round = 0; round < 4; round++) {
                    for (int i = 0; i < 400; i++) {
                        AofTestSupport.randomWrite(s, r);
                    }
                    assertTrue(aof.rewriteNow(), "rewrite " + round);
                }
                for (int i = 0; i < 200; i++) {
                    AofTestSupport.randomWrite(s, r);
                }
                expected = AofTestSupport.contents(a, 3);
                AofManifest m = aof.manifest();
                assertEquals(5, m.base().seq());
                assertTrue(m.history().isEmpty());
                assertEquals(1, m.incrs().size());
                assertEquals(5, m.incrs().get(0).seq());
            }
            try (var files = Files.list(dir.resolve("appendonlydir"))) {
                assertEquals(List.of("appendonly.aof.5.base.aof", "appendonly.aof.5.incr.aof", "appendonly.aof.manifest"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
            }
            try (Store b = AofTestSupport.open(dir, AppendFsync.EVERYSEC)) {
                AofTestSupport.assertSameContents(expected, AofTestSupport.contents(b, 3));
            }
        });
    }

    @Test
    void rewriteUnderConcurrentWritersLosesNothing() throws Exception {
        SortedMap<String, String> expected;
        try (Store a = AofTestSupport.open(dir, AppendFsync.NO)) {
            AppendOnlyFile aof = aof(a);
            Thread[] ts = new Thread[4];
            for (int t = 0; t < ts.length; t++) {
                int id = t;
                ts[t] = new Thread(() -> {
                    for (int i = 0; i < 3000; i++) {
                        a.execute("INCR", "c" + id);
                        a.execute("RPUSH", "l" + id, Integer.toString(i));
                    }
                });
                ts[t].start();
            }
            for (int i = 0; i < 3; i++) {
                assertTrue(aof.rewriteNow());
            }
            for (Thread t : ts) {
                t.join();
            }
            expected = AofTestSupport.contents(a, 1);
            for (int t = 0; t < ts.length; t++) {
                assertEquals("3000", expected.get("0:c" + t).split(" ")[1]);
            }
        }
        try (Store b = AofTestSupport.open(dir, AppendFsync.NO)) {
            AofTestSupport.assertSameContents(expected, AofTestSupport.contents(b, 1));
        }
    }

    @Test
    void bgrewriteaofRepliesAndInfoFields() throws Exception {
        try (Store a = AofTestSupport.open(dir, AppendFsync.EVERYSEC)) {
            a.execute("SET", "k", "v");
            Reply r = a.execute("BGREWRITEAOF");
            assertEquals(new Reply.SimpleString("Background append only file rewriting started"), r);
            AppendOnlyFile aof = aof(a);
            aof.rewriteNow();
            StringBuilder sb = new StringBuilder();
            aof.appendInfo(sb);
            String info = sb.toString();
            assertTrue(info.contains("aof_enabled:1\r\n"), info);
            assertTrue(info.contains("aof_rewrite_in_progress:0\r\n"), info);
            assertTrue(info.contains("aof_last_bgrewrite_status:ok\r\n"), info);
            assertTrue(info.contains("aof_last_write_status:ok\r\n"), info);
            assertTrue(info.matches("(?s).*aof_rewrites:[12]\r\n.*"), info);
            assertTrue(info.contains("aof_current_size:"), info);
            assertTrue(info.contains("aof_base_size:"), info);
        }
    }

    @Test
    void configSetAppendonlyAtRuntime() throws Exception {
        SortedMap<String, String> expected;
        try (Store a = Store.builder().dataDir(dir).config("aof-use-rdb-preamble", "no").open()) {
            a.execute("SET", "before", "1");
            a.execute("RPUSH", "l", "a", "b");
            assertEquals(new Reply.SimpleString("OK"), a.execute("CONFIG", "SET", "appendonly", "yes"));
            a.execute("SET", "after", "2");
            assertTrue(aof(a).rewriteNow());
            a.execute("INCR", "n");
            expected = AofTestSupport.contents(a, 1);
            assertEquals(new Reply.SimpleString("OK"), a.execute("CONFIG", "SET", "appendonly", "no"));
            a.execute("SET", "not-logged", "x");
        }
        try (var files = Files.list(dir.resolve("appendonlydir"))) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().startsWith("temp-")));
        }
        try (Store b = AofTestSupport.open(dir, AppendFsync.EVERYSEC)) {
            AofTestSupport.assertSameContents(expected, AofTestSupport.contents(b, 1));
        }
    }

    @Test
    void secondBgrewriteaofWhileOneRunsIsRefused() throws Exception {
        java.util.concurrent.CountDownLatch inImage = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        try (Store a = AofTestSupport.open(dir, AppendFsync.EVERYSEC)) {
            AppendOnlyFile aof = aof(a);
            aof.pointInTime((ks, enc, atCut) -> {
                inImage.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return PointInTime.LOCK_ALL.begin(ks, enc, atCut);
            });
            assertEquals(new Reply.SimpleString("Background append only file rewriting started"), a.execute("BGREWRITEAOF"));
            inImage.await();
            assertEquals(Reply.error("ERR Background append only file rewriting already in progress"), a.execute("BGREWRITEAOF"));
            StringBuilder sb = new StringBuilder();
            aof.appendInfo(sb);
            assertTrue(sb.toString().contains("aof_rewrite_in_progress:1\r\n"), sb.toString());
            release.countDown();
            assertTrue(aof.rewriteNow());
        }
    }

    @Test
    void automaticRewriteOnGrowth() throws Exception {
        try (Store a = AofTestSupport.open(dir, AppendFsync.NO, "auto-aof-rewrite-min-size", "4096",
            "auto-aof-rewrite-percentage", "100")) {
            AppendOnlyFile aof = aof(a);
            for (int i = 0; i < 2000; i++) {
                a.execute("SET", "k" + (i % 10), "v" + i); // the file grows, the data set does not
            }
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
            while (aof.manifest().base().seq() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(20); // the cron checks every 100 ms
            }
            assertTrue(aof.manifest().base().seq() >= 2, "no automatic rewrite: " + aof.manifest());
            assertTrue(aof.currentSize() < 4096, "rewritten size " + aof.currentSize());
        }
    }

    @Test
    void configSetAppendonlyInsideExec() throws Exception {
        try (Store a = Store.builder().dataDir(dir).config("aof-use-rdb-preamble", "no").open()) {
            Session s = a.newSession();
            s.execute("SET", "k", "v");
            s.execute("MULTI");
            s.execute("CONFIG", "SET", "appendonly", "yes");
            s.execute("SET", "k2", "v2");
            Reply r = s.execute("EXEC");
            assertTrue(r instanceof Reply.ArrayReply, String.valueOf(r));
            AppendOnlyFile aof = aof(a);
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
            while ((aof.writer() == null || aof.rewriteInProgress() || aof.manifest() == null
                || aof.manifest().base() == null) && System.nanoTime() < deadline) {
                Thread.sleep(10); // the switch happens right after EXEC, on its own thread
            }
            assertTrue(aof.rewriteNow());
            s.execute("SET", "k3", "v3");
        }
        try (Store b = AofTestSupport.open(dir, AppendFsync.EVERYSEC)) {
            assertEquals(3, AofTestSupport.contents(b, 1).size());
        }
    }

    @Test
    void loadingPropagatesNothing() {
        try (Store a = AofTestSupport.open(dir, AppendFsync.EVERYSEC)) {
            a.execute("SET", "k", "v");
            a.execute("RPUSH", "l", "a");
        }
        List<String> seen = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        try (Store b = Store.builder().dataDir(dir).appendOnly(true).config("aof-use-rdb-preamble", "no")
            .propagationSink((db, argv) -> seen.add(new String(argv[0], java.nio.charset.StandardCharsets.UTF_8))).open()) {
            assertEquals(2, AofTestSupport.contents(b, 1).size());
            assertEquals(List.of(), seen);
            b.execute("SET", "new", "1");
            assertEquals(List.of("SET"), seen);
        }
    }

    @Test
    void loadingIgnoresMaxmemory() {
        SortedMap<String, String> expected;
        try (Store a = AofTestSupport.open(dir, AppendFsync.EVERYSEC)) {
            for (int i = 0; i < 200; i++) {
                a.execute("SET", "k" + i, "x".repeat(1000));
            }
            expected = AofTestSupport.contents(a, 1);
        }
        try (Store b = AofTestSupport.open(dir, AppendFsync.EVERYSEC, "maxmemory", "10000")) {
            AofTestSupport.assertSameContents(expected, AofTestSupport.contents(b, 1));
            assertTrue(b.execute("SET", "more", "x") instanceof Reply.ErrorReply, "the limit applies after the load");
        }
    }

    static AppendOnlyFile aof(Store s) {
        return Internals.engine(s).persistence().aof();
    }
}
