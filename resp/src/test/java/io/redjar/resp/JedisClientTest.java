package io.redjar.resp;

import io.redjar.Store;
import io.redjar.resp.junit.RedJarPort;
import io.redjar.resp.junit.RedJarTest;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.resps.ScanResult;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@RedJarTest
class JedisClientTest {

    private static Jedis jedis(int port, RedisProtocol proto) {
        return new Jedis(new HostAndPort("127.0.0.1", port), DefaultJedisClientConfig.builder().protocol(proto).build());
    }

    private static void stringAndKeyCommands(Jedis j) {
        assertEquals("PONG", j.ping());
        assertEquals("OK", j.set("k", "v"));
        assertEquals("v", j.get("k"));
        assertNull(j.set("k", "w", SetParams.setParams().nx()));
        assertEquals("OK", j.set("k", "w", SetParams.setParams().xx().ex(100)));
        long ttl = j.ttl("k");
        assertTrue(ttl > 90 && ttl <= 100, "ttl " + ttl);
        assertEquals("w", j.setGet("k", "x"));
        assertNull(j.get("missing"));
        assertEquals(1, j.incr("n"));
        assertEquals(11, j.incrBy("n", 10));
        assertEquals(10, j.decr("n"));
        assertThrows(JedisDataException.class, () -> j.incr("k"));
        assertEquals("OK", j.mset("a", "1", "b", "2"));
        assertEquals(java.util.Arrays.asList("1", "2", null), j.mget("a", "b", "nope"));
        assertEquals(1, j.expire("a", 50));
        assertTrue(j.ttl("a") > 0);
        assertEquals(-1, j.ttl("b"));
        assertEquals(-2, j.ttl("nope"));
        assertEquals("string", j.type("a"));
        assertEquals("none", j.type("nope"));
        assertEquals(2, j.exists("a", "b", "nope"));
        assertEquals("OK", j.rename("b", "c"));
        assertFalse(j.exists("b"));
        assertEquals("2", j.get("c"));
        assertEquals(2, j.del("a", "c", "nope"));
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            j.set("scan:" + i, "x");
        }
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> r = j.scan(cursor, new ScanParams().match("scan:*").count(17));
            seen.addAll(r.getResult());
            cursor = r.getCursor();
        } while (!cursor.equals("0"));
        assertEquals(200, seen.size());
        assertEquals("OK", j.select(3));
        assertNull(j.get("k"));
    }

    @Test
    void resp2(@RedJarPort int port) {
        try (Jedis j = jedis(port, RedisProtocol.RESP2)) {
            stringAndKeyCommands(j);
        }
    }

    @Test
    void resp3(@RedJarPort int port) {
        try (Jedis j = jedis(port, RedisProtocol.RESP3)) {
            stringAndKeyCommands(j);
        }
    }

    @Test
    void pipelineOf1000(@RedJarPort int port, Store store) {
        try (Jedis j = jedis(port, RedisProtocol.RESP2)) {
            Pipeline p = j.pipelined();
            List<Response<Long>> incrs = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                if (i % 2 == 0) {
                    p.set("p:" + i, Integer.toString(i));
                } else {
                    incrs.add(p.incr("counter"));
                }
            }
            p.sync();
            for (int i = 0; i < incrs.size(); i++) {
                assertEquals(i + 1, incrs.get(i).get(), "replies in order");
            }
        }
        assertEquals("998", store.strings().get("p:998"));
        assertEquals("500", store.strings().get("counter"));
    }

    @Test
    void flushedBetweenTests(Store store) {
        assertEquals(io.redjar.Reply.ZERO, store.execute("DBSIZE"));
    }

    @Test
    void clientCommands(@RedJarPort int port) {
        try (Jedis j = jedis(port, RedisProtocol.RESP2); Jedis other = jedis(port, RedisProtocol.RESP2)) {
            assertEquals("OK", j.clientSetname("me"));
            assertEquals("me", j.clientGetname());
            long id = j.clientId();
            assertTrue(j.clientList().contains("id=" + id + " "));
            assertTrue(j.clientInfo().contains("name=me"));
            long otherId = other.clientId();
            assertEquals(1, j.clientKill(new redis.clients.jedis.params.ClientKillParams().id(Long.toString(otherId))));
            assertThrows(Exception.class, other::ping);
        }
    }
}
