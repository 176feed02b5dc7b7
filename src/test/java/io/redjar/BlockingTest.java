package io.redjar;

import io.redjar.internal.Internals;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Blocking pops: FIFO service, exactly-once delivery, chaining, timeouts by the store's clock. */
class BlockingTest {

    private static Reply arr(String... s) {
        List<Reply> r = new ArrayList<>();
        for (String x : s) {
            r.add(Reply.bulk(x));
        }
        return Reply.array(r);
    }

    @Test
    void servesImmediatelyWhenAnElementIsThere() {
        try (Store store = Store.open()) {
            store.execute("RPUSH", "q", "a", "b");
            assertEquals(arr("q", "a"), store.execute("BLPOP", "missing", "q", "0"));
            assertEquals(arr("q", "b"), store.execute("BRPOP", "q", "0"));
            assertEquals(Reply.integer(0), store.execute("EXISTS", "q"));
            store.execute("SET", "s", "x");
            assertEquals(Reply.error(WrongTypeException.MESSAGE), store.execute("BLPOP", "s", "0"));
            assertEquals(Reply.error("ERR timeout is negative"), store.execute("BLPOP", "q", "-1"));
            assertEquals(Reply.error("ERR timeout is not a float or out of range"), store.execute("BLPOP", "q", "abc"));
        }
    }

