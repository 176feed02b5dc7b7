package io.redjar;

import io.redjar.internal.Internals;
import io.redjar.internal.propagation.Effect;
import io.redjar.internal.propagation.EffectBatch;
import io.redjar.internal.util.HashSlot;
import io.redjar.testing.Seeds;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Store#atomically}: results and effects, one propagation batch, undeclared-key and
 * whole-keyspace refusal (with the locks released after), the time limit on the store's clock,
 * nesting, non-waiting pops with waiters served after, other shards staying free, and atomicity
 * against concurrent typed, {@code execute} and {@code MULTI} callers.
 */
class AtomicallyTest {

    @Test
    void runsAndReturns() {
        try (Store store = Store.open()) {
            store.strings().set("from", "100");
            long to = store.atomicallyResult(List.of("from", "to", "log"), ctx -> {
                ctx.strings().decrBy("from", 30);
                ctx.lists().rpush("log", "x");
                return ctx.strings().incrBy("to", 30);
            });
            assertEquals(30, to);
            assertEquals("70", store.strings().get("from"));
            assertEquals(1, store.lists().llen("log"));
        }
    }

    @Test
    void effectsAreOneBatch() {
        try (Store store = Store.builder().shards(8).open()) {
            List<EffectBatch> batches = Collections.synchronizedList(new ArrayList<>());
            Internals.engine(store).keyspace().propagation().addConsumer(batches::add);
            store.atomically(List.of("a", "b", "c"), ctx -> {
                ctx.strings().set("a", "1");
                ctx.execute("RPUSH", "b", "x");
                ctx.sets().sadd("c", "m");
                ctx.strings().get("a");
            });
            store.strings().set("d", "1");
            List<List<String>> seen = new ArrayList<>();
            for (EffectBatch b : batches) {
                List<String> cmds = new ArrayList<>();
                for (Effect e : b) {
                    cmds.add(new String(e.argv()[0], StandardCharsets.UTF_8).toUpperCase() + " "
                        + new String(e.argv()[1], StandardCharsets.UTF_8));
                }
                seen.add(cmds);
            }
            assertEquals(List.of(List.of("SET a", "RPUSH b", "SADD c"), List.of("SET d")), seen);
        }
    }

