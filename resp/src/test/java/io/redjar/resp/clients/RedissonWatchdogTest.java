package io.redjar.resp.clients;

import io.redjar.ManualClock;
import io.redjar.Store;
import io.redjar.resp.RedJarServer;
import org.junit.jupiter.api.Test;
import org.redisson.api.RLock;
import org.redisson.api.RedissonClient;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Redisson's lock watchdog against the RESP server, on a manual server clock: a lock taken
 * without a lease gets {@code lockWatchdogTimeout} (3 s here) and is renewed by the client every
 * third of it; we move the server's clock on by 2 s at a time, three times (6 s: twice the lease),
 * each time waiting (real time, polling) for the renewal to put the TTL back up, and the lock is
 * still held. A lock taken with an explicit lease is not renewed and expires when the server's
 * clock passes it. (Unlocking needs PUBLISH, which RedJar lacks: see {@link RedissonTest}.)
 */
class RedissonWatchdogTest {

    @Test
    void watchdogRenewsPastTheDefaultLease() throws Exception {
        ManualClock clock = new ManualClock(1_700_000_000_000L);
        try (Store store = Store.builder().clock(clock).open();
             RedJarServer server = RedJarServer.start(store, 0)) {
            RedissonClient redisson = RedissonTest.client(server.port(), 3000);
            try {
                RLock lock = redisson.getLock("wd");
                lock.lock();
                for (int round = 0; round < 3; round++) {
                    clock.advance(Duration.ofMillis(2000));
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                    while (store.keys().pttl("wd") <= 1000) {
                        assertTrue(System.nanoTime() < deadline, "no renewal in round " + round + ", pttl " + store.keys().pttl("wd"));
                        Thread.sleep(20); // waiting for the client's real-time renewal timer, not for a TTL
                    }
                }
                assertTrue(lock.isLocked(), "held for 6 s of server time with a 3 s lease");
                assertTrue(lock.isHeldByCurrentThread());
                // lock.unlock() needs PUBLISH, which RedJar lacks (see RedissonTest): not exercised here

                RLock leased = redisson.getLock("leased");
                leased.lock(2, TimeUnit.SECONDS);
                assertTrue(leased.isLocked());
                clock.advance(Duration.ofMillis(2001));
                assertFalse(leased.isLocked(), "an explicit lease is not renewed");
            } finally {
                redisson.shutdown();
            }
        }
    }
}
