package io.redjar.resp.clients;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TransactionResult;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.redjar.resp.junit.RedJarPort;
import io.redjar.resp.junit.RedJarTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Lettuce 6's transactions against the RESP server: sync MULTI/EXEC/DISCARD with WATCH
 * (a conflict gives a discarded {@link TransactionResult}), and async MULTI where each queued
 * command's future completes with its result at EXEC.
 */
@RedJarTest
class LettuceTransactionsTest {
    private static RedisClient client;

    @BeforeAll
    static void start(@RedJarPort int port) {
        client = RedisClient.create(RedisURI.builder().withHost("127.0.0.1").withPort(port)
            .withTimeout(Duration.ofSeconds(10)).build());
    }

    @AfterAll
    static void stop() {
        client.shutdown();
    }

    @Test
    void sync() {
        try (StatefulRedisConnection<String, String> c = client.connect();
             StatefulRedisConnection<String, String> o = client.connect()) {
            RedisCommands<String, String> r = c.sync();
            assertEquals("OK", r.multi());
            r.set("a", "1");
            r.incr("a");
            r.sadd("s", "x", "y");
            TransactionResult res = r.exec();
            assertFalse(res.wasDiscarded());
            assertEquals(List.of("OK", 2L, 2L), res.stream().toList());

            r.multi();
            r.set("a", "never");
            assertEquals("OK", r.discard());
            assertEquals("2", r.get("a"));

            r.watch("a");
            o.sync().set("a", "theirs");
            r.multi();
            r.set("a", "mine");
            assertTrue(r.exec().wasDiscarded());
            assertEquals("theirs", r.get("a"));

            r.watch("a");
            r.multi();
            r.append("a", "!");
            TransactionResult ok = r.exec();
            assertFalse(ok.wasDiscarded());
            assertEquals(7L, (Long) ok.get(0));
        }
    }

    @Test
    void async() throws Exception {
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            RedisAsyncCommands<String, String> a = c.async();
            a.multi();
            var set = a.set("k", "v");
            var len = a.strlen("k");
            var push = a.lpush("q", "1", "2", "3");
            var exec = a.exec();
            TransactionResult res = exec.get(10, TimeUnit.SECONDS);
            assertFalse(res.wasDiscarded());
            assertEquals("OK", set.get(10, TimeUnit.SECONDS));
            assertEquals(1L, len.get(10, TimeUnit.SECONDS));
            assertEquals(3L, push.get(10, TimeUnit.SECONDS));
            assertEquals(List.of("3", "2", "1"), a.lrange("q", 0, -1).get(10, TimeUnit.SECONDS));
        }
    }
}
