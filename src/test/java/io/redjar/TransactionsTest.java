package io.redjar;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Transactions on one store without a reference server: the WATCH rules that need a clock
 * (a watched key expiring before EXEC; a key already expired when watched), wake-ups of blocked
 * clients after EXEC and after {@link Store#multi}, blocking pops inside a transaction, and the
 * typed API's {@link Store#multi}, {@link Store#multiResult} and {@link Store#watch}.
 */
class TransactionsTest {
    private static final long T0 = 1_700_000_000_000L;

    private static Reply x(Session s, String... argv) {
        return s.execute(argv);
    }

    @Test
    void watchedKeyThatExpiresBeforeExecFailsIt() {
        ManualClock clock = new ManualClock(T0);
        try (Store store = Store.builder().clock(clock).activeExpire(false).open()) {
            Session s = store.newSession();
            x(s, "SET", "k", "v", "PX", "100");
            x(s, "WATCH", "k");
            clock.advance(Duration.ofMillis(200)); // expired, not yet deleted
            x(s, "MULTI");
            x(s, "SET", "other", "1");
            assertEquals(Reply.NULL_ARRAY, x(s, "EXEC"));
            assertEquals(Reply.NULL_ARRAY.toString(), Reply.NULL_ARRAY.toString());
            assertNull(store.strings().get("other"));
            // not expired yet: EXEC runs
            x(s, "SET", "k", "v", "PX", "100");
            x(s, "WATCH", "k");
            clock.advance(Duration.ofMillis(50));
            x(s, "MULTI");
            x(s, "SET", "other", "1");
            assertInstanceOf(Reply.ArrayReply.class, x(s, "EXEC"));
            assertEquals("1", store.strings().get("other"));
        }
    }

    @Test
    void keyAlreadyExpiredWhenWatchedIsNoChangeWhenDeleted() {
        ManualClock clock = new ManualClock(T0);
        try (Store store = Store.builder().clock(clock).activeExpire(false).open()) {
            Session s = store.newSession();
            x(s, "SET", "k", "v", "PX", "100");
            clock.advance(Duration.ofMillis(200));
            x(s, "WATCH", "k");
            assertEquals("0", x(s, "EXISTS", "k").toString().replace(":", "").trim()
                .replace("(integer)", "").trim());
            x(s, "MULTI");
            x(s, "PING");
            assertInstanceOf(Reply.ArrayReply.class, x(s, "EXEC")); // the lazy delete was no change
            // but a new value for it is
            x(s, "WATCH", "k");
            store.strings().set("k", "new");
            x(s, "MULTI");
            x(s, "PING");
            assertEquals(Reply.NULL_ARRAY, x(s, "EXEC"));
        }
    }

    @Test
    void typedWriteFromAnotherThreadTouchesASessionsWatch() throws Exception {
        try (Store store = Store.open()) {
            Session s = store.newSession();
            x(s, "WATCH", "k");
            CompletableFuture.runAsync(() -> store.strings().set("k", "v")).get(10, TimeUnit.SECONDS);
            x(s, "MULTI");
            x(s, "SET", "k", "mine");
            assertEquals(Reply.NULL_ARRAY, x(s, "EXEC"));
            assertEquals("v", store.strings().get("k"));
        }
    }

    @Test
    void pushInsideExecWakesBlockedClientOnlyAfterIt() throws Exception {
        try (Store store = Store.open()) {
            Session waiter = store.newSession();
            CompletableFuture<Reply> blocked = waiter.executeAsync("BLPOP", "q", "0");
            assertFalse(blocked.isDone());
            Session s = store.newSession();
            x(s, "MULTI");
            x(s, "RPUSH", "q", "a");
            x(s, "LLEN", "q");
            Reply r = x(s, "EXEC");
            // inside the transaction the element was still there
            assertEquals("[:1, :1]", ((Reply.ArrayReply) r).elements().toString().replace("(integer) ", ":"));
            assertEquals(List.of("q", "a"), strings(blocked.get(10, TimeUnit.SECONDS)));
            assertEquals(0, store.lists().llen("q"));
        }
    }

    @Test
    void typedMultiIsOneUnitAndWakesAfterwards() throws Exception {
        try (Store store = Store.open()) {
            CompletableFuture<Lists.Popped> blocked = store.lists().blpopAsync(Duration.ZERO, "q");
            long inside = store.multiResult(tx -> {
                tx.lists().rpush("q", "a");
                tx.strings().set("s", "1");
                return tx.lists().llen("q");
            });
            assertEquals(1, inside);
            assertEquals(new Lists.Popped("q", "a"), blocked.get(10, TimeUnit.SECONDS));
            assertEquals("1", store.strings().get("s"));
        }
    }

    @Test
    void blockingPopsInsideTransactionsDoNotWait() throws Exception {
        try (Store store = Store.open()) {
            Lists.Popped p = store.multiResult(tx -> {
                try {
                    return tx.lists().blpop(Duration.ZERO, "empty");
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertNull(p);
        }
    }

    @Test
    void typedMultiDoesNotRollBack() {
        try (Store store = Store.open()) {
            store.strings().set("s", "x");
            assertThrows(WrongTypeException.class, () -> store.multi(tx -> {
                tx.strings().set("a", "1");
                tx.lists().lpush("s", "y");
            }));
            assertEquals("1", store.strings().get("a"));
        }
    }

    @Test
    void watchRetriesWhenAWatchedKeyChanges() {
        try (Store store = Store.open()) {
            store.strings().set("n", "1");
            int[] calls = {0};
            int attempts = store.watch(List.of(b("n")), tx -> {
                long n = Long.parseLong(tx.strings().get("n"));
                if (calls[0]++ == 0) {
                    store.strings().incr("n"); // someone else's write between the read and EXEC
                }
                return w -> w.strings().set("n", Long.toString(n * 10));
            });
            assertEquals(2, attempts);
            assertEquals("20", store.strings().get("n"));
            assertEquals(1, store.watch(List.of(b("n")), tx -> null));
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> strings(Reply r) {
        return ((Reply.ArrayReply) r).elements().stream()
            .map(e -> new String(((Reply.Bulk) e).value(), StandardCharsets.UTF_8)).toList();
    }
}
