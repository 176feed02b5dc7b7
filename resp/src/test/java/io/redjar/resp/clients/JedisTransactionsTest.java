package io.redjar.resp.clients;

import io.redjar.resp.junit.RedJarPort;
import io.redjar.resp.junit.RedJarTest;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.exceptions.JedisDataException;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Jedis 5's {@link Transaction} against the RESP server, RESP2 and RESP3: MULTI/EXEC with typed
 * {@link Response}s, DISCARD, WATCH conflicts (EXEC gives null), runtime errors inside EXEC
 * (no rollback) and EXECABORT after a queueing error.
 */
@RedJarTest
class JedisTransactionsTest {

    private static Jedis jedis(int port, RedisProtocol p) {
        return new Jedis(new HostAndPort("127.0.0.1", port), DefaultJedisClientConfig.builder()
            .protocol(p).socketTimeoutMillis(10_000).build());
    }

    @Test
    void multiExecDiscardWatch(@RedJarPort int port) {
        for (RedisProtocol p : new RedisProtocol[] {RedisProtocol.RESP2, RedisProtocol.RESP3}) {
            try (Jedis j = jedis(port, p); Jedis other = jedis(port, p)) {
                j.flushAll();
                Transaction t = j.multi();
                Response<String> set = t.set("a", "1");
                Response<Long> incr = t.incr("a");
                Response<Long> push = t.rpush("l", "x", "y");
                Response<List<String>> range = t.lrange("l", 0, -1);
                List<Object> all = t.exec();
                assertEquals(4, all.size());
                assertEquals("OK", set.get());
                assertEquals(2L, incr.get());
                assertEquals(2L, push.get());
                assertEquals(List.of("x", "y"), range.get());

                t = j.multi();
                t.set("a", "discarded");
                assertEquals("OK", t.discard());
                assertEquals("2", j.get("a"));

                // WATCH conflict: another connection writes between WATCH and EXEC
                j.watch("a");
                other.incr("a");
                t = j.multi();
                t.set("a", "mine");
                assertNull(t.exec());
                assertEquals("3", j.get("a"));

                // untouched WATCH: EXEC runs; UNWATCH clears
                j.watch("a");
                t = j.multi();
                t.incrBy("a", 10);
                assertEquals(List.of(13L), t.exec());
                j.watch("a");
                assertEquals("OK", j.unwatch());
                other.set("a", "0");
                t = j.multi();
                t.incr("a");
                assertEquals(List.of(1L), t.exec());
            }
        }
    }

    @Test
    void errorsInsideAndBeforeExec(@RedJarPort int port) {
        try (Jedis j = jedis(port, RedisProtocol.RESP2)) {
            j.set("s", "text");
            Transaction t = j.multi();
            t.incr("s");
            t.set("after", "1");
            List<Object> r = t.exec();
            JedisDataException e = assertInstanceOf(JedisDataException.class, r.get(0));
            assertEquals("ERR value is not an integer or out of range", e.getMessage());
            assertEquals("OK", r.get(1));
            assertEquals("1", j.get("after"), "no rollback");

            t = j.multi();
            t.set("x", "1");
            t.sendCommand(redis.clients.jedis.Protocol.Command.SET, "only-one-arg");
            JedisDataException abort = assertThrows(JedisDataException.class, t::exec);
            assertTrue(abort.getMessage().startsWith("EXECABORT"), abort.getMessage());
            assertNull(j.get("x"));
        }
    }
}
