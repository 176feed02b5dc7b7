package io.redjar.resp;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TrackingArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.support.caching.CacheAccessor;
import io.lettuce.core.support.caching.CacheFrontend;
import io.lettuce.core.support.caching.ClientSideCaching;
import io.redjar.resp.junit.RedJarPort;
import io.redjar.resp.junit.RedJarTest;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real clients' client-side caching against RedJar: Lettuce's {@code ClientSideCaching} (RESP3,
 * default tracking mode and BCAST) keeps a value in its local map, drops it when another client
 * changes the key (the invalidation push), and re-reads it fresh.
 *
 * <p>Jedis 5.2's client-side cache is not tested: it refuses servers that report a version below
 * 7.4 (RedJar reports 7.0's), before any tracking command is sent.
 */
@RedJarTest
class ClientSideCachingClientsTest {

    private static void await(BooleanSupplier cond, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!cond.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, what);
            Thread.sleep(5);
        }
    }

    private static void cachedThenInvalidated(int port, TrackingArgs args, String key) throws Exception {
        RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", port));
        try (StatefulRedisConnection<String, String> cached = client.connect();
             StatefulRedisConnection<String, String> other = client.connect()) {
            other.sync().set(key, "v1");
            Map<String, String> local = new ConcurrentHashMap<>();
            CacheFrontend<String, String> frontend = ClientSideCaching.enable(CacheAccessor.forMap(local), cached, args);
            assertEquals("v1", frontend.get(key));
            assertEquals("v1", local.get(key), "the value is cached locally");
            assertEquals("v1", frontend.get(key), "served from the local cache");

            other.sync().set(key, "v2");
            await(() -> !local.containsKey(key), "the invalidation never evicted the cached value");
            assertEquals("v2", frontend.get(key), "re-read fresh");
            assertEquals("v2", local.get(key));

            other.sync().del(key);
            await(() -> !local.containsKey(key), "DEL did not invalidate");
            frontend.close();
        } finally {
            client.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }

    @Test
    void lettuceDefaultMode(@RedJarPort int port) throws Exception {
        cachedThenInvalidated(port, TrackingArgs.Builder.enabled(), "csc:lettuce");
    }

    @Test
    void lettuceBroadcastMode(@RedJarPort int port) throws Exception {
        cachedThenInvalidated(port, TrackingArgs.Builder.enabled().bcast().prefixes("csc:"), "csc:lettuce-bcast");
    }

    @Test
    void lettuceKeepsUnchangedKeys(@RedJarPort int port) throws Exception {
        RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", port));
        try (StatefulRedisConnection<String, String> cached = client.connect();
             StatefulRedisConnection<String, String> other = client.connect()) {
            other.sync().mset(Map.of("csc:a", "1", "csc:b", "2"));
            Map<String, String> local = new ConcurrentHashMap<>();
            CacheFrontend<String, String> frontend = ClientSideCaching.enable(CacheAccessor.forMap(local), cached,
                TrackingArgs.Builder.enabled());
            assertEquals("1", frontend.get("csc:a"));
            assertEquals("2", frontend.get("csc:b"));
            other.sync().set("csc:a", "3");
            await(() -> !local.containsKey("csc:a"), "csc:a was not invalidated");
            assertFalse(local.isEmpty(), "csc:b stays cached");
            assertEquals("2", local.get("csc:b"));
            frontend.close();
        } finally {
            client.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }
}
