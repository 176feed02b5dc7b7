package io.redjar;

import io.redjar.internal.Internals;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Consumer groups on one store with a manual clock: idle times (XPENDING, XCLAIM and XAUTOCLAIM
 * min-idle, XINFO CONSUMERS), the propagated forms (XCLAIM per delivered entry, XGROUP SETID for
 * NOACK, CREATECONSUMER), blocking XREADGROUP served by XADD and failed by XGROUP DESTROY, DEL,
 * SET, FLUSHALL, and DUMP/RESTORE/COPY of a stream with groups, each followed by the keyspace
 * integrity check (which walks the groups' blocks).
 */
class StreamGroupCommandsTest {
    private static final long T0 = 1_700_000_000_000L;
    private ManualClock clock;
    private PropagationTest.Recorder sink;
    private Store store;
    private Session s;

    @BeforeEach
    void open() {
        clock = new ManualClock(T0);
        sink = new PropagationTest.Recorder(clock);
        store = Store.builder().clock(clock).activeExpire(false).propagationSink(sink).open();
        s = store.newSession();
        s.protocol(2);
    }

    @AfterEach
    void close() {
        Internals.engine(store).keyspace().verifyIntegrity();
        store.close();
    }

    private Reply x(String... command) {
        return s.execute(command);
    }

    private static Reply entry(String id, String... fv) {
        List<Reply> f = new ArrayList<>();
        for (String v : fv) {
            f.add(Reply.bulk(v));
        }
        return Reply.array(Reply.bulk(id), Reply.array(f));
    }

    private static Reply read(String key, Reply... entries) {
        return Reply.array(Reply.array(Reply.bulk(key), Reply.array(List.of(entries))));
    }

    private static Reply row(String id, String consumer, long idle, long count) {
        return Reply.array(Reply.bulk(id), Reply.bulk(consumer), Reply.integer(idle), Reply.integer(count));
    }

    private void awaitBlocked(int n) {
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            while (Internals.engine(store).blocking().blocked() != n) {
                Thread.onSpinWait();
            }
        });
    }

    @Test
    void idleTimesFollowTheStoresClock() {
        x("XADD", "s", "1-1", "f", "v");
        x("XADD", "s", "2-1", "f", "w");
        x("XGROUP", "CREATE", "s", "g", "0");
        assertEquals(read("s", entry("1-1", "f", "v"), entry("2-1", "f", "w")),
            x("XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", ">"));
        clock.advance(Duration.ofMillis(500));
        assertEquals(Reply.array(row("1-1", "alice", 500, 1), row("2-1", "alice", 500, 1)), x("XPENDING", "s", "g", "-", "+", "10"));
        assertEquals(Reply.array(), x("XPENDING", "s", "g", "IDLE", "501", "-", "+", "10"));
        assertEquals(Reply.array(), x("XCLAIM", "s", "g", "bob", "501", "1-1"), "not idle long enough");
        assertEquals(Reply.array(entry("1-1", "f", "v")), x("XCLAIM", "s", "g", "bob", "500", "1-1"));
        assertEquals(Reply.array(row("1-1", "bob", 0, 2), row("2-1", "alice", 500, 1)), x("XPENDING", "s", "g", "-", "+", "10"));
        clock.advance(Duration.ofMillis(100));
        // XAUTOCLAIM takes 2-1 (idle 600) but not 1-1 (idle 100)
        assertEquals(Reply.array(Reply.bulk("0-0"), Reply.array(Reply.bulk("2-1")), Reply.array()),
            x("XAUTOCLAIM", "s", "g", "carol", "200", "0", "JUSTID"));
        assertEquals(Reply.array(row("1-1", "bob", 100, 2), row("2-1", "carol", 0, 1)), x("XPENDING", "s", "g", "-", "+", "10"),
            "JUSTID does not count a delivery");
        // XCLAIM IDLE / TIME set the delivery time
        x("XCLAIM", "s", "g", "bob", "0", "2-1", "IDLE", "70", "JUSTID");
        x("XCLAIM", "s", "g", "bob", "0", "1-1", "TIME", Long.toString(clock.millis() - 30), "RETRYCOUNT", "9", "JUSTID");
        assertEquals(Reply.array(row("1-1", "bob", 30, 9), row("2-1", "bob", 70, 1)), x("XPENDING", "s", "g", "-", "+", "10"));
        clock.advance(Duration.ofMillis(40));
        Reply consumers = x("XINFO", "CONSUMERS", "s", "g");
        assertEquals(Reply.array(
            new Reply.Map(List.of(Reply.bulk("name"), Reply.bulk("alice"), Reply.bulk("pending"), Reply.integer(0),
                Reply.bulk("idle"), Reply.integer(640))),
            new Reply.Map(List.of(Reply.bulk("name"), Reply.bulk("bob"), Reply.bulk("pending"), Reply.integer(2),
                Reply.bulk("idle"), Reply.integer(40))),
            new Reply.Map(List.of(Reply.bulk("name"), Reply.bulk("carol"), Reply.bulk("pending"), Reply.integer(0),
                Reply.bulk("idle"), Reply.integer(40)))), consumers);
    }

    @Test
    void propagatesRedisForms() {
        x("XADD", "s", "1-1", "f", "v");
        x("XADD", "s", "2-1", "f", "w");
        sink.drain();
        x("XGROUP", "CREATE", "s", "g", "0");
        assertEquals(List.of(List.of("XGROUP", "CREATE", "s", "g", "0")), sink.drain());
        x("XREADGROUP", "GROUP", "g", "alice", "COUNT", "1", "STREAMS", "s", ">");
        assertEquals(List.of(List.of("XCLAIM", "s", "g", "alice", "0", "1-1", "TIME", Long.toString(T0), "RETRYCOUNT", "1",
            "FORCE", "JUSTID", "LASTID", "1-1")), sink.drain());
        x("XREADGROUP", "GROUP", "g", "bob", "NOACK", "STREAMS", "s", ">");
        assertEquals(List.of(List.of("XGROUP", "CREATECONSUMER", "s", "g", "bob"),
            List.of("XGROUP", "SETID", "s", "g", "2-1", "ENTRIESREAD", "2")), sink.drain());
        x("XACK", "s", "g", "1-1", "9-9");
        assertEquals(List.of(List.of("XACK", "s", "g", "1-1", "9-9")), sink.drain());
        x("XACK", "s", "g", "1-1");
        assertEquals(List.of(), sink.drain(), "nothing acknowledged, nothing propagated");
        x("XCLAIM", "s", "g", "carol", "0", "2-1", "FORCE", "LASTID", "5-0");
        assertEquals(List.of(List.of("XCLAIM", "s", "g", "carol", "0", "2-1", "TIME", Long.toString(T0), "RETRYCOUNT", "2",
            "FORCE", "JUSTID", "LASTID", "5-0")), sink.drain(), "a forced NACK starts at 1 and the claim counts one more");
        x("XCLAIM", "s", "g", "carol", "0", "9-9", "LASTID", "6-0");
        assertEquals(List.of(List.of("XGROUP", "SETID", "s", "g", "6-0", "ENTRIESREAD", "2")), sink.drain());
    }

    @Test
    void blockedGroupReadersAreServedOrFailedAsRedis70() throws Exception {
        x("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
        Session b = store.newSession();
        b.protocol(2);
        CompletableFuture<Reply> a = b.executeAsync("XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">");
        awaitBlocked(1);
        x("XADD", "s", "1-1", "f", "v");
        assertEquals(read("s", entry("1-1", "f", "v")), a.get(5, TimeUnit.SECONDS));
        assertEquals(Reply.integer(1), ((Reply.ArrayReply) x("XPENDING", "s", "g")).elements().get(0));

        String[][] killers = {{"XGROUP", "DESTROY", "s", "g"}, {"DEL", "s"}, {"SET", "s", "x"}, {"FLUSHALL"}};
        String[] errors = {"NOGROUP the consumer group this client was blocked on no longer exists",
            "UNBLOCKED the stream key no longer exists", "UNBLOCKED the stream key no longer exists",
            "UNBLOCKED the stream key no longer exists"};
        for (int i = 0; i < killers.length; i++) {
            x("DEL", "s");
            x("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
            CompletableFuture<Reply> w = b.executeAsync("XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">");
            awaitBlocked(1);
            x("XADD", "other", "1-1", "f", "v");
            assertFalse(w.isDone());
            x(killers[i]);
            assertEquals(Reply.error(errors[i]), w.get(5, TimeUnit.SECONDS), String.join(" ", killers[i]));
        }
        // a timed-out group reader answers a null array
        x("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
        CompletableFuture<Reply> t = b.executeAsync("XREADGROUP", "GROUP", "g", "alice", "BLOCK", "100", "STREAMS", "s", ">");
        awaitBlocked(1);
        clock.advance(Duration.ofMillis(100));
        Internals.engine(store).blocking().expire(clock.millis());
        assertEquals(Reply.NULL_ARRAY, t.get(5, TimeUnit.SECONDS));
    }

    @Test
    void dumpRestoreAndCopyKeepTheGroups() {
        x("XADD", "s", "1-1", "f", "v");
        x("XADD", "s", "2-1", "f", "w");
        x("XADD", "s", "3-1", "f", "x");
        x("XDEL", "s", "2-1");
        x("XGROUP", "CREATE", "s", "g", "0");
        x("XGROUP", "CREATE", "s", "h", "$", "ENTRIESREAD", "7");
        x("XREADGROUP", "GROUP", "g", "alice", "COUNT", "1", "STREAMS", "s", ">");
        x("XREADGROUP", "GROUP", "g", "bob", "STREAMS", "s", ">");
        x("XGROUP", "CREATECONSUMER", "s", "h", "idle");
        Reply info = x("XINFO", "STREAM", "s", "FULL");
        Reply dump = x("DUMP", "s");
        Reply restored = store.execute("RESTORE".getBytes(), "r2".getBytes(), "0".getBytes(), ((Reply.Bulk) dump).value());
        assertEquals(Reply.OK, restored);
        assertEquals(info, x("XINFO", "STREAM", "r2", "FULL"));
        assertEquals(Reply.integer(1), x("COPY", "s", "c"));
        assertEquals(info, x("XINFO", "STREAM", "c", "FULL"));
        x("XACK", "c", "g", "1-1", "3-1");
        assertEquals(info, x("XINFO", "STREAM", "s", "FULL"), "the copy's PEL is its own");
        assertEquals(Reply.integer(3), x("DEL", "s", "c", "r2"));
    }
}
