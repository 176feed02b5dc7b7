package io.redjar.bench;

import io.redjar.internal.Internals;
import io.redjar.Store;
import io.redjar.internal.types.HashOps;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Hash of 1M fields ({@code field:0..field:999999}, 32-byte values) under one key: HSET of a random
 * existing field (overwrite with a value from a pool of 1024, so the hash stays at 1M) and HGET of a
 * random field. {@code redjar}: {@link HashOps} in-process; {@code model}:
 * {@code HashMap<String, byte[]>}; {@code redis}: Jedis to a {@code redis-server} on loopback.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "-Xms3g", "-Xmx3g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Threads(1)
public class HashBenchmark {
    @Param({"redjar", "model", "redis"})
    public String impl;

    static final byte[] KEY = "bench:hash".getBytes(StandardCharsets.US_ASCII);
    static final byte[] HSET = "HSET".getBytes(StandardCharsets.US_ASCII);

    byte[][] fields;
    String[] fieldStrings;
    final byte[][] values = new byte[1024][];
    int[] seq;
    int pos;

    Store store;
    HashOps hs;
    final byte[][] argv = {HSET, KEY, null, null};
    HashMap<String, byte[]> model;
    RedisServer redis;
    Jedis jedis;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        int n = Models.N;
        SplittableRandom rnd = new SplittableRandom(42);
        for (int i = 0; i < values.length; i++) {
            values[i] = Workload.value(rnd);
        }
        fields = new byte[n][];
        for (int i = 0; i < n; i++) {
            fields[i] = Models.field(i);
        }
        seq = Workload.indexSequence(n);
        long size;
        switch (impl) {
            case "redjar" -> {
                store = Store.open();
                hs = Internals.engine(store).hashes();
                for (int i = 0; i < n; i += 1000) {
                    int m = Math.min(1000, n - i);
                    byte[][] a = new byte[2 + 2 * m][];
                    a[0] = HSET;
                    a[1] = KEY;
                    for (int j = 0; j < m; j++) {
                        a[2 + 2 * j] = fields[i + j];
                        a[3 + 2 * j] = values[(i + j) & 1023];
                    }
                    hs.hset(0, KEY, a, 2, false);
                }
                size = hs.hlen(0, KEY);
            }
            case "model" -> {
                model = new HashMap<>();
                fieldStrings = new String[n];
                for (int i = 0; i < n; i++) {
                    fieldStrings[i] = Models.str(fields[i]);
                    model.put(fieldStrings[i], values[i & 1023]);
                }
                fields = null;
                size = model.size();
            }
            case "redis" -> {
                redis = RedisServer.start();
                jedis = redis.client();
                Pipeline p = jedis.pipelined();
                for (int i = 0; i < n; i += 1000) {
                    Map<byte[], byte[]> m = new HashMap<>();
                    for (int j = i; j < Math.min(n, i + 1000); j++) {
                        m.put(fields[j], values[j & 1023]);
                    }
                    p.hset(KEY, m);
                }
                p.sync();
                size = jedis.hlen(KEY);
            }
            default -> throw new IllegalArgumentException("unknown impl " + impl);
        }
        if (size != n) {
            throw new IllegalStateException(impl + ": " + size + " fields after load, expected " + n);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        Models.closeAll(store, jedis, redis);
    }

    @Benchmark
    public Object hset() {
        int p = pos;
        pos = (p + 1) & (Workload.SEQ_LEN - 1);
        int i = seq[p];
        byte[] v = values[p & 1023];
        switch (impl) {
            case "redjar":
                argv[2] = fields[i];
                argv[3] = v;
                return hs.hset(0, KEY, argv, 2, false);
            case "model":
                return model.put(fieldStrings[i], v);
            default:
                return jedis.hset(KEY, fields[i], v);
        }
    }

    @Benchmark
    public Object hget() {
        int p = pos;
        pos = (p + 1) & (Workload.SEQ_LEN - 1);
        int i = seq[p];
        switch (impl) {
            case "redjar":
                return hs.hget(0, KEY, fields[i]);
            case "model":
                return model.get(fieldStrings[i]);
            default:
                return jedis.hget(KEY, fields[i]);
        }
    }
}
