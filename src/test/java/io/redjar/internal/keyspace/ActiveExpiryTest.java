package io.redjar.internal.keyspace;

import io.redjar.ManualClock;
import io.redjar.Store;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ActiveExpiryTest {
    private static final long T0 = 1_700_000_000_000L;

    @Test
    void cyclesReclaimEveryExpiredKeyNobodyReads() {
        ManualClock clock = new ManualClock(T0);
        try (Store store = Store.builder().clock(clock).activeExpire(false).databases(3).shards(8).open()) {
            long baseline = store.usedMemory();
            for (int i = 0; i < 3000; i++) {
                store.database(i % 3).execute("SET", "k" + i, "v" + i, "PX", Integer.toString(i % 2 == 0 ? 100 : 100_000));
            }
            for (int i = 0; i < 300; i++) {
                store.database(i % 3).execute("SET", "p" + i, "v");
            }
            assertEquals(0, store.expireCycle(), "nothing has expired yet");
            clock.advance(Duration.ofMillis(100));
            long total = 0;
            for (int i = 0; i < 200 && total < 1500; i++) {
                total += store.expireCycle();
            }
            assertEquals(1500, total);
            assertEquals(0, store.expireCycle());
            long keys = 0;
            for (int d = 0; d < 3; d++) {
                keys += store.database(d).keys().dbSize();
            }
            assertEquals(1500 + 300, keys, "DBSIZE counts only what is left");
            clock.advance(Duration.ofMillis(100_000));
            total = 0;
            for (int i = 0; i < 200 && total < 1500; i++) {
                total += store.expireCycle();
            }
            assertEquals(1500, total);
            store.execute("FLUSHALL");
            assertEquals(baseline, store.usedMemory());
        }
    }

    /**
     * Regression: runCycle kept its position (nextShard/nextDb) in unsynchronised fields, so two
     * threads running cycles at once (the background thread and Store.expireCycle(), or two
     * callers) could push nextShard past the last shard: ArrayIndexOutOfBoundsException, which
     * also silently cancels the background task for good.
     */
    @Test
    void concurrentCyclesAreSafe() {
        ManualClock clock = new ManualClock(T0);
        try (Store store = Store.builder().clock(clock).activeExpire(false).databases(1).shards(2).open()) {
            for (int i = 0; i < 100; i++) {
                store.execute("SET", "k" + i, "v", "PX", "10");
            }
            clock.advance(Duration.ofMillis(10));
            AtomicReference<Throwable> failure = new AtomicReference<>();
            long[] expired = new long[1];
            assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
                List<Thread> threads = new ArrayList<>();
                CountDownLatch go = new CountDownLatch(1);
                long end = System.nanoTime() + 700_000_000L;
                for (int t = 0; t < 3; t++) {
                    Thread th = new Thread(() -> {
                        try {
                            go.await();
                            while (System.nanoTime() < end && failure.get() == null) {
                                long n = store.expireCycle();
                                synchronized (expired) {
                                    expired[0] += n;
                                }
                            }
                        } catch (Throwable e) {
                            failure.compareAndSet(null, e);
                        }
                    });
                    th.start();
                    threads.add(th);
                }
                go.countDown();
                for (Thread th : threads) {
                    th.join();
                }
            });
            assertNull(failure.get(), () -> "concurrent expireCycle failed: " + failure.get());
            assertEquals(100, expired[0], "every key expired exactly once");
            assertEquals(0, store.keys().dbSize());
        }
    }

    @Test
    void backgroundCycleReclaimsKeysWhileExplicitCyclesRun() {
        ManualClock clock = new ManualClock(T0);
        try (Store store = Store.builder().clock(clock).activeExpire(true).hz(500).databases(1).shards(2).open()) {
            assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
                AtomicReference<Throwable> failure = new AtomicReference<>();
                Thread caller = new Thread(() -> {
                    try {
                        long end = System.nanoTime() + 500_000_000L;
                        while (System.nanoTime() < end) {
                            store.expireCycle();
                        }
                    } catch (Throwable e) {
                        failure.set(e);
                    }
                });
                caller.start();
                caller.join();
                assertNull(failure.get(), () -> "expireCycle failed: " + failure.get());
                // the background task must still be scheduled: keys nobody reads go away by themselves
                for (int i = 0; i < 50; i++) {
                    store.execute("SET", "k" + i, "v", "PX", "10");
                }
                clock.advance(Duration.ofMillis(10));
                long deadline = System.nanoTime() + 20_000_000_000L;
                while (store.keys().dbSize() > 0) {
                    assertTrue(System.nanoTime() < deadline, "the background expiry stopped: " + store.keys().dbSize() + " keys left");
                    Thread.sleep(5); // waiting for the background thread, not for a TTL (the clock is manual)
                }
            });
        }
    }
}
