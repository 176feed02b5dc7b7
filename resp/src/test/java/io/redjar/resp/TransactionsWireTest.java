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

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Transactions over the wire, with per-connection state: one connection's WATCH is invalidated by
 * another connection's write and by a typed call; each connection has its own MULTI queue; a
 * connection that disconnects mid-transaction leaves nothing queued or watched behind; WATCH-based
 * transfers from many threads, over RESP (Jedis) and the typed API ({@code store.watch},
 * {@code store.atomically}) mixed, keep the total constant, and a reader's MGET of every account
 * always sums to it.
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

    @Test
    void transfersOverRespAndTypedApiKeepTheTotal(@RedJarPort int port, Store store) throws Exception {
        int accounts = 10;
        long start = 1000;
        String[] keys = new String[accounts];
        for (int i = 0; i < accounts; i++) {
            keys[i] = "acct:" + i;
            store.strings().set(keys[i], Long.toString(start));
        }
        long seed = io.redjar.testing.Seeds.seed();
        AtomicLong conflicts = new AtomicLong();
        AtomicLong badSums = new AtomicLong();
        AtomicLong reads = new AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(7);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                int thread = t;
                writers.add(pool.submit(() -> {
                    Random r = new Random(seed + thread);
                    try (Jedis j = jedis(port, thread % 2 == 0 ? RedisProtocol.RESP2 : RedisProtocol.RESP3)) {
                        for (int n = 0; n < 150; n++) {
                            String from = keys[r.nextInt(accounts)];
                            String to = keys[r.nextInt(accounts)];
                            long amount = 1 + r.nextInt(40);
                            switch (thread % 3) {
                                case 0 -> {
                                    while (true) { // WATCH, read, MULTI, write, EXEC; retry on null
                                        j.watch(from, to);
                                        long a = Long.parseLong(j.get(from));
                                        long b = Long.parseLong(j.get(to));
                                        Transaction tx = j.multi();
                                        if (from.equals(to)) {
                                            tx.set(from, Long.toString(a));
                                        } else {
                                            tx.set(from, Long.toString(a - amount));
                                            tx.set(to, Long.toString(b + amount));
                                        }
                                        if (tx.exec() != null) {
                                            break;
                                        }
                                        conflicts.incrementAndGet();
                                    }
                                }
                                case 1 -> store.watch(List.of(from.getBytes(StandardCharsets.UTF_8), to.getBytes(StandardCharsets.UTF_8)), w -> {
                                    long a = Long.parseLong(w.strings().get(from));
                                    long b = Long.parseLong(w.strings().get(to));
                                    return from.equals(to) ? null : x -> {
                                        x.strings().set(from, Long.toString(a - amount));
                                        x.strings().set(to, Long.toString(b + amount));
                                    };
                                });
                                default -> store.atomically(List.of(from, to), ctx -> {
                                    ctx.strings().decrBy(from, amount);
                                    ctx.strings().incrBy(to, amount);
                                });
                            }
                        }
                    }
                    return null;
                }));
            }
            Future<?> reader = pool.submit(() -> {
                try (Jedis j = jedis(port, RedisProtocol.RESP2)) {
                    while (running.get()) {
                        long sum = 0;
                        for (String v : j.mget(keys)) {
                            sum += Long.parseLong(v);
                        }
                        reads.incrementAndGet();
                        if (sum != accounts * start) {
                            badSums.incrementAndGet();
                        }
                    }
                }
                return null;
            });
            for (Future<?> w : writers) {
                w.get(120, TimeUnit.SECONDS);
            }
            running.set(false);
            reader.get(30, TimeUnit.SECONDS);
        } finally {
            running.set(false);
            pool.shutdownNow();
        }
        long total = 0;
        for (String k : keys) {
            total += Long.parseLong(store.strings().get(k));
        }
        assertEquals(accounts * start, total, "seed " + seed + ", " + conflicts + " WATCH conflicts retried");
        assertTrue(reads.get() > 0);
        assertEquals(0, badSums.get(), "MGETs that saw half a transfer (of " + reads + ", seed " + seed + ")");
    }
}
