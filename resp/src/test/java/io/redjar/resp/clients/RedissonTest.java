package io.redjar.resp.clients;

import io.redjar.Store;
import io.redjar.resp.junit.RedJarPort;
import io.redjar.resp.junit.RedJarTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RBlockingQueue;
import org.redisson.api.RLock;
import org.redisson.api.RMap;
import org.redisson.api.RRateLimiter;
import org.redisson.api.RScoredSortedSet;
import org.redisson.api.RateType;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Redisson 3.52 against the RESP server; most of its objects are Lua scripts. RMap,
 * RScoredSortedSet, RBlockingQueue, RRateLimiter, and RLock (reentrant, and fair with the waiters
 * served in arrival order). The lock watchdog is {@link RedissonWatchdogTest}.
 *
 * <p>Unlocking an RLock runs a script that ends with {@code PUBLISH} to
 * {@code redisson_lock__channel:{name}}, and a waiter for a held lock SUBSCRIBEs to it (pub/sub);
 * RRateLimiter's script calls {@code struct.pack} (the Lua libraries).
 */
@RedJarTest
class RedissonTest {
    private static RedissonClient redisson;

    static RedissonClient client(int port, long watchdogMs) {
        Config c = new Config();
        c.setCodec(StringCodec.INSTANCE);
        c.setLockWatchdogTimeout(watchdogMs);
        c.useSingleServer().setAddress("redis://127.0.0.1:" + port)
            .setConnectionMinimumIdleSize(2).setConnectionPoolSize(8)
            .setSubscriptionConnectionMinimumIdleSize(1).setSubscriptionConnectionPoolSize(2)
            .setTimeout(10_000).setRetryAttempts(1);
        return Redisson.create(c);
    }

    @BeforeAll
    static void start(@RedJarPort int port) {
        redisson = client(port, 30_000);
    }

    @AfterAll
    static void stop() {
        if (redisson != null) {
            redisson.shutdown();
        }
    }

    @Test
    void map() {
        RMap<String, String> m = redisson.getMap("map");
        assertNull(m.put("a", "1"));
        assertEquals("1", m.put("a", "2"));
        assertNull(m.putIfAbsent("b", "3"));
        assertEquals("3", m.putIfAbsent("b", "4"));
        assertEquals("2", m.get("a"));
        assertEquals(2, m.size());
        assertTrue(m.fastReplace("a", "5"));
        assertEquals("5", m.addAndGet("n", 5) == null ? null : m.get("a"));
        assertEquals("5", m.remove("a"));
        assertEquals(java.util.Set.of("b", "n"), m.readAllKeySet());
    }

    @Test
    void scoredSortedSet() {
        RScoredSortedSet<String> z = redisson.getScoredSortedSet("board");
        assertTrue(z.add(10, "alice"));
        assertTrue(z.add(20, "bob"));
        assertTrue(z.add(15, "carol"));
        assertFalse(z.add(30, "alice"));
        assertEquals(30.0, z.getScore("alice"));
        assertEquals(List.of("carol", "bob", "alice"), new ArrayList<>(z.readAll()));
        assertEquals(35.0, z.addScore("carol", 20));
        assertEquals("bob", z.first());
        assertEquals(Integer.valueOf(0), z.rank("bob"));
        assertEquals("bob", z.pollFirst());
        assertEquals(2, z.size());
    }

    @Test
    void blockingQueue() throws Exception {
        RBlockingQueue<String> q = redisson.getBlockingQueue("jobs");
        CompletableFuture<String> taken = CompletableFuture.supplyAsync(() -> {
            try {
                return q.poll(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertTrue(q.offer("job-1"));
        assertEquals("job-1", taken.get(30, TimeUnit.SECONDS));
        q.put("job-2");
        q.add("job-3");
        assertEquals("job-2", q.take());
        assertEquals("job-3", q.poll(1, TimeUnit.SECONDS));
        assertNull(q.poll(100, TimeUnit.MILLISECONDS));
    }

    @Test
    void rateLimiter() {
        RRateLimiter limiter = redisson.getRateLimiter("limiter");
        assertTrue(limiter.trySetRate(RateType.OVERALL, 5, Duration.ofMinutes(10)));
        int allowed = 0;
        for (int i = 0; i < 8; i++) {
            allowed += limiter.tryAcquire() ? 1 : 0;
        }
        assertEquals(5, allowed);
        assertEquals(0, limiter.availablePermits());
    }

    @Test
    void reentrantLockIsHeldAndReentered(Store store) throws Exception {
        RLock lock = redisson.getLock("held");
        lock.lock();
        lock.lock();
        assertEquals(2, lock.getHoldCount());
        assertTrue(lock.isHeldByCurrentThread());
        assertTrue(lock.isLocked());
        assertFalse(CompletableFuture.supplyAsync(lock::tryLock).get(30, TimeUnit.SECONDS),
            "another thread must not get a held lock");
        assertTrue(store.keys().pttl("held") > 0, "a lock without a lease has the watchdog's TTL");
        // releasing it needs PUBLISH (see reentrantLock); drop it the way an expired lease would
        store.keys().del("held");
    }

    @Test
    void reentrantLock() throws Exception {
        RLock lock = redisson.getLock("lock");
        lock.lock();
        lock.lock();
        assertEquals(2, lock.getHoldCount());
        assertFalse(CompletableFuture.supplyAsync(() -> {
            try {
                return lock.tryLock(50, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }).get(30, TimeUnit.SECONDS), "another thread must not get a held lock");
        lock.unlock();
        assertTrue(lock.isLocked());
        lock.unlock();
        assertFalse(lock.isLocked());
        assertTrue(CompletableFuture.supplyAsync(() -> {
            boolean got = lock.tryLock();
            if (got) {
                lock.unlock();
            }
            return got;
        }).get(30, TimeUnit.SECONDS));
    }

    @Test
    void fairLockServesWaitersInOrder(Store store) throws Exception {
        RLock fair = redisson.getFairLock("fair");
        fair.lock();
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<Void>> waiters = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String name = "w" + i;
            CountDownLatch started = new CountDownLatch(1);
            waiters.add(CompletableFuture.runAsync(() -> {
                started.countDown();
                fair.lock();
                order.add(name);
                fair.unlock();
            }, runnable -> new Thread(runnable, name).start()));
            assertTrue(started.await(10, TimeUnit.SECONDS));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (store.lists().llen("redisson_lock_queue:{fair}") < i + 1) {
                assertTrue(System.nanoTime() < deadline, name + " never queued");
                Thread.onSpinWait();
            }
        }
        fair.unlock();
        for (CompletableFuture<Void> w : waiters) {
            w.get(60, TimeUnit.SECONDS);
        }
        assertEquals(List.of("w0", "w1", "w2"), order);
        assertFalse(fair.isLocked());
    }
}
