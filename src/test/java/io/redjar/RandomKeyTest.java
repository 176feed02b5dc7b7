package io.redjar;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RandomKeyTest {
    private static final long T0 = 1_700_000_000_000L;

    @Test
    void returnsLiveKeysSpreadOverShards() {
        try (Store store = Store.builder().shards(8).activeExpire(false).open()) {
            assertEquals(Reply.NULL, store.execute("RANDOMKEY"));
            for (int i = 0; i < 64; i++) {
                store.strings().set("k" + i, "v");
            }
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < 2000; i++) {
                String k = store.keys().randomKey();
                assertTrue(k != null && k.startsWith("k"), k);
                seen.add(k);
            }
            assertTrue(seen.size() > 48, "random keys not spread: " + seen.size());
        }
    }

    /**
     * Checked against redis-server 7.0.15 (active expiry off): 300 keys, all expired, DBSIZE 300;
     * RANDOMKEY replies nil and DBSIZE is then 0. A master never returns an expired key, however
     * many it has to reclaim first.
     */
    @Test
    void neverReturnsAnExpiredKey() {
        for (int n : new int[] {1, 50, 300}) {
            ManualClock clock = new ManualClock(T0);
            try (Store store = Store.builder().clock(clock).shards(4).activeExpire(false).open()) {
                for (int i = 0; i < n; i++) {
                    store.execute("SET", "k" + i, "v", "PX", "50");
                }
                store.execute("SET", "live", "v");
                clock.advance(Duration.ofMillis(50));
                assertEquals(Reply.integer(n + 1), store.execute("DBSIZE"));
                assertEquals(Reply.bulk("live"), store.execute("RANDOMKEY"), "with " + n + " expired keys");
                store.execute("DEL", "live");
                for (int i = 0; i < n; i++) {
                    store.execute("SET", "k" + i, "v", "PX", "50");
                }
                clock.advance(Duration.ofMillis(50));
                assertEquals(Reply.NULL, store.execute("RANDOMKEY"), "with " + n + " expired keys and no live one");
                assertEquals(Reply.ZERO, store.execute("DBSIZE"));
            }
        }
    }
}
