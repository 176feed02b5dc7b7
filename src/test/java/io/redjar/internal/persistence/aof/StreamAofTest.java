package io.redjar.internal.persistence.aof;

import io.redjar.ManualClock;
import io.redjar.Reply;
import io.redjar.Session;
import io.redjar.Store;
import io.redjar.internal.Internals;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Streams with consumer groups through the append-only file: a rewrite (command form as Redis's
 * {@code rewriteStreamObject}: XADD, XSETID, XGROUP CREATE, XCLAIM / CREATECONSUMER; or the RDB
 * preamble), then more group traffic in the incremental file (XREADGROUP's XCLAIM and SETID
 * forms, XACK, XAUTOCLAIM, XGROUP), reopened: every stream reads back the same, PEL times
 * included (one manual clock).
 */
class StreamAofTest {
    @TempDir
    Path dir;

    private static final String[] KEYS = {"s", "empty", "del"};

    private static List<Reply> snapshot(Session s) {
        List<Reply> out = new ArrayList<>();
        for (String k : KEYS) {
            out.add(s.execute("XINFO", "STREAM", k, "FULL", "COUNT", "0"));
            out.add(s.execute("XINFO", "GROUPS", k));
        }
        return out;
    }

    private static Reply maskSeen(Reply r) {
        if (r instanceof Reply.Map m) {
            List<Reply> out = new ArrayList<>();
            for (int i = 0; i < m.flat().size(); i++) {
                Reply v = m.flat().get(i);
                boolean seen = i % 2 == 1 && m.flat().get(i - 1).equals(Reply.bulk("seen-time"));
                out.add(seen ? Reply.integer(0) : maskSeen(v));
            }
            return new Reply.Map(out);
        }
        if (r instanceof Reply.ArrayReply a) {
            return Reply.array(a.elements().stream().map(StreamAofTest::maskSeen).toList());
        }
        return r;
    }

    private Store open(ManualClock clock, String preamble) {
        return Store.builder().dataDir(dir).appendOnly(true).clock(clock).config("aof-use-rdb-preamble", preamble).open();
    }

    @ParameterizedTest
    @ValueSource(strings = {"no", "yes"})
    void groupsSurviveARewriteAndTheIncrementalFile(String preamble) {
        ManualClock clock = new ManualClock(1_700_000_000_000L);
        List<Reply> before;
        try (Store a = open(clock, preamble)) {
            Session s = a.newSession();
            for (int i = 1; i <= 8; i++) {
                s.execute("XADD", "s", i + "-1", "f", "v" + i, "g", "w");
            }
            s.execute("XDEL", "s", "3-1");
            s.execute("XGROUP", "CREATE", "s", "g1", "0");
            s.execute("XGROUP", "CREATE", "s", "g2", "$", "ENTRIESREAD", "8");
            s.execute("XREADGROUP", "GROUP", "g1", "alice", "COUNT", "3", "STREAMS", "s", ">");
            clock.advance(Duration.ofMillis(250));
            s.execute("XREADGROUP", "GROUP", "g1", "bob", "COUNT", "2", "STREAMS", "s", ">");
            s.execute("XGROUP", "CREATECONSUMER", "s", "g2", "idle");
            s.execute("XGROUP", "CREATE", "empty", "g", "$", "MKSTREAM");
            s.execute("XADD", "del", "5-5", "f", "v");
            s.execute("XDEL", "del", "5-5");
            s.execute("XGROUP", "CREATE", "del", "g", "0");
            assertTrue(AofRoundTripTest.aof(a).rewriteNow());
            clock.advance(Duration.ofMillis(100));
            s.execute("XREADGROUP", "GROUP", "g1", "carol", "NOACK", "STREAMS", "s", ">");
            s.execute("XACK", "s", "g1", "1-1");
            s.execute("XAUTOCLAIM", "s", "g1", "dave", "0", "0", "COUNT", "1");
            s.execute("XCLAIM", "s", "g1", "erin", "0", "5-1", "RETRYCOUNT", "7");
            s.execute("XGROUP", "DELCONSUMER", "s", "g1", "alice");
            s.execute("XGROUP", "SETID", "s", "g2", "4-1", "ENTRIESREAD", "3");
            before = snapshot(s);
            assertFalse(before.get(0).isError());
            Internals.engine(a).keyspace().verifyIntegrity();
        }
        try (Store b = open(clock, preamble)) {
            List<Reply> after = snapshot(b.newSession());
            if (preamble.equals("no")) {
                // replayed commands create consumers at replay time, as in Redis (seen-time is not in the AOF)
                before = before.stream().map(StreamAofTest::maskSeen).toList();
                after = after.stream().map(StreamAofTest::maskSeen).toList();
            }
            assertEquals(before, after);
            Internals.engine(b).keyspace().verifyIntegrity();
        }
    }
}