    @Test
    void undeclaredKeysAreRefusedAndTheLocksReleased() {
        try (Store store = Store.builder().shards(16).open()) {
            store.strings().set("a", "1");
            UndeclaredKeyException typed = assertThrows(UndeclaredKeyException.class,
                () -> store.atomically(List.of("a"), ctx -> ctx.strings().set("other", "x")));
            assertArrayEquals("other".getBytes(StandardCharsets.UTF_8), typed.key());
            assertTrue(typed.getMessage().contains("'other'"), typed.getMessage());
            assertThrows(UndeclaredKeyException.class,
                () -> store.atomically(List.of("a"), ctx -> ctx.execute("GET", "other")));
            assertThrows(UndeclaredKeyException.class,
                () -> store.atomically(List.of("a"), ctx -> ctx.strings().mget("a", "other")));
            // whole-keyspace commands and Store.multi need every shard
            for (String[] cmd : new String[][] {{"KEYS", "*"}, {"DBSIZE"}, {"FLUSHALL"}, {"SCAN", "0"}, {"EVAL", "return 1", "0"}}) {
                UndeclaredKeyException e = assertThrows(UndeclaredKeyException.class,
                    () -> store.atomically(List.of("a"), ctx -> ctx.execute(cmd)), String.join(" ", cmd));
                assertNull(e.key());
            }
            assertThrows(UndeclaredKeyException.class,
                () -> store.atomically(List.of("a"), ctx -> store.multi(tx -> tx.strings().set("a", "2"))));
            // the store (undeclared keys included) is unchanged, and every lock is free for other threads
            assertNull(store.strings().get("other"));
            assertEquals("1", store.strings().get("a"));
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> CompletableFuture.runAsync(() -> {
                store.strings().set("a", "3");
                store.execute("FLUSHALL");
            }).get());
            assertEquals("0", store.execute("DBSIZE").toString().replace(":", "").trim());
        }
    }

    @Test
    void writesBeforeARefusalStay() {
        try (Store store = Store.open()) {
            assertThrows(UndeclaredKeyException.class, () -> store.atomically(List.of("a"), ctx -> {
                ctx.strings().set("a", "1");
                ctx.strings().set("b", "1");
            }));
            assertEquals("1", store.strings().get("a"));
            assertNull(store.strings().get("b"));
        }
    }

    @Test
    void timeLimitStopsALambdaThatHasNotWritten() {
        ManualClock clock = new ManualClock(1_000_000);
        try (Store store = Store.builder().clock(clock).open()) {
            store.strings().set("a", "1");
            AtomicLong callsAfter = new AtomicLong();
            AtomicTimeoutException e = assertThrows(AtomicTimeoutException.class, () -> store.atomically(List.of("a", "b"), ctx -> {
                ctx.strings().get("a");
                clock.advance(Duration.ofMillis(5000));
                ctx.strings().get("a"); // exactly at the limit: still allowed
                callsAfter.incrementAndGet();
                clock.advance(Duration.ofMillis(1));
                ctx.strings().set("b", "never");
                callsAfter.incrementAndGet();
            }));
            assertTrue(e.getMessage().contains("busy-reply-threshold"), e.getMessage());
            assertEquals(1, callsAfter.get());
            assertNull(store.strings().get("b"));
            // execute() is stopped the same way
            assertThrows(AtomicTimeoutException.class, () -> store.atomically(List.of("a"), ctx -> {
                clock.advance(Duration.ofMillis(6000));
                ctx.execute("GET", "a");
            }));
        }
    }

    @Test
    void aLambdaThatHasWrittenRunsToItsEnd() {
        ManualClock clock = new ManualClock(1_000_000);
        try (Store store = Store.builder().clock(clock).open()) {
            store.atomically(List.of("a", "b"), ctx -> {
                ctx.strings().set("a", "1");
                clock.advance(Duration.ofMillis(60_000));
                ctx.strings().set("b", "2");
                ctx.execute("INCR", "b");
            });
            assertEquals("1", store.strings().get("a"));
            assertEquals("3", store.strings().get("b"));
            // a nested lambda inherits the outer deadline and the outer "has written"
            store.atomically(List.of("a", "b"), ctx -> {
                ctx.strings().set("a", "2");
                clock.advance(Duration.ofMillis(60_000));
                store.atomically(List.of("b"), inner -> inner.strings().set("b", "4"));
            });
            assertEquals("4", store.strings().get("b"));
            assertThrows(AtomicTimeoutException.class, () -> store.atomically(List.of("a", "b"), ctx -> {
                clock.advance(Duration.ofMillis(4000));
                store.atomically(List.of("b"), inner -> {
                    clock.advance(Duration.ofMillis(1001));
                    inner.strings().set("b", "never");
                });
            }));
            assertEquals("4", store.strings().get("b"));
        }
    }

    @Test
    void nesting() {
        try (Store store = Store.builder().shards(16).open()) {
            long n = store.atomicallyResult(List.of("a", "b"), ctx -> {
                ctx.strings().set("a", "1");
                return store.atomicallyResult(List.of("b"), inner -> inner.strings().incrBy("b", 5));
            });
            assertEquals(5, n);
            UndeclaredKeyException e = assertThrows(UndeclaredKeyException.class,
                () -> store.atomically(List.of("a"), ctx -> store.atomically(List.of("a", "z"), inner -> { })));
            assertArrayEquals("z".getBytes(StandardCharsets.UTF_8), e.key());
            // inside Store.multi every shard is held: any keys may be declared
            store.multi(tx -> store.atomically(List.of("x", "y"), ctx -> ctx.strings().set("x", "1")));
            assertEquals("1", store.strings().get("x"));
            // and the region still restricts its own body
            assertThrows(UndeclaredKeyException.class,
                () -> store.multi(tx -> store.atomically(List.of("x"), ctx -> ctx.strings().set("y", "1"))));
        }
    }

    @Test
    void popsDoNotWaitAndWaitersAreServedAfter() throws Exception {
        try (Store store = Store.open()) {
            assertNull(store.atomicallyResult(List.of("q"), ctx -> {
                try {
                    return ctx.lists().blpop(Duration.ZERO, "q");
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }));
            Reply r = store.atomicallyResult(List.of("q"), ctx -> ctx.execute("BLPOP", "q", "0"));
            assertEquals(Reply.NULL_ARRAY, r);
            CompletableFuture<?> waiter = store.lists().blpopAsync(Duration.ofSeconds(30), "w");
            AtomicBoolean sawItself = new AtomicBoolean();
            store.atomically(List.of("w"), ctx -> {
                ctx.lists().rpush("w", "1", "2");
                sawItself.set(ctx.lists().llen("w") == 2);
            });
            assertTrue(sawItself.get(), "the waiter was served inside the lambda");
            assertTrue(waiter.get(10, TimeUnit.SECONDS).toString().contains("1"), String.valueOf(waiter.get()));
            assertEquals(1, store.lists().llen("w"));
        }
    }

    @Test
    void otherShardsStayFreeWhileALambdaRuns() throws Exception {
        try (Store store = Store.builder().shards(16).open()) {
            String mine = "mine";
            String other = null;
            for (int i = 0; other == null; i++) {
                String k = "other:" + i;
                if ((HashSlot.of(k.getBytes(StandardCharsets.UTF_8)) & 15) != (HashSlot.of(mine.getBytes(StandardCharsets.UTF_8)) & 15)) {
                    other = k;
                }
            }
            String otherKey = other;
            CountDownLatch inside = new CountDownLatch(1);
            CountDownLatch done = new CountDownLatch(1);
            // a lambda that waits is exactly what the documentation forbids; here it shows what stays free
            CompletableFuture<Void> lambda = CompletableFuture.runAsync(() -> store.atomically(List.of(mine), ctx -> {
                ctx.strings().set(mine, "1");
                inside.countDown();
                try {
                    assertTrue(done.await(30, TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }));
            assertTrue(inside.await(30, TimeUnit.SECONDS));
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                store.strings().set(otherKey, "free");
                assertEquals("free", ((Reply.Bulk) store.execute("GET", otherKey)).asString());
            });
            // a reader of the lambda's key waits for its end
            CompletableFuture<String> blocked = CompletableFuture.supplyAsync(() -> store.strings().get(mine));
            assertThrows(java.util.concurrent.TimeoutException.class, () -> blocked.get(200, TimeUnit.MILLISECONDS));
            done.countDown();
            lambda.get(30, TimeUnit.SECONDS);
            assertEquals("1", blocked.get(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void readersNeverSeeHalfALambda() {
        try (Store store = Store.builder().shards(8).open()) {
            List<String> keys = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                keys.add("iso:" + i);
                store.strings().set(keys.get(i), "0");
            }
            String[] mget = new String[keys.size() + 1];
            mget[0] = "MGET";
            for (int i = 0; i < keys.size(); i++) {
                mget[i + 1] = keys.get(i);
            }
            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicLong reads = new AtomicLong();
            List<String> torn = Collections.synchronizedList(new ArrayList<>());
            ConcurrencyTest.concurrently(4, t -> {
                if (t == 0) {
                    for (int v = 1; v <= 400; v++) {
                        int value = v;
                        store.atomically(keys, ctx -> {
                            for (String k : keys) {
                                if (value % 2 == 0) {
                                    ctx.strings().set(k, Integer.toString(value));
                                } else {
                                    ctx.execute("SET", k, Integer.toString(value));
                                }
                            }
                        });
                    }
                    writing.set(false);
                } else if (t == 1) {
                    while (writing.get()) {
                        List<String> vals = store.strings().mget(keys.toArray(new String[0]));
                        reads.incrementAndGet();
                        if (vals.stream().distinct().count() != 1) {
                            torn.add("typed " + vals);
                        }
                    }
                } else if (t == 2) {
                    Session s = store.newSession();
                    while (writing.get()) {
                        List<Reply> vals = ((Reply.ArrayReply) s.execute(mget)).elements();
                        reads.incrementAndGet();
                        if (vals.stream().distinct().count() != 1) {
                            torn.add("execute " + vals);
                        }
                    }
                } else {
                    // a reader that is itself a lambda, over two of the keys
                    while (writing.get()) {
                        boolean same = store.atomicallyResult(List.of(keys.get(0), keys.get(11)), ctx ->
                            ctx.strings().get(keys.get(0)).equals(ctx.strings().get(keys.get(11))));
                        reads.incrementAndGet();
                        if (!same) {
                            torn.add("lambda");
                        }
                    }
                }
            });
            assertTrue(reads.get() > 0);
            assertEquals(List.of(), torn.subList(0, Math.min(3, torn.size())), "a reader saw half a lambda");
        }
    }

    @Test
    void transfersByLambdaMultiAndWatchKeepTheTotal() {
        Seeds.run("AtomicallyTest.transfers", rnd -> {
            long seed = rnd.nextLong();
            int accounts = 8;
            try (Store store = Store.builder().shards(4).open()) {
                for (int i = 0; i < accounts; i++) {
                    store.strings().set("acct:" + i, "1000");
                }
                AtomicLong refusedOverdraft = new AtomicLong();
                ConcurrencyTest.concurrently(4, t -> {
                    Random r = new Random(seed + t);
                    Session s = store.newSession();
                    for (int n = 0; n < 300; n++) {
                        String from = "acct:" + r.nextInt(accounts);
                        String to = "acct:" + r.nextInt(accounts);
                        long amount = 1 + r.nextInt(50);
                        switch (t) {
                            case 0, 1 -> store.atomically(List.of(from, to), ctx -> {
                                long balance = Long.parseLong(ctx.strings().get(from));
                                if (balance < amount) {
                                    refusedOverdraft.incrementAndGet();
                                    return;
                                }
                                // read-modify-write with plain SETs: only atomicity keeps the total
                                ctx.strings().set(from, Long.toString(balance - amount));
                                long dest = Long.parseLong(ctx.strings().get(to));
                                ctx.strings().set(to, Long.toString(dest + amount));
                            });
                            case 2 -> {
                                s.execute("MULTI");
                                s.execute("DECRBY", from, Long.toString(amount));
                                s.execute("INCRBY", to, Long.toString(amount));
                                s.execute("EXEC");
                            }
                            default -> store.watch(List.of(from.getBytes(StandardCharsets.UTF_8), to.getBytes(StandardCharsets.UTF_8)), tx -> {
                                long a = Long.parseLong(tx.strings().get(from));
                                return w -> {
                                    w.strings().set(from, Long.toString(a - amount));
                                    w.strings().incrBy(to, amount);
                                };
                            });
                        }
                    }
                });
                long total = 0;
                for (int i = 0; i < accounts; i++) {
                    total += Long.parseLong(store.strings().get("acct:" + i));
                }
                assertEquals(accounts * 1000L, total, refusedOverdraft + " overdrafts refused");
            }
        });
    }

    @Test
    void binaryKeysAreCopied() {
        try (Store store = Store.open()) {
            byte[] k = {0, (byte) 0xff, 7};
            byte[][] keys = {k};
            store.atomically(keys, ctx -> ctx.strings().set(k, new byte[] {1}));
            k[0] = 9; // the declared keys were copied
            assertArrayEquals(new byte[] {1}, store.strings().get(new byte[] {0, (byte) 0xff, 7}));
            assertInstanceOf(NullPointerException.class, assertThrows(RuntimeException.class,
                () -> store.atomically(List.of("a"), (java.util.function.Consumer<AtomicContext>) null)));
        }
    }

    @Test
    void timeLimitIsBusyReplyThreshold() {
        ManualClock clock = new ManualClock(1_000_000);
        try (Store store = Store.builder().clock(clock).config("busy-reply-threshold", "100").open()) {
            store.atomically(List.of("a"), ctx -> {
                clock.advance(Duration.ofMillis(100));
                ctx.strings().get("a");
            });
            assertThrows(AtomicTimeoutException.class, () -> store.atomically(List.of("a"), ctx -> {
                clock.advance(Duration.ofMillis(101));
                ctx.strings().get("a");
            }));
            store.execute("CONFIG", "SET", "lua-time-limit", "0"); // 0: no limit
            store.atomically(List.of("a"), ctx -> {
                clock.advance(Duration.ofDays(1));
                ctx.strings().get("a");
            });
        }
    }
}
