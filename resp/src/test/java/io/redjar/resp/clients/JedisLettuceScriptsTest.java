package io.redjar.resp.clients;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.redjar.resp.junit.RedJarPort;
import io.redjar.resp.junit.RedJarTest;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.exceptions.JedisNoScriptException;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Jedis 5 and Lettuce 6 scripting against the RESP server: EVAL, SCRIPT LOAD, EVALSHA (and
 * NOSCRIPT for an unknown SHA, which both libraries turn into their own exception), SCRIPT EXISTS,
 * on RESP2 and RESP3; EVALSHA queued inside a Jedis {@code Transaction}.
 */
@RedJarTest
class JedisLettuceScriptsTest {
    static final String TRANSFER = "local from = tonumber(redis.call('GET', KEYS[1]) or '0')\n"
        + "local amount = tonumber(ARGV[1])\n"
        + "if from < amount then return redis.error_reply('insufficient funds') end\n"
        + "redis.call('DECRBY', KEYS[1], amount)\n"
        + "return redis.call('INCRBY', KEYS[2], amount)\n";

    @Test
    void jedis(@RedJarPort int port) {
        for (RedisProtocol p : new RedisProtocol[] {RedisProtocol.RESP2, RedisProtocol.RESP3}) {
            try (Jedis j = new Jedis(new HostAndPort("127.0.0.1", port), DefaultJedisClientConfig.builder().protocol(p).build())) {
                j.flushAll();
                assertEquals(List.of(1L, "two", List.of(3L)), j.eval("return {1, 'two', {3}}"));
                j.set("a", "100");
                String sha = j.scriptLoad(TRANSFER);
                assertEquals(List.of(true, false), j.scriptExists(sha, "0000000000000000000000000000000000000000"));
                assertEquals(30L, j.evalsha(sha, List.of("a", "b"), List.of("30")));
                assertEquals("70", j.get("a"));
                var e = assertThrows(redis.clients.jedis.exceptions.JedisDataException.class,
                    () -> j.evalsha(sha, List.of("a", "b"), List.of("1000")));
                assertEquals("insufficient funds", e.getMessage());
                assertThrows(JedisNoScriptException.class, () -> j.evalsha("ffffffffffffffffffffffffffffffffffffffff", 0));
                assertEquals("OK", j.scriptFlush());
                assertThrows(JedisNoScriptException.class, () -> j.evalsha(sha, List.of("a", "b"), List.of("1")));
            }
        }
    }

    @Test
    void lettuce(@RedJarPort int port) {
        RedisClient client = RedisClient.create(RedisURI.builder().withHost("127.0.0.1").withPort(port)
            .withTimeout(Duration.ofSeconds(10)).build());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            RedisCommands<String, String> r = c.sync();
            r.set("x", "100");
            String sha = r.scriptLoad(TRANSFER);
            Long moved = r.evalsha(sha, ScriptOutputType.INTEGER, new String[] {"x", "y"}, "40");
            assertEquals(40L, moved);
            assertEquals("60", r.get("x"));
            assertEquals(List.of(true), r.scriptExists(sha));
            String status = r.eval("return redis.status_reply('FINE')", ScriptOutputType.STATUS);
            assertEquals("FINE", status);
            List<Object> multi = r.eval("return {KEYS[1], ARGV[1], 3}", ScriptOutputType.MULTI, new String[] {"k"}, "v");
            assertEquals(List.of("k", "v", 3L), multi);
            assertThrows(RedisNoScriptException.class,
                () -> r.evalsha("ffffffffffffffffffffffffffffffffffffffff", ScriptOutputType.INTEGER));
        } finally {
            client.shutdown();
        }
    }

    @Test
    void evalshaInsideMulti(@RedJarPort int port) {
        try (Jedis j = new Jedis(new HostAndPort("127.0.0.1", port), DefaultJedisClientConfig.builder().build())) {
            j.set("m1", "50");
            String sha = j.scriptLoad(TRANSFER);
            redis.clients.jedis.Transaction t = j.multi();
            t.evalsha(sha, List.of("m1", "m2"), List.of("20"));
            t.evalsha(sha, List.of("m1", "m2"), List.of("100"));
            t.get("m2");
            List<Object> r = t.exec();
            assertEquals(20L, r.get(0));
            assertEquals("insufficient funds", ((Exception) r.get(1)).getMessage());
            assertEquals("20", r.get(2));
        }
    }
}
