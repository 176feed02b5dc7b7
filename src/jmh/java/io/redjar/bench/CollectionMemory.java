package io.redjar.bench;

import io.redjar.internal.Internals;
import io.redjar.Store;
import io.redjar.internal.keyspace.Keyspace;
import io.redjar.internal.types.HashOps;
import io.redjar.internal.types.ListOps;
import io.redjar.internal.types.SetOps;
import io.redjar.internal.types.ZSetOps;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Bytes per element of one big collection under one key, RedJar vs a real redis-server, same data:
 * <ul>
 *   <li>zset: 1M members {@code member:0..member:999999}, random scores in [0, 1e6);</li>
 *   <li>hash: 1M fields {@code field:0..field:999999}, 32-byte random a-z values;</li>
 *   <li>list: 1M 32-byte random a-z elements;</li>
 *   <li>set: 1M members {@code member:0..member:999999} (not integers, so Redis uses a hashtable).</li>
 * </ul>
 * RedJar: the sum over shards of the slab allocator's used bytes (delta from the empty store) plus
 * the heap delta ({@link MemoryPerKey#settledHeap()}); the elements are loaded through the ops
 * classes ({@link ZSetOps}, {@link HashOps}, {@link ListOps}, {@link SetOps}) in batches of 1000, the
 * batch arrays generated in the load loop so only what the store retains counts. Redis:
 * {@code MEMORY USAGE key SAMPLES 0} (exact) and, as a cross-check, the {@code used_memory} delta
 * after the load; loaded with a Jedis pipeline of 1000-element commands. Each type is loaded into
 * a fresh store and {@code FLUSHALL}ed Redis.
 *
 * <pre>
 * java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -Xms2g -Xmx2g \
 *      -cp target/benchmarks.jar io.redjar.bench.CollectionMemory [n] [--no-redis] [--types=zset,hash,list,set]
 * </pre>
 * The redis-server binary is {@code $REDJAR_BENCH_REDIS} (default {@code /usr/bin/redis-server}).
 */
public final class CollectionMemory {
    private CollectionMemory() {
    }

    interface Loader {
        /** Adds elements [from, to) as one batch. */
        void batch(int from, int to);
    }

    public static void main(String[] args) throws Exception {
        int n = Models.N;
        boolean useRedis = true;
        String[] types = {"zset", "hash", "list", "set"};
        for (String a : args) {
            if (a.equals("--no-redis")) {
                useRedis = false;
            } else if (a.startsWith("--types=")) {
                types = a.substring(8).split(",");
            } else {
                n = Integer.parseInt(a.replace("_", ""));
            }
        }
        if (useRedis && !RedisServer.available()) {
            System.out.println("SKIPPING Redis: " + RedisServer.binary() + " not found (set REDJAR_BENCH_REDIS)");
            useRedis = false;
        }
        System.out.printf(Locale.ROOT, "Memory per element, one key holding %,d elements; JVM %s, max heap %,d MB%n%n",
            n, System.getProperty("java.vm.version"), Runtime.getRuntime().maxMemory() >> 20);
        List<String> out = new ArrayList<>();
        out.add(String.format(Locale.ROOT, "| %-5s | %14s | %12s | %14s | %12s | %14s | %16s | %12s |",
            "type", "RedJar native", "RedJar heap", "RedJar total", "B/elem", "Redis MEMORY", "Redis used_mem", "RedJar/Redis"));
        out.add("|-------|---------------:|-------------:|---------------:|-------------:|---------------:|-----------------:|-------------:|");
        RedisServer redis = useRedis ? RedisServer.start() : null;
        Jedis jedis = redis == null ? null : redis.client();
        try {
            for (String t : types) {
                long[] rj = redjar(t, n);
                long[] rd = jedis == null ? null : redis(jedis, redis, t, n);
                long total = rj[0] + rj[1];
                out.add(String.format(Locale.ROOT, "| %-5s | %,14d | %,12d | %,14d | %12.1f | %14s | %16s | %12s |",
                    t, rj[0], rj[1], total, (double) total / n,
                    rd == null ? "n/a" : String.format(Locale.ROOT, "%,d (%.1f/el)", rd[0], (double) rd[0] / n),
                    rd == null ? "n/a" : String.format(Locale.ROOT, "%,d (%.1f/el)", rd[1], (double) rd[1] / n),
                    rd == null ? "n/a" : String.format(Locale.ROOT, "%.2fx", (double) total / rd[0])));
                System.out.printf(Locale.ROOT, "%s done: RedJar %.1f B/elem%s%n", t, (double) total / n,
                    rd == null ? "" : String.format(Locale.ROOT, ", Redis MEMORY USAGE %.1f B/elem", (double) rd[0] / n));
            }
        } finally {
            if (jedis != null) {
                jedis.close();
            }
            if (redis != null) {
                redis.close();
            }
        }
        System.out.println();
        for (String l : out) {
            System.out.println(l);
        }
    }

    static final byte[] KEY = "bench:coll".getBytes(StandardCharsets.US_ASCII);

    private static byte[] value(SplittableRandom rnd) {
        return Workload.value(rnd);
    }

    private static long allocatorUsed(Store store) {
        Keyspace ks = Internals.engine(store).keyspace();
        long used = 0;
        for (int i = 0; i < ks.shardCount(); i++) {
            ks.shard(i).lock();
            try {
                used += ks.shard(i).allocator().usedBytes();
            } finally {
                ks.shard(i).unlock();
            }
        }
        return used;
    }

    /** @return {native delta, heap delta} */
    private static long[] redjar(String type, int n) {
        Store store = Store.open();
        var engine = Internals.engine(store);
        ZSetOps zs = engine.zsets();
        HashOps hs = new HashOps(engine.keyspace(), engine.limits());
        ListOps ls = new ListOps(engine.keyspace(), engine.limits());
        SetOps ss = new SetOps(engine.keyspace(), engine.limits());
        byte[][] noArgv = {"X".getBytes(StandardCharsets.US_ASCII), KEY};
        SplittableRandom rnd = new SplittableRandom(1);
        long heap0 = MemoryPerKey.settledHeap();
        long native0 = allocatorUsed(store);
        Loader l = switch (type) {
            case "zset" -> (from, to) -> {
                double[] sc = new double[to - from];
                byte[][] mm = new byte[to - from][];
                for (int i = from; i < to; i++) {
                    sc[i - from] = rnd.nextDouble() * 1e6;
                    mm[i - from] = Models.member(i);
                }
                zs.zadd(0, KEY, 0, sc, mm, noArgv);
            };
            case "hash" -> (from, to) -> {
                byte[][] a = new byte[2 + 2 * (to - from)][];
                a[0] = noArgv[0];
                a[1] = KEY;
                for (int i = from; i < to; i++) {
                    a[2 + 2 * (i - from)] = Models.field(i);
                    a[3 + 2 * (i - from)] = value(rnd);
                }
                hs.hset(0, KEY, a, 2, false);
            };
            case "list" -> (from, to) -> {
                byte[][] v = new byte[to - from][];
                for (int i = from; i < to; i++) {
                    v[i - from] = value(rnd);
                }
                ls.push(0, KEY, false, false, v);
            };
            case "set" -> (from, to) -> {
                byte[][] a = new byte[2 + to - from][];
                a[0] = noArgv[0];
                a[1] = KEY;
                for (int i = from; i < to; i++) {
                    a[2 + i - from] = Models.member(i);
                }
                ss.sadd(0, KEY, a, 2);
            };
            default -> throw new IllegalArgumentException(type);
        };
        for (int i = 0; i < n; i += 1000) {
            l.batch(i, Math.min(n, i + 1000));
        }
        long heap1 = MemoryPerKey.settledHeap();
        long native1 = allocatorUsed(store);
        long size = switch (type) {
            case "zset" -> zs.zcard(0, KEY);
            case "hash" -> hs.hlen(0, KEY);
            case "list" -> ls.llen(0, KEY);
            default -> ss.scard(0, KEY);
        };
        if (size != n) {
            throw new IllegalStateException("RedJar " + type + " holds " + size + ", expected " + n);
        }
        store.close();
        return new long[] {native1 - native0, heap1 - heap0};
    }

    /** @return {MEMORY USAGE key SAMPLES 0, used_memory delta} */
    private static long[] redis(Jedis j, RedisServer server, String type, int n) throws Exception {
        j.flushAll();
        Thread.sleep(300);
        long empty = usedMemory(server);
        SplittableRandom rnd = new SplittableRandom(1);
        Pipeline p = j.pipelined();
        for (int from = 0; from < n; from += 1000) {
            int to = Math.min(n, from + 1000);
            switch (type) {
                case "zset" -> {
                    Map<byte[], Double> m = new HashMap<>();
                    for (int i = from; i < to; i++) {
                        m.put(Models.member(i), rnd.nextDouble() * 1e6);
                    }
                    p.zadd(KEY, m);
                }
                case "hash" -> {
                    Map<byte[], byte[]> m = new HashMap<>();
                    for (int i = from; i < to; i++) {
                        m.put(Models.field(i), value(rnd));
                    }
                    p.hset(KEY, m);
                }
                case "list" -> {
                    byte[][] v = new byte[to - from][];
                    for (int i = from; i < to; i++) {
                        v[i - from] = value(rnd);
                    }
                    p.rpush(KEY, v);
                }
                default -> {
                    byte[][] v = new byte[to - from][];
                    for (int i = from; i < to; i++) {
                        v[i - from] = Models.member(i);
                    }
                    p.sadd(KEY, v);
                }
            }
            if ((from / 1000) % 100 == 99) {
                p.sync();
            }
        }
        p.sync();
        Thread.sleep(1000);
        long size = switch (type) {
            case "zset" -> j.zcard(KEY);
            case "hash" -> j.hlen(KEY);
            case "list" -> j.llen(KEY);
            default -> j.scard(KEY);
        };
        if (size != n) {
            throw new IllegalStateException("Redis " + type + " holds " + size + ", expected " + n);
        }
        Long usage = j.memoryUsage(KEY, 0);
        long loaded = usedMemory(server);
        return new long[] {usage, loaded - empty};
    }

    /** used_memory read on a fresh connection (so the loading client's buffers do not count). */
    private static long usedMemory(RedisServer server) {
        try (Jedis j = server.client()) {
            String info = j.info("memory");
            for (String line : info.split("\r?\n")) {
                if (line.startsWith("used_memory:")) {
                    return Long.parseLong(line.substring("used_memory:".length()).trim());
                }
            }
        }
        throw new IllegalStateException("no used_memory in INFO memory");
    }
}
