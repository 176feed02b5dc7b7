package io.redjar.internal.blocking;

import io.redjar.internal.Internals;
import io.redjar.Store;
import io.redjar.internal.Engine;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A cancel that arrives while a serving thread holds a waiter's claim for a failed attempt (the
 * ready key held another type) must still cancel it: the fuzzer once left such a waiter parked for
 * ever (CI, seed 1577722811042683079 with helper threads).
 */
class BlockingRegistryCancelTest {
    @Test
    void cancelDuringAFailedServeAttemptStillUnregisters() throws Exception {
        try (Store store = Store.open()) {
            Engine engine = Internals.engine(store);
            BlockingRegistry reg = engine.blocking();
            byte[] key = "k".getBytes(StandardCharsets.UTF_8);
            int shard = engine.keyspace().shardIndex(key);
            CountDownLatch inAttempt = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Waiter<String> w = new Waiter<>(0, new byte[][] {key}, new int[] {shard}, k -> {
                inAttempt.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return null; // this key cannot serve the waiter
            }, 0, "timeout");
            // the key exists (with another type) so the serve loop goes on after the failed attempt
            store.execute("SET", "k", "string");
            CompletableFuture<Void> serving = CompletableFuture.runAsync(() -> {
                // the ready list is per thread: register, report and serve on this one
                engine.keyspace().lock(new int[] {shard});
                try {
                    reg.register(w);
                    reg.created(shard, 0, key);
                } finally {
                    engine.keyspace().unlock(new int[] {shard});
                }
                reg.serveReady();
            });
            assertTrue(inAttempt.await(10, TimeUnit.SECONDS));
            CompletableFuture<Boolean> cancelling = CompletableFuture.supplyAsync(() -> reg.cancel(w));
            Thread.sleep(50); // let the cancel meet the claim held by the attempt
            assertFalse(cancelling.isDone(), "cancel must wait for the attempt, not give up");
            release.countDown();
            serving.get(10, TimeUnit.SECONDS);
            assertTrue(cancelling.get(10, TimeUnit.SECONDS), "the waiter was still blocked: cancel wins");
            assertEquals("timeout", w.future().get(1, TimeUnit.SECONDS));
            assertEquals(0, reg.blocked(), "no waiter left parked");
        }
    }
}
