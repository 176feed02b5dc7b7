package io.redjar;

import io.redjar.internal.Internals;
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
 * Blocking XREAD: served after an XADD to the stream (new or existing key), {@code $} resolved
 * at block time, every waiter served (reads consume nothing), COUNT applied, timeouts by the
 * store's manual clock, no blocking inside MULTI, and a key retyped under a waiter keeps it
 * blocked, as in Redis 7.0.
 */
class StreamBlockingTest {

    private static Reply entry(String id, String... fv) {
        List<Reply> f = new ArrayList<>();
        for (String x : fv) {
            f.add(Reply.bulk(x));
        }
        return Reply.array(Reply.bulk(id), Reply.array(f));
    }

    /** RESP2 shape: [[key, [entries...]]]. */
    private static Reply read(String key, Reply... entries) {
        return Reply.array(Reply.array(Reply.bulk(key), Reply.array(List.of(entries))));
    }

    private static Session resp2(Store store) {
        Session s = store.newSession();
        s.protocol(2);
        return s;
    }

    private static void awaitBlocked(Store store, int n) {
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            while (Internals.engine(store).blocking().blocked() != n) {
                Thread.onSpinWait();
            }
        });
    }

    @Test
    void xaddServesWaitersOnNewAndExistingStreams() throws Exception {
        try (Store store = Store.open()) {
            CompletableFuture<Reply> a = resp2(store).executeAsync("XREAD", "BLOCK", "0", "STREAMS", "s", "$");
            CompletableFuture<Reply> b = resp2(store).executeAsync("XREAD", "BLOCK", "0", "STREAMS", "other", "s", "0", "0");
            awaitBlocked(store, 2);
            store.execute("XADD", "s", "1-1", "f", "v");
            assertEquals(read("s", entry("1-1", "f", "v")), a.get(5, TimeUnit.SECONDS));
            assertEquals(read("s", entry("1-1", "f", "v")), b.get(5, TimeUnit.SECONDS), "a read consumes nothing");
            // $ is the last ID at block time: only what comes after it
            CompletableFuture<Reply> c = resp2(store).executeAsync("XREAD", "COUNT", "1", "BLOCK", "0", "STREAMS", "s", "$");
            awaitBlocked(store, 1);
            Session m = store.newSession();
            m.execute("MULTI");
            m.execute("XADD", "s", "2-1", "f", "w");
            m.execute("XADD", "s", "3-1", "f", "x");
            m.execute("EXEC");
            assertEquals(read("s", entry("2-1", "f", "w")), c.get(5, TimeUnit.SECONDS), "COUNT 1 of the two entries");
            assertEquals(0, Internals.engine(store).blocking().blocked());
        }
    }

    @Test
    void aRetypedKeyKeepsTheReaderBlocked() throws Exception {
        try (Store store = Store.open()) {
            store.execute("XADD", "s", "1-1", "f", "v");
            CompletableFuture<Reply> a = resp2(store).executeAsync("XREAD", "BLOCK", "0", "STREAMS", "s", "$");
            awaitBlocked(store, 1);
            store.execute("DEL", "s");
            store.execute("RPUSH", "s", "x");
            store.execute("DEL", "s");
            assertFalse(a.isDone());
            assertEquals(1, Internals.engine(store).blocking().blocked());
            store.execute("XADD", "s", "0-5", "g", "h"); // a new stream whose last ID is below the remembered 1-1
            assertFalse(a.isDone(), "0-5 is not after 1-1, the ID resolved at block time");
            store.execute("XADD", "s", "2-0", "g", "i");
            assertEquals(read("s", entry("2-0", "g", "i")), a.get(5, TimeUnit.SECONDS));
        }
    }

    /** A waiter that the key cannot serve (its ID is ahead) must not hide the ones behind it. */
    @Test
    void anUnservableHeadDoesNotStallLaterWaiters() throws Exception {
        try (Store store = Store.open()) {
            io.redjar.internal.keyspace.Keyspace ks = Internals.engine(store).keyspace();
            String other = null;
            for (int i = 0; other == null; i++) {
                if (ks.shardIndex(("t" + i).getBytes()) != ks.shardIndex("s".getBytes())) {
                    other = "t" + i;
                }
            }
            CompletableFuture<Reply> ahead = resp2(store).executeAsync("XREAD", "BLOCK", "0", "STREAMS", "s", "99-0");
            awaitBlocked(store, 1);
            CompletableFuture<Reply> behind = resp2(store).executeAsync("XREAD", "BLOCK", "0", "STREAMS", other, "s", "0", "0");
            awaitBlocked(store, 2);
            store.execute("XADD", "s", "1-1", "f", "v");
            assertEquals(read("s", entry("1-1", "f", "v")), behind.get(5, TimeUnit.SECONDS));
            assertFalse(ahead.isDone());
            store.execute("XADD", "s", "100-0", "f", "w");
            assertEquals(read("s", entry("100-0", "f", "w")), ahead.get(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void timeoutsFollowTheStoresClock() throws Exception {
        ManualClock clock = new ManualClock(1_000_000);
        try (Store store = Store.builder().clock(clock).open()) {
            CompletableFuture<Reply> a = resp2(store).executeAsync("XREAD", "BLOCK", "100", "STREAMS", "s", "$");
            awaitBlocked(store, 1);
            clock.advance(Duration.ofMillis(99));
            Internals.engine(store).blocking().expire(clock.millis());
            assertFalse(a.isDone());
            clock.advance(Duration.ofMillis(1));
            Internals.engine(store).blocking().expire(clock.millis());
            assertEquals(Reply.NULL_ARRAY, a.get(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void noBlockingInsideMultiAndErrorsAtOnce() {
        try (Store store = Store.open()) {
            Session s = resp2(store);
            s.execute("MULTI");
            s.execute("XREAD", "BLOCK", "0", "STREAMS", "s", "$");
            assertEquals(Reply.array(Reply.NULL_ARRAY), s.execute("EXEC"));
            store.execute("SET", "str", "x");
            assertEquals(Reply.error(WrongTypeException.MESSAGE), s.execute("XREAD", "BLOCK", "0", "STREAMS", "str", "$"));
            assertEquals(Reply.error("ERR timeout is negative"), s.execute("XREAD", "BLOCK", "-1", "STREAMS", "s", "$"));
            assertEquals(Reply.error("ERR timeout is not an integer or out of range"),
                s.execute("XREAD", "BLOCK", "1.5", "STREAMS", "s", "$"));
            store.execute("XADD", "s", "1-1", "f", "v");
            assertEquals(read("s", entry("1-1", "f", "v")), s.execute("XREAD", "BLOCK", "0", "STREAMS", "s", "0"),
                "served at once when there is data");
        }
    }
}
