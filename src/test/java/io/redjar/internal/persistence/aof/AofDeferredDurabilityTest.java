package io.redjar.internal.persistence.aof;

import io.redjar.AppendFsync;
import io.redjar.Reply;
import io.redjar.Store;
import io.redjar.spi.Connection;
import io.redjar.spi.Peer;
import io.redjar.spi.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Network calls ({@code FrontEnd} connections) under {@code appendfsync always} do not wait on
 * their thread for the sync: a write answers a pending result that completes with the reply once
 * its effects are forced (or with MISCONF when they could not be), so one thread (an event loop)
 * can issue the writes of many connections and they share a sync. Embedded calls still return
 * only when durable ({@link AofFsyncAndFaultsTest}); {@code everysec} answers at once.
 */
class AofDeferredDurabilityTest {
    private static final String MISCONF = AofTestSupport.MISCONF_DISK_FULL;

    @TempDir
    Path dir;

    private Store open(FaultyFile.Faults faults, AppendFsync fsync) {
        return AofTestSupport.openFaulty(dir, faults, fsync);
    }

    private static byte[][] argv(String... a) {
        byte[][] out = new byte[a.length][];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i].getBytes(StandardCharsets.UTF_8);
        }
        return out;
    }

    private static final class NullPeer implements Peer {
        private final int n;

        NullPeer(int n) {
            this.n = n;
        }

        @Override
        public String address() {
            return "10.0.0.1:" + (1000 + n);
        }

        @Override
        public String localAddress() {
            return "127.0.0.1:6379";
        }

        @Override
        public void send(byte[] resp) {
        }

        @Override
        public void close(boolean afterReply) {
        }
    }

    private static Reply await(Result r) throws Exception {
        return r.later() == null ? r.reply() : r.later().get(30, TimeUnit.SECONDS);
    }

    @Test
    void aWriteIsAnsweredOnlyOnceForcedAndReadsAnswerAtOnce() throws Exception {
        FaultyFile.Faults f = new FaultyFile.Faults();
        f.forceMicros = 2000;
        try (Store s = open(f, AppendFsync.ALWAYS)) {
            AofWriter w = AofRoundTripTest.aof(s).writer();
            Connection c = s.frontEnd().connect(new NullPeer(0));
            for (int i = 0; i < 20; i++) {
                Result r = c.execute(argv("SET", "k" + i, "v"));
                assertNotNull(r.later(), "a write under always waits for its sync off the caller's thread");
                CompletableFuture<Long> forcedAtReply = r.later().thenApply(x -> w.fsyncedSize());
                assertEquals(new Reply.SimpleString("OK"), r.later().get(30, TimeUnit.SECONDS));
                long written = w.fileSize();
                assertTrue(forcedAtReply.get() >= written, "answered before forced: " + forcedAtReply.get() + " < " + written);
            }
            Result get = c.execute(argv("GET", "k3"));
            assertNull(get.later(), "a read publishes nothing: answered at once");
            assertEquals("v", AofTestSupport.text(get.reply()));
            // MULTI/EXEC: one batch, one pending reply
            assertEquals(new Reply.SimpleString("OK"), await(c.execute(argv("MULTI"))));
            await(c.execute(argv("SET", "m1", "a")));
            await(c.execute(argv("INCR", "m2")));
            Result exec = c.execute(argv("EXEC"));
            assertNotNull(exec.later());
            assertTrue(exec.later().get(30, TimeUnit.SECONDS) instanceof Reply.ArrayReply);
            assertEquals(w.fileSize(), w.fsyncedSize());
        }
    }

    /** One thread issues the writes of 50 connections without waiting: they share few syncs. */
    @Test
    void oneThreadsWritesForManyConnectionsShareSyncs() throws Exception {
        FaultyFile.Faults f = new FaultyFile.Faults();
        f.forceMicros = 3000;
        int conns = 50;
        int rounds = 10;
        try (Store s = open(f, AppendFsync.ALWAYS)) {
            AofWriter w = AofRoundTripTest.aof(s).writer();
            List<Connection> cs = new ArrayList<>();
            for (int i = 0; i < conns; i++) {
                cs.add(s.frontEnd().connect(new NullPeer(i)));
            }
            long forces0 = w.forces();
            long t0 = System.nanoTime();
            for (int round = 0; round < rounds; round++) {
                List<CompletableFuture<Reply>> pending = new ArrayList<>();
                for (int i = 0; i < conns; i++) {
                    Result r = cs.get(i).execute(argv("SET", "k" + i, "r" + round));
                    assertNotNull(r.later());
                    pending.add(r.later());
                }
                for (CompletableFuture<Reply> p : pending) {
                    assertEquals(new Reply.SimpleString("OK"), p.get(30, TimeUnit.SECONDS));
                }
            }
            long forces = w.forces() - forces0;
            int writes = conns * rounds;
            System.out.println("deferred group commit: " + writes + " writes from one thread, " + forces + " forces, "
                + (System.nanoTime() - t0) / 1_000_000 + " ms");
            assertTrue(forces > 0);
            assertTrue(forces * 5 <= writes, "expected groups of several writes per sync: " + forces + " for " + writes);
            assertEquals(w.fileSize(), w.fsyncedSize());
        }
        try (Store s = AofTestSupport.open(dir, AppendFsync.ALWAYS)) {
            for (int i = 0; i < conns; i++) {
                assertEquals("r" + (rounds - 1), AofTestSupport.text(s.execute("GET", "k" + i)));
            }
        }
    }

    @Test
    void aWriteThatCannotBeMadeDurableIsAnsweredMisconf() throws Exception {
        FaultyFile.Faults f = new FaultyFile.Faults();
        try (Store s = open(f, AppendFsync.ALWAYS)) {
            Connection c = s.frontEnd().connect(new NullPeer(0));
            assertEquals(new Reply.SimpleString("OK"), await(c.execute(argv("SET", "a", "v"))));
            f.full = true;
            assertEquals(Reply.error(MISCONF), await(c.execute(argv("SET", "lost", "v"))));
            assertEquals(Reply.error(MISCONF), await(c.execute(argv("SET", "b", "v"))), "then refused by the gate");
            f.full = false;
            AofRoundTripTest.aof(s).writer().retry();
            assertEquals(new Reply.SimpleString("OK"), await(c.execute(argv("SET", "after", "v"))));
        }
    }

    @Test
    void everysecAnswersAtOnce() throws Exception {
        FaultyFile.Faults f = new FaultyFile.Faults();
        try (Store s = open(f, AppendFsync.EVERYSEC)) {
            Connection c = s.frontEnd().connect(new NullPeer(0));
            Result r = c.execute(argv("SET", "a", "v"));
            assertNull(r.later());
            assertEquals(new Reply.SimpleString("OK"), r.reply());
            s.execute("CONFIG", "SET", "appendfsync", "always");
            assertNotNull(c.execute(argv("SET", "a", "w")).later());
        }
    }
}
