package io.redjar.resp;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.protocol.ProtocolVersion;
import io.redjar.resp.junit.RedJarPort;
import io.redjar.resp.junit.RedJarTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@RedJarTest
class LettuceClientTest {

    private static void run(int port, ProtocolVersion proto, java.util.function.Consumer<StatefulRedisConnection<String, String>> body) {
        RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", port));
        client.setOptions(ClientOptions.builder().protocolVersion(proto).build());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            body.accept(c);
        } finally {
            client.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }

    private static void commands(RedisCommands<String, String> r) {
        assertEquals("PONG", r.ping());
        assertEquals("OK", r.set("k", "v", SetArgs.Builder.px(100_000)));
        assertEquals("v", r.get("k"));
        assertTrue(r.pttl("k") > 90_000);
        assertNull(r.set("k", "z", SetArgs.Builder.nx()));
        assertEquals(5, r.incrby("n", 5));
        assertEquals("OK", r.mset(java.util.Map.of("a", "1", "b", "2")));
        List<KeyValue<String, String>> mget = r.mget("a", "b", "none");
        assertEquals("1", mget.get(0).getValue());
        assertTrue(mget.get(2).isEmpty());
        assertTrue(r.expire("a", 100));
        assertTrue(r.ttl("a") > 0);
        assertEquals("string", r.type("b"));
        assertEquals(2, r.exists("a", "b"));
        assertEquals("OK", r.rename("b", "c"));
        assertEquals(2, r.del("a", "c"));
        for (int i = 0; i < 50; i++) {
            r.set("s:" + i, "v");
        }
        Set<String> seen = new HashSet<>();
        ScanCursor cur = ScanCursor.INITIAL;
        do {
            var res = r.scan(cur, ScanArgs.Builder.matches("s:*").limit(7));
            seen.addAll(res.getKeys());
            cur = res;
        } while (!cur.isFinished());
        assertEquals(50, seen.size());
    }

    @Test
    void resp3NegotiatedWithHello(@RedJarPort int port, RedJarServer server) {
        run(port, ProtocolVersion.RESP3, c -> {
            commands(c.sync());
            assertTrue(c.sync().clientList().contains("resp=3"));
        });
    }

    @Test
    void resp2(@RedJarPort int port) {
        run(port, ProtocolVersion.RESP2, c -> {
            commands(c.sync());
            assertTrue(c.sync().clientList().contains("resp=2"));
        });
    }

    @Test
    void asyncPipelining(@RedJarPort int port) {
        run(port, ProtocolVersion.RESP3, c -> {
            RedisAsyncCommands<String, String> a = c.async();
            c.setAutoFlushCommands(false);
            List<io.lettuce.core.RedisFuture<Long>> fs = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                fs.add(a.incr("ctr"));
            }
            c.flushCommands();
            for (int i = 0; i < fs.size(); i++) {
                try {
                    assertEquals(i + 1, fs.get(i).get(5, TimeUnit.SECONDS));
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }
            c.setAutoFlushCommands(true);
        });
    }
}
