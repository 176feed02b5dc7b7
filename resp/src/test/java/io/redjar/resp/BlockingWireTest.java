package io.redjar.resp;

import static io.redjar.resp.RawConn.waitBlocked;
import io.redjar.internal.Internals;
import io.redjar.Store;
import io.redjar.resp.junit.RedJarPort;
import io.redjar.resp.junit.RedJarTest;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisProtocol;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Blocking commands over the wire: a blocked client does not stall the server or other clients,
 * its pipelined commands are answered after the blocked reply, and a client that disconnects while
 * blocked takes nothing.
 */
@RedJarTest
class BlockingWireTest {

    private static Jedis jedis(int port) {
        return new Jedis(new HostAndPort("127.0.0.1", port), DefaultJedisClientConfig.builder()
            .protocol(RedisProtocol.RESP3).socketTimeoutMillis(10_000).build());
    }

    @Test
    void aBlockedClientIsServedByAnotherClientsPush(@RedJarPort int port, Store store) {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            try (Jedis waiter = jedis(port); Jedis pusher = jedis(port)) {
                CompletableFuture<List<String>> got = CompletableFuture.supplyAsync(() -> waiter.blpop(0, "q"));
                waitBlocked(store, 1);
                assertEquals("PONG", pusher.ping(), "the server keeps serving others");
                pusher.rpush("q", "hello");
                assertEquals(List.of("q", "hello"), got.get(5, TimeUnit.SECONDS));
                assertEquals(0L, pusher.exists("q") ? 1L : 0L);
            }
        });
    }

    /** CLIENT UNBLOCK (replies and errors as redis-server 7.0's): TIMEOUT gives the command's timeout reply, ERROR the UNBLOCKED error. */
    @Test
    void clientUnblock(@RedJarPort int port, Store store) {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            try (RawConn blocked = new RawConn(port); RawConn admin = new RawConn(port)) {
                blocked.send(RawConn.cmd("CLIENT", "ID"));
                String id = blocked.readReplyString().replaceAll("[:\r\n]", "");
                blocked.send(RawConn.cmd("BLPOP", "unblock-q", "0"));
                waitBlocked(store, 1);
                admin.send(RawConn.cmd("CLIENT", "UNBLOCK", id));
                assertEquals(":1\r\n", admin.readReplyString());
                assertEquals("*-1\r\n", blocked.readReplyString(), "the timeout reply");
                waitBlocked(store, 0);

                blocked.send(RawConn.cmd("XREAD", "BLOCK", "0", "STREAMS", "unblock-s", "$"));
                waitBlocked(store, 1);
                admin.send(RawConn.cmd("CLIENT", "UNBLOCK", id, "ERROR"));
                assertEquals(":1\r\n", admin.readReplyString());
                assertEquals("-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n", blocked.readReplyString());

                admin.send(RawConn.cmd("CLIENT", "UNBLOCK", id));
                assertEquals(":0\r\n", admin.readReplyString(), "not blocked any more");
                admin.send(RawConn.cmd("CLIENT", "UNBLOCK", "999999"));
                assertEquals(":0\r\n", admin.readReplyString(), "no such client");
                admin.send(RawConn.cmd("CLIENT", "UNBLOCK", id, "foo"));
                assertEquals("-ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR\r\n", admin.readReplyString());
                admin.send(RawConn.cmd("CLIENT", "UNBLOCK", "abc"));
                assertEquals("-ERR value is not an integer or out of range\r\n", admin.readReplyString());
                admin.send(RawConn.cmd("CLIENT", "UNBLOCK", id, "timeout", "x"));
                assertEquals("-ERR unknown subcommand or wrong number of arguments for 'UNBLOCK'. Try CLIENT HELP.\r\n",
                    admin.readReplyString());
                blocked.send(RawConn.cmd("PING"));
                assertEquals("+PONG\r\n", blocked.readReplyString());
            }
        });
    }

    @Test
    void pipelinedCommandsWaitBehindTheBlockedOne(@RedJarPort int port, Store store) {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            try (RawConn raw = new RawConn(port); Jedis pusher = jedis(port)) {
                raw.send("*3\r\n$5\r\nBLPOP\r\n$2\r\nq2\r\n$1\r\n0\r\n*1\r\n$4\r\nPING\r\n");
                waitBlocked(store, 1);
                pusher.lpush("q2", "v");
                assertEquals("*2\r\n$2\r\nq2\r\n$1\r\nv\r\n", raw.readReplyString());
                assertEquals("+PONG\r\n", raw.readReplyString(), "the pipelined PING comes after");
            }
        });
    }

    @Test
    void aClientThatDisconnectsWhileBlockedTakesNothing(@RedJarPort int port, Store store) {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            try (Jedis pusher = jedis(port)) {
                RawConn raw = new RawConn(port);
                raw.send("*3\r\n$5\r\nBRPOP\r\n$2\r\nq3\r\n$1\r\n0\r\n");
                waitBlocked(store, 1);
                raw.close();
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (Internals.engine(store).blocking().blocked() > 0 && System.nanoTime() < end) {
                    Thread.sleep(1);
                }
                assertEquals(0, Internals.engine(store).blocking().blocked());
                pusher.rpush("q3", "kept");
                assertEquals(List.of("kept"), pusher.lrange("q3", 0, -1));
            }
        });
    }

    @Test
    void timeoutsReplyNull(@RedJarPort int port) {
        try (Jedis j = jedis(port)) {
            assertEquals(null, j.blpop(0.05, "nothing"));
            assertEquals(null, j.bzpopmin(0.05, "nothing"));
            assertFalse(j.exists("nothing"));
        }
    }
}