    @Test
    void waitersAreServedInArrivalOrderAfterThePushCompletes() throws Exception {
        try (Store store = Store.open()) {
            List<CompletableFuture<Reply>> waiting = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                waiting.add(store.newSession().executeAsync("BLPOP", "q", "0"));
            }
            assertFalse(waiting.get(0).isDone());
            assertEquals(3, Internals.engine(store).blocking().blocked());
            // one push of three elements: each waiter gets one, in arrival order
            assertEquals(Reply.integer(3), store.execute("RPUSH", "q", "a", "b", "c"));
            for (int i = 0; i < 3; i++) {
                assertEquals(arr("q", String.valueOf((char) ('a' + i))), waiting.get(i).get(5, TimeUnit.SECONDS));
            }
            assertEquals(0, Internals.engine(store).blocking().blocked());
            assertEquals(Reply.integer(0), store.execute("EXISTS", "q"), "every element went to a waiter");
        }
    }

    @Test
    void blmoveChainsThroughAKeyAnotherClientWaitsOn() throws Exception {
        try (Store store = Store.open()) {
            CompletableFuture<Reply> second = store.newSession().executeAsync("BLPOP", "b", "0");
            CompletableFuture<Reply> first = store.newSession().executeAsync("BLMOVE", "a", "b", "LEFT", "RIGHT", "0");
            store.execute("LPUSH", "a", "x");
            assertEquals(Reply.bulk("x"), first.get(5, TimeUnit.SECONDS));
            assertEquals(arr("b", "x"), second.get(5, TimeUnit.SECONDS), "the moved element reaches the client waiting on b");
            assertEquals(Reply.integer(0), store.execute("EXISTS", "a", "b"));
        }
    }

    @Test
    void sortedSetWaitersAndTypeMismatch() throws Exception {
        try (Store store = Store.open()) {
            CompletableFuture<Reply> z = store.newSession().executeAsync("BZPOPMIN", "k", "0");
            store.execute("LPUSH", "k", "not-a-zset"); // a list does not serve a BZPOPMIN waiter
            assertFalse(z.isDone());
            store.execute("DEL", "k");
            store.execute("ZADD", "k", "2", "b", "1", "a");
            assertEquals(Reply.array(Reply.bulk("k"), Reply.bulk("a"), new Reply.DoubleReply(1)), z.get(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void bzmpopIsServedByALaterZadd() throws Exception {
        try (Store store = Store.open()) {
            CompletableFuture<Reply> f = store.newSession().executeAsync("BZMPOP", "0", "2", "a", "b", "MAX", "COUNT", "5");
            store.execute("ZADD", "b", "1", "x", "2", "y");
            assertEquals(Reply.array(Reply.bulk("b"), Reply.array(
                    Reply.array(Reply.bulk("y"), new Reply.DoubleReply(2)),
                    Reply.array(Reply.bulk("x"), new Reply.DoubleReply(1)))),
                f.get(5, TimeUnit.SECONDS));
            assertEquals(Reply.integer(0), store.execute("EXISTS", "b"));
        }
    }

    @Test
    void timeoutsFollowTheStoresClock() throws Exception {
        ManualClock clock = new ManualClock(1_000_000);
        try (Store store = Store.builder().clock(clock).open()) {
            CompletableFuture<Reply> f = store.newSession().executeAsync("BLPOP", "q", "1.5");
            CompletableFuture<Reply> g = store.newSession().executeAsync("BLMOVE", "q", "d", "LEFT", "LEFT", "0.01");
            clock.advance(Duration.ofMillis(9));
            Internals.engine(store).blocking().expire(clock.millis());
            assertFalse(g.isDone());
            clock.advance(Duration.ofMillis(1));
            Internals.engine(store).blocking().expire(clock.millis());
            assertEquals(Reply.NULL_ARRAY, g.get(1, TimeUnit.SECONDS), "BLMOVE times out with a null array, as in Redis 7.0");
            assertFalse(f.isDone());
            clock.advance(Duration.ofMillis(1490));
            assertEquals(Reply.NULL_ARRAY, f.get(5, TimeUnit.SECONDS), "the background sweep times BLPOP out");
        }
    }

    @Test
    void cancellingAnAsyncWaiterTakesNoElement() throws Exception {
        try (Store store = Store.open()) {
            CompletableFuture<Reply> f = store.newSession().executeAsync("BLPOP", "q", "0");
            assertTrue(f.cancel(true));
            store.execute("RPUSH", "q", "a");
            assertEquals(Reply.integer(1), store.execute("LLEN", "q"), "the cancelled waiter took nothing");
            assertEquals(0, Internals.engine(store).blocking().blocked());
        }
    }

    @Test
    void interruptingABlockedThreadUnblocksIt() throws Exception {
        try (Store store = Store.open()) {
            AtomicInteger interrupted = new AtomicInteger();
            List<Reply> got = Collections.synchronizedList(new ArrayList<>());
            Thread t = new Thread(() -> {
                got.add(store.newSession().execute("BLPOP", "q", "0"));
                if (Thread.currentThread().isInterrupted()) {
                    interrupted.incrementAndGet();
                }
            });
            t.start();
            while (Internals.engine(store).blocking().blocked() == 0) {
                Thread.onSpinWait();
            }
            t.interrupt();
            t.join(5000);
            assertEquals(List.of(Reply.NULL_ARRAY), got);
            assertEquals(1, interrupted.get());
        }
    }

    @Test
    void manyProducersAndConsumersDeliverEveryElementExactlyOnce() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            try (Store store = Store.open()) {
                int producers = 4;
                int consumers = 6;
                int perProducer = 2000;
                int total = producers * perProducer;
                Set<String> received = ConcurrentHashMap.newKeySet();
                AtomicInteger duplicates = new AtomicInteger();
                AtomicInteger remaining = new AtomicInteger(total);
                ExecutorService pool = Executors.newFixedThreadPool(producers + consumers);
                CountDownLatch done = new CountDownLatch(consumers);
                for (int c = 0; c < consumers; c++) {
                    pool.execute(() -> {
                        Session s = store.newSession();
                        while (remaining.get() > 0) {
                            Reply r = s.execute("BLPOP", "q1", "q2", "0.05");
                            if (r instanceof Reply.ArrayReply a) {
                                String v = ((Reply.Bulk) a.elements().get(1)).asString();
                                if (!received.add(v)) {
                                    duplicates.incrementAndGet();
                                }
                                remaining.decrementAndGet();
                            }
                        }
                        done.countDown();
                    });
                }
                for (int p = 0; p < producers; p++) {
                    int id = p;
                    pool.execute(() -> {
                        Session s = store.newSession();
                        for (int i = 0; i < perProducer; i++) {
                            s.execute("RPUSH", (i & 1) == 0 ? "q1" : "q2", id + ":" + i);
                        }
                    });
                }
                assertTrue(done.await(50, TimeUnit.SECONDS), "consumers finished");
                pool.shutdownNow();
                assertEquals(0, duplicates.get(), "no element delivered twice");
                assertEquals(total, received.size(), "every element delivered");
                Set<String> expected = new HashSet<>();
                for (int p = 0; p < producers; p++) {
                    for (int i = 0; i < perProducer; i++) {
                        expected.add(p + ":" + i);
                    }
                }
                assertEquals(expected, received);
            }
        });
    }
}
