package io.redjar.bench;

import io.redjar.internal.Internals;
import io.redjar.Store;
import io.redjar.internal.types.ListOps;
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
import org.openjdk.jmh.infra.Blackhole;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * List of 1M 32-byte elements under one key: LPUSH of one element (the list grows during the
 * trial), and LPUSH + RPOP as one operation (a FIFO queue step at constant length 1M; RPOP alone
 * would drain the list within a trial). {@code redjar}: {@link ListOps} in-process; {@code model}:
 * {@code ArrayDeque<byte[]>} ({@code addFirst} / {@code pollLast}); {@code redis}: Jedis to a
 * {@code redis-server} on loopback (LPUSH + RPOP is two round trips).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "-Xms3g", "-Xmx3g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Threads(1)
public class ListBenchmark {
    @Param({"redjar", "model", "redis"})
    public String impl;

    static final byte[] KEY = "bench:list".getBytes(StandardCharsets.US_ASCII);

    final byte[][] values = new byte[1024][];
    int pos;

    Store store;
    ListOps ls;
    final byte[][] one = new byte[1][];
    ArrayDeque<byte[]> model;
    RedisServer redis;
    Jedis jedis;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        int n = Models.N;
        SplittableRandom rnd = new SplittableRandom(42);
        for (int i = 0; i < values.length; i++) {
            values[i] = Workload.value(rnd);
        }
        long size;
        switch (impl) {
            case "redjar" -> {
                store = Store.open();
                ls = Internals.engine(store).lists();
                for (int i = 0; i < n; i += 1000) {
                    byte[][] batch = new byte[Math.min(1000, n - i)][];
                    for (int j = 0; j < batch.length; j++) {
                        batch[j] = values[(i + j) & 1023];
                    }
                    ls.push(0, KEY, false, false, batch);
                }
                size = ls.llen(0, KEY);
            }
            case "model" -> {
                model = new ArrayDeque<>();
                for (int i = 0; i < n; i++) {
                    model.addLast(values[i & 1023].clone());
                }
                size = model.size();
            }
            case "redis" -> {
                redis = RedisServer.start();
                jedis = redis.client();
                Pipeline p = jedis.pipelined();
                for (int i = 0; i < n; i += 1000) {
                    byte[][] batch = new byte[Math.min(1000, n - i)][];
                    for (int j = 0; j < batch.length; j++) {
                        batch[j] = values[(i + j) & 1023];
                    }
                    p.rpush(KEY, batch);
                }
                p.sync();
                size = jedis.llen(KEY);
            }
            default -> throw new IllegalArgumentException("unknown impl " + impl);
        }
        if (size != n) {
            throw new IllegalStateException(impl + ": " + size + " elements after load, expected " + n);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        Models.closeAll(store, jedis, redis);
    }

    private byte[] nextValue() {
        return values[pos++ & 1023];
    }

    @Benchmark
    public Object lpush() {
        byte[] v = nextValue();
        switch (impl) {
            case "redjar":
                one[0] = v;
                return ls.push(0, KEY, true, false, one);
            case "model":
                // the model stores the reference; RedJar and Redis copy the bytes. Copy here too.
                model.addFirst(v.clone());
                return model.size();
            default:
                return jedis.lpush(KEY, v);
        }
    }

    @Benchmark
    public void lpushRpop(Blackhole bh) {
        byte[] v = nextValue();
        switch (impl) {
            case "redjar":
                one[0] = v;
                bh.consume(ls.push(0, KEY, true, false, one));
                bh.consume(ls.pop(0, KEY, false));
                break;
            case "model":
                model.addFirst(v.clone());
                bh.consume(model.pollLast());
                break;
            default:
                bh.consume(jedis.lpush(KEY, v));
                bh.consume(jedis.rpop(KEY));
        }
    }
}
