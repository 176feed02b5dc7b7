package io.redjar.internal.persistence.aof;

import io.redjar.AppendFsync;
import io.redjar.RedJarException;
import io.redjar.Reply;
import io.redjar.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fsync policies, group commit under {@code always}, and a full disk (an injected I/O
 * failure): MISCONF refusals, no crash, no acknowledged write lost, recovery once it clears.
 */
class AofFsyncAndFaultsTest {
    private static final String MISCONF = AofTestSupport.MISCONF_DISK_FULL;

    @TempDir
    Path dir;

    private Store open(FaultyFile.Faults faults, AppendFsync fsync) {
        return AofTestSupport.openFaulty(dir, faults, fsync);
    }

    @Test
    void alwaysForcesBeforeTheCallReturns() {
        FaultyFile.Faults f = new FaultyFile.Faults();
        try (Store s = open(f, AppendFsync.ALWAYS)) {
            AofWriter w = AofRoundTripTest.aof(s).writer();
            long forces = w.forces();
            for (int i = 0; i < 50; i++) {
                s.execute("SET", "k" + i, "v");
                assertEquals(w.fileSize(), w.fsyncedSize(), "acknowledged before forced");
            }
            assertEquals(forces + 50, w.forces());
        }
    }

    @Test
    void everysecForcesFromTheTickAndNoNever() {
        FaultyFile.Faults f = new FaultyFile.Faults();
        try (Store s = open(f, AppendFsync.EVERYSEC)) {
            AofWriter w = AofRoundTripTest.aof(s).writer();
            for (int i = 0; i < 50; i++) {
                s.execute("SET", "k" + i, "v");
            }
            assertTrue(w.fileSize() > 0);
            w.fsyncTick();
            assertEquals(w.fileSize(), w.fsyncedSize());
            s.execute("CONFIG", "SET", "appendfsync", "no");
            long forces = w.forces();
            for (int i = 0; i < 50; i++) {
                s.execute("SET", "k" + i, "w");
            }
            w.fsyncTick();
            assertEquals(forces, w.forces());
            assertTrue(w.fsyncedSize() < w.fileSize());
        }
    }

    /** Concurrent writers under {@code always} share syncs: far fewer forces than writes. */
    @Test
    void groupCommitSharesSyncs() throws Exception {
        FaultyFile.Faults f = new FaultyFile.Faults();
        f.forceMicros = 500; // a device's sync latency
        int threads = 8;
        int each = 200;
        try (Store s = open(f, AppendFsync.ALWAYS)) {
            AofWriter w = AofRoundTripTest.aof(s).writer();
            long forces0 = w.forces();
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> ts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                Thread th = new Thread(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < each; i++) {
                        s.execute("SET", "k" + id + ":" + i, "v");
                    }
                });
                th.start();
                ts.add(th);
            }
            go.countDown();
            for (Thread t : ts) {
                t.join();
            }
            long forces = w.forces() - forces0;
            int writes = threads * each;
            System.out.println("group commit: " + writes + " acknowledged writes, " + forces + " forces");
            assertTrue(forces > 0);
            assertTrue(forces * 3 < writes, "expected far fewer forces than writes: " + forces + " for " + writes);
            assertEquals(w.fileSize(), w.fsyncedSize());
        }
    }

    @Test
    void fullDiskUnderAlwaysRefusesWithMisconfAndRecovers() throws Exception {
        FaultyFile.Faults f = new FaultyFile.Faults();
        List<String> acked = new ArrayList<>();
        try (Store s = open(f, AppendFsync.ALWAYS)) {
            AppendOnlyFile aof = AofRoundTripTest.aof(s);
            for (int i = 0; i < 10; i++) {
                assertEquals(new Reply.SimpleString("OK"), s.execute("SET", "a" + i, "v"));
                acked.add("a" + i);
            }
            f.full = true;
            // the write whose bytes could not be made durable is not acknowledged
            Reply r = s.execute("SET", "lost", "v");
            assertEquals(Reply.error(MISCONF), r);
            // then writes (and PING) are refused by the gate; reads go on; typed calls throw
            assertEquals(Reply.error(MISCONF), s.execute("SET", "b", "v"));
            assertEquals(Reply.error(MISCONF), s.execute("PING"));
            assertEquals("v", AofTestSupport.text(s.execute("GET", "a1")));
            RedJarException e = assertThrows(RedJarException.class, () -> s.strings().set("typed", "v"));
            assertTrue(e.getMessage().contains("MISCONF"), e.getMessage());
            StringBuilder info = new StringBuilder();
            aof.appendInfo(info);
            assertTrue(info.toString().contains("aof_last_write_status:err"), info.toString());
            aof.writer().retry(); // the cron's retry, still failing
            assertEquals(Reply.error(MISCONF), s.execute("SET", "b", "v"));
            f.full = false;
            aof.writer().retry();
            assertNull(aof.refusal());
            assertEquals(new Reply.SimpleString("OK"), s.execute("SET", "after", "v"));
            acked.add("after");
        }
        try (Store s = AofTestSupport.open(dir, AppendFsync.ALWAYS)) {
            SortedMap<String, String> c = AofTestSupport.contents(s, 1);
            for (String k : acked) {
                assertTrue(c.containsKey("0:" + k), k + " lost: " + c.keySet());
            }
            assertTrue(!c.containsKey("0:b"), "a refused write was applied");
        }
    }

    @Test
    void scriptWhoseEffectsCannotBeMadeDurableAnswersMisconf() {
        FaultyFile.Faults f = new FaultyFile.Faults();
        try (Store s = open(f, AppendFsync.ALWAYS)) {
            assertEquals(new Reply.SimpleString("OK"), s.execute("EVAL", "return redis.call('SET', KEYS[1], 'a')", "1", "x"));
            f.full = true;
            assertEquals(Reply.error(MISCONF), s.execute("EVAL", "return redis.call('SET', KEYS[1], 'b')", "1", "x"));
            f.full = false;
            AofRoundTripTest.aof(s).writer().retry();
            assertEquals(new Reply.SimpleString("OK"), s.execute("EVAL", "return redis.call('SET', KEYS[1], 'c')", "1", "x"));
        }
    }

    @Test
    void fullDiskUnderEverysecRefusesLaterWritesAndLosesNothing() {
        FaultyFile.Faults f = new FaultyFile.Faults();
        List<String> acked = new ArrayList<>();
        try (Store s = open(f, AppendFsync.EVERYSEC)) {
            AppendOnlyFile aof = AofRoundTripTest.aof(s);
            s.execute("SET", "a", "v");
            acked.add("a");
            f.full = true;
            Reply r = s.execute("SET", "b", "v"); // Redis already answered before its write: OK
            assertInstanceOf(Reply.SimpleString.class, r);
            acked.add("b");
            assertEquals(Reply.error(MISCONF), s.execute("SET", "c", "v"));
            f.full = false;
            aof.writer().retry();
            assertEquals(new Reply.SimpleString("OK"), s.execute("SET", "d", "v"));
            acked.add("d");
        }
        try (Store s = AofTestSupport.open(dir, AppendFsync.EVERYSEC)) {
            SortedMap<String, String> c = AofTestSupport.contents(s, 1);
            for (String k : acked) {
                assertTrue(c.containsKey("0:" + k), k + " lost: " + c.keySet());
            }
        }
    }
}
