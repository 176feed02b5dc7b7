package io.redjar;

import io.redjar.internal.Internals;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Blocking pops through the typed handles ({@link Lists}, {@link SortedSets}). */
class HandleBlockingTest {
    private static final Duration LIMIT = Duration.ofSeconds(20);

    private static void awaitBlocked(Store store, int n) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (Internals.engine(store).blocking().blocked() != n) {
            assertTrue(System.nanoTime() < until, "waiters never reached " + n);
            Thread.sleep(2);
        }
    }

    @Test
    void blpopInOneThreadIsServedByAnRpushThroughTheHandle() {
        assertTimeoutPreemptively(LIMIT, () -> {
            try (Store store = Store.open()) {
                Lists l = store.lists();
                AtomicReference<Object> got = new AtomicReference<>();
                Thread t = new Thread(() -> {
                    try {
                        got.set(l.blpop(Duration.ZERO, "a", "q"));
                    } catch (Throwable e) {
                        got.set(e);
                    }
                });
                t.start();
                awaitBlocked(store, 1);
                assertEquals(2, l.rpush("q", "x", "y")); // the push completes first, then the waiter is served
                t.join();
                assertEquals(new Lists.Popped("q", "x"), got.get());
                assertEquals(List.of("y"), l.lrange("q", 0, -1));
                assertEquals(0, Internals.engine(store).blocking().blocked());
            }
        });
    }

    @Test
    void servedAtOnceWhenAnElementIsThere() throws Exception {
        try (Store store = Store.open()) {
            Lists l = store.lists();
            l.rpush("q", "a", "b", "c");
            assertEquals(new Lists.Popped("q", "c"), l.brpop(Duration.ofSeconds(1), "missing", "q"));
            Lists.PoppedBytes pb = l.blpop(Duration.ofSeconds(1), "q".getBytes());
            assertEquals("a", new String(pb.value()));
            assertEquals("b", l.blmove("q", "dst", Lists.End.LEFT, Lists.End.RIGHT, Duration.ZERO));
            assertEquals(List.of("b"), l.lrange("dst", 0, -1));
            l.rpush("m", "1", "2", "3");
            assertEquals(new Lists.MultiPopped("m", List.of("1", "2")), l.blmpop(Duration.ZERO, Lists.End.LEFT, 2, "m"));
            assertEquals(new Lists.Popped("m", "3"), l.blpopAsync(Duration.ZERO, "m").get());
            store.strings().set("s", "v");
            assertThrows(WrongTypeException.class, () -> l.blpop(Duration.ZERO, "s"));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> l.blpop(Duration.ofMillis(-1), "q"));
            assertEquals("timeout must not be negative: PT-0.001S", e.getMessage());
        }
    }

    @Test
    void timesOutWithADuration() {
        assertTimeoutPreemptively(LIMIT, () -> {
            try (Store store = Store.open()) {
                long t0 = System.nanoTime();
                assertNull(store.lists().blpop(Duration.ofMillis(100), "q"));
                assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(90));
                assertNull(store.sortedSets().bzpopmax(Duration.ofMillis(50), "z"));
                assertNull(store.lists().blmove("q", "d", Lists.End.LEFT, Lists.End.LEFT, Duration.ofMillis(30)));
                assertNull(store.lists().brpopAsync(Duration.ofMillis(30), "q").get());
                assertEquals(0, Internals.engine(store).blocking().blocked());
            }
        });
    }

    @Test
    void interruptThrowsAndTakesNothing() {
        assertTimeoutPreemptively(LIMIT, () -> {
            try (Store store = Store.open()) {
                Lists l = store.lists();
                AtomicReference<Object> got = new AtomicReference<>();
                CountDownLatch done = new CountDownLatch(1);
                Thread t = new Thread(() -> {
                    try {
                        got.set(l.blpop(Duration.ZERO, "q"));
                    } catch (Throwable e) {
                        got.set(e);
                    }
                    done.countDown();
                });
                t.start();
                awaitBlocked(store, 1);
                t.interrupt();
                done.await();
                assertInstanceOf(InterruptedException.class, got.get());
                assertEquals(0, Internals.engine(store).blocking().blocked());
                l.rpush("q", "kept");
                assertEquals(List.of("kept"), l.lrange("q", 0, -1));

                // interrupted on entry: throws before popping, even with an element there
                Thread.currentThread().interrupt();
                assertThrows(InterruptedException.class, () -> l.blpop(Duration.ZERO, "q"));
                assertFalse(Thread.currentThread().isInterrupted());
                assertEquals(1, l.llen("q"));
            }
        });
    }

    @Test
    void cancellingTheFutureUnblocksAndTakesNothing() {
        assertTimeoutPreemptively(LIMIT, () -> {
            try (Store store = Store.open()) {
                Lists l = store.lists();
                CompletableFuture<Lists.Popped> f = l.blpopAsync(Duration.ZERO, "q");
                CompletableFuture<Lists.Popped> second = l.blpopAsync(Duration.ZERO, "q");
                assertFalse(f.isDone());
                assertEquals(2, Internals.engine(store).blocking().blocked());
                assertTrue(f.cancel(true));
                assertTrue(f.isCancelled());
                assertEquals(1, Internals.engine(store).blocking().blocked());
                l.rpush("q", "a", "b");
                assertEquals(new Lists.Popped("q", "a"), second.get()); // the cancelled one took nothing
                assertEquals(List.of("b"), l.lrange("q", 0, -1));

                CompletableFuture<SortedSets.Popped> z = store.sortedSets().bzpopminAsync(Duration.ZERO, "z");
                assertTrue(z.cancel(false));
                store.sortedSets().zadd("z", 1, "m");
                assertEquals(1, store.sortedSets().zcard("z"));
                assertEquals(0, Internals.engine(store).blocking().blocked());

                // a future already served: cancel is refused, the element is kept in the future
                CompletableFuture<Lists.Popped> served = l.blpopAsync(Duration.ZERO, "q");
                assertFalse(served.cancel(true));
                assertEquals(new Lists.Popped("q", "b"), served.get());
            }
        });
    }

    @Test
    void bzpopminIsServedByAZaddThroughTheHandle() {
        assertTimeoutPreemptively(LIMIT, () -> {
            try (Store store = Store.open()) {
                SortedSets z = store.sortedSets();
                AtomicReference<Object> got = new AtomicReference<>();
                Thread t = new Thread(() -> {
                    try {
                        got.set(z.bzpopmin(Duration.ofSeconds(10), "z"));
                    } catch (Throwable e) {
                        got.set(e);
                    }
                });
                t.start();
                awaitBlocked(store, 1);
                z.zadd("z", java.util.Map.of("b", 2.0, "a", 1.0));
                t.join();
                assertEquals(new SortedSets.Popped("z", "a", 1.0), got.get());
                CompletableFuture<SortedSets.Popped> max = z.bzpopmaxAsync(Duration.ZERO, "other");
                z.zincrby("other", 3, "m");
                assertEquals(new SortedSets.Popped("other", "m", 3.0), max.get());
                assertEquals(List.of("b"), z.zrange("z", 0, -1));
            }
        });
    }

    @Test
    void handlesAndCommandsShareTheQueues() {
        assertTimeoutPreemptively(LIMIT, () -> {
            try (Store store = Store.open()) {
                CompletableFuture<Reply> command = store.newSession().executeAsync("BLPOP", "q", "0");
                CompletableFuture<Lists.Popped> handle = store.lists().blpopAsync(Duration.ZERO, "q");
                CompletableFuture<String> move = store.lists().blmoveAsync("src", "q", Lists.End.LEFT, Lists.End.LEFT, Duration.ZERO);
                store.execute("RPUSH", "q", "1");
                assertEquals(Reply.array(Reply.bulk("q"), Reply.bulk("1")), command.get());
                assertFalse(handle.isDone());
                store.lists().rpush("src", "2"); // BLMOVE src -> q, which serves the handle's BLPOP
                assertEquals("2", move.get());
                assertEquals(new Lists.Popped("q", "2"), handle.get());
                // a served BLMOVE whose destination is of another type fails with WRONGTYPE
                store.strings().set("str", "x");
                CompletableFuture<String> bad = store.lists().blmoveAsync("src2", "str", Lists.End.LEFT, Lists.End.LEFT, Duration.ZERO);
                store.lists().rpush("src2", "v");
                java.util.concurrent.ExecutionException e = assertThrows(java.util.concurrent.ExecutionException.class, bad::get);
                assertInstanceOf(WrongTypeException.class, e.getCause());
                assertEquals(List.of("v"), store.lists().lrange("src2", 0, -1));
            }
        });
    }
}
