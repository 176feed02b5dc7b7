package io.redjar.resp;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.redjar.resp.junit.RedJarPort;
import io.redjar.resp.junit.RedJarTest;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.RedisProtocol;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pub/sub through real client libraries (Jedis's blocking {@code JedisPubSub}, Lettuce's pub/sub
 * connection, RESP2 and RESP3), and a slow subscriber: one that never reads is disconnected at
 * {@code client-output-buffer-limit pubsub} while the publisher goes on unblocked, and the other
 * subscriber still gets everything.
 */
@RedJarTest
class PubSubClientsWireTest {
    private static Jedis jedis(int port, RedisProtocol proto) {
        return new Jedis(new HostAndPort("127.0.0.1", port), DefaultJedisClientConfig.builder().protocol(proto).build());
    }

    @Test
    void jedis(@RedJarPort int port) throws Exception {
        for (RedisProtocol proto : new RedisProtocol[] {RedisProtocol.RESP2, RedisProtocol.RESP3}) {
            BlockingQueue<String> got = new LinkedBlockingQueue<>();
            CountDownLatch subscribed = new CountDownLatch(2);
            JedisPubSub sub = new JedisPubSub() {
                @Override
                public void onMessage(String channel, String message) {
                    got.add(channel + "=" + message);
                }

                @Override
                public void onPMessage(String pattern, String channel, String message) {
                    got.add(pattern + ":" + channel + "=" + message);
                }

                @Override
                public void onSubscribe(String channel, int count) {
                    subscribed.countDown();
                }

                @Override
                public void onPSubscribe(String pattern, int count) {
                    subscribed.countDown();
                }
            };
            Thread t = new Thread(() -> {
                try (Jedis j = jedis(port, proto)) {
                    j.subscribe(sub, "jc");
                }
            });
            t.start();
            try (Jedis pub = jedis(port, proto)) {
                assertTrue(waitFor(() -> sub.isSubscribed()), "subscribed");
                sub.psubscribe("jp.*");
                assertTrue(subscribed.await(10, TimeUnit.SECONDS));
                assertEquals(1, pub.publish("jc", "hello"));
                assertEquals("jc=hello", got.poll(10, TimeUnit.SECONDS));
                assertEquals(1, pub.publish("jp.x", "world"));
                assertEquals("jp.*:jp.x=world", got.poll(10, TimeUnit.SECONDS));
                assertEquals(java.util.Map.of("jc", 1L), pub.pubsubNumSub("jc"));
                sub.unsubscribe();
                sub.punsubscribe();
                t.join(10_000);
                assertTrue(!t.isAlive(), "subscriber loop ended");
                assertEquals(0, pub.publish("jc", "gone"));
            }
        }
    }

    @Test
    void lettuce(@RedJarPort int port) throws Exception {
        for (ProtocolVersion proto : new ProtocolVersion[] {ProtocolVersion.RESP2, ProtocolVersion.RESP3}) {
            RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", port));
            client.setOptions(ClientOptions.builder().protocolVersion(proto).build());
            try (StatefulRedisPubSubConnection<String, String> sub = client.connectPubSub();
                 var pub = client.connect()) {
                BlockingQueue<String> got = new LinkedBlockingQueue<>();
                sub.addListener(new RedisPubSubAdapter<>() {
                    @Override
                    public void message(String channel, String message) {
                        got.add(channel + "=" + message);
                    }

                    @Override
                    public void message(String pattern, String channel, String message) {
                        got.add(pattern + ":" + channel + "=" + message);
                    }
                });
                sub.sync().subscribe("lc");
                sub.sync().psubscribe("lp.*");
                assertEquals(1L, pub.sync().publish("lc", "a"));
                assertEquals(1L, pub.sync().publish("lp.1", "b"));
                assertEquals("lc=a", got.poll(10, TimeUnit.SECONDS));
                assertEquals("lp.*:lp.1=b", got.poll(10, TimeUnit.SECONDS));
                assertEquals(List.of("lc"), pub.sync().pubsubChannels());
                assertEquals(1L, pub.sync().pubsubNumpat());
                sub.sync().unsubscribe("lc");
                sub.sync().punsubscribe("lp.*");
                assertEquals(0L, pub.sync().publish("lc", "c"));
            } finally {
                client.shutdown(0, 2, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void slowSubscriberIsDisconnectedAndThePublisherNeverWaits(@RedJarPort int port) throws Exception {
        try (RawConn admin = new RawConn(port);
             RawConn fast = new RawConn(port);
             Socket slow = new Socket()) {
            admin.send(ConnectionCommandsDifferentialTest.frame("CONFIG", "SET", "client-output-buffer-limit", "pubsub 2mb 0 0"));
            assertEquals("+OK\r\n", admin.readReplyString());
            slow.setReceiveBufferSize(4096);
            slow.connect(new java.net.InetSocketAddress("127.0.0.1", port));
            slow.getOutputStream().write(ConnectionCommandsDifferentialTest.frame("SUBSCRIBE", "flood").getBytes(StandardCharsets.ISO_8859_1));
            slow.getOutputStream().flush();
            fast.send(ConnectionCommandsDifferentialTest.frame("SUBSCRIBE", "flood"));
            fast.readReply();
            assertTrue(waitFor(() -> {
                admin.send(ConnectionCommandsDifferentialTest.frame("PUBSUB", "NUMSUB", "flood"));
                return admin.readReplyString().endsWith(":2\r\n");
            }), "both subscribed");
            int messages = 512;
            // 32 MB to a subscriber that reads nothing: the publisher is answered every time
            String one = ConnectionCommandsDifferentialTest.frame("PUBLISH", "flood", "x".repeat(64 * 1024));
            long start = System.nanoTime();
            int receivers = 0;
            for (int i = 0; i < messages; i++) {
                admin.send(one);
                String r = admin.readReplyString();
                receivers += Integer.parseInt(r.substring(1, r.length() - 2));
                // the reading subscriber keeps up (one message behind at most)
                assertTrue(fast.readReplyString().startsWith("*3\r\n$7\r\nmessage"));
            }
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertTrue(ms < 60_000, "publisher took " + ms + " ms");
            assertTrue(receivers < 2 * messages && receivers >= messages + 10, "receivers " + receivers);
            // the slow one was cut off: its socket ends (after what was already queued)
            slow.setSoTimeout(10_000);
            byte[] buf = new byte[1 << 16];
            long read = 0;
            while (true) {
                int n;
                try {
                    n = slow.getInputStream().read(buf);
                } catch (IOException e) {
                    break; // reset
                }
                if (n < 0) {
                    break;
                }
                read += n;
            }
            assertTrue(read < 16L * 1024 * 1024, "slow subscriber read " + read + " bytes before the cut");
            admin.send(ConnectionCommandsDifferentialTest.frame("PUBSUB", "NUMSUB", "flood"));
            assertTrue(admin.readReplyString().endsWith(":1\r\n"), "only the reading subscriber is left");
        }
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    private static boolean waitFor(Check c) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < end) {
            if (c.ok()) {
                return true;
            }
            Thread.onSpinWait();
            Thread.sleep(5);
        }
        return false;
    }
}
