package io.redjar.resp;

import io.redjar.Store;
import io.redjar.resp.junit.RedJarPort;
import io.redjar.resp.junit.RedJarTest;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.Transaction;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Transactions over the wire, with per-connection state: one connection's WATCH is invalidated by
 * another connection's write and by a typed call; each connection has its own MULTI queue; a
 * connection that disconnects mid-transaction leaves nothing queued or watched behind.
 */
@RedJarTest
class TransactionsWireTest {

    private static Jedis jedis(int port, RedisProtocol p) {
        return new Jedis(new HostAndPort("127.0.0.1", port), DefaultJedisClientConfig.builder()
            .protocol(p).socketTimeoutMillis(10_000).build());
    }

    @Test
    void watchIsInvalidatedByOtherConnectionsAndTypedCalls(@RedJarPort int port, Store store) {
        for (RedisProtocol p : new RedisProtocol[] {RedisProtocol.RESP2, RedisProtocol.RESP3}) {
            try (Jedis a = jedis(port, p); Jedis b = jedis(port, p)) {
                a.set("k", "1");
                a.watch("k");
                b.set("k", "2");
                Transaction t = a.multi();
                t.set("k", "mine");
                assertNull(t.exec(), "EXEC after another connection's write");
                assertEquals("2", a.get("k"));

                a.watch("k");
                store.strings().set("k", "typed");
                t = a.multi();
                t.set("k", "mine");
                assertNull(t.exec(), "EXEC after a typed write");

                a.watch("k");
                t = a.multi();
                t.incr("n");
                t.get("k");
                assertEquals(List.of(1L, "typed"), t.exec());
                a.del("n");
            }
        }
    }

    @Test
    void queuesArePerConnection(@RedJarPort int port) {
        try (Jedis a = jedis(port, RedisProtocol.RESP2); Jedis b = jedis(port, RedisProtocol.RESP2)) {
            Transaction t = a.multi();
            t.set("x", "1");
            assertEquals("OK", b.set("y", "2"), "the other connection is not queueing");
            assertNull(b.get("x"));
            assertEquals(List.of("OK"), t.exec());
            assertEquals("1", b.get("x"));
        }
    }
}
