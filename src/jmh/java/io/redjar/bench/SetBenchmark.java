package io.redjar.bench;

import io.redjar.internal.Internals;
import io.redjar.Store;
import io.redjar.internal.types.SetOps;
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
import java.util.HashSet;
import java.util.concurrent.TimeUnit;

/**
 * Set of 1M members ({@code member:0..member:999999}) under one key: SADD of a fresh member
 * (counter from 1M up; the set grows during the trial; member bytes built per call, plus a String
 * for the model) and SISMEMBER of a random existing member. {@code redjar}: {@link SetOps}
 * in-process; {@code model}: {@code HashSet<String>}; {@code redis}: Jedis to a
 * {@code redis-server} on loopback.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "-Xms3g", "-Xmx3g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Threads(1)
public class SetBenchmark {
    @Param({"redjar", "model", "redis"})
    public String impl;

    static final byte[] KEY = "bench:set".getBytes(StandardCharsets.US_ASCII);
    static final byte[] SADD = "SADD".getBytes(StandardCharsets.US_ASCII);

    byte[][] members;
    String[] memberStrings;
    int[] seq;
    int pos;
    long fresh = Models.N;

    Store store;
    SetOps ss;
    final byte[][] argv = {SADD, KEY, null};
    HashSet<String> model;
    RedisServer redis;
    Jedis jedis;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        int n = Models.N;
        members = new byte[n][];
        for (int i = 0; i < n; i++) {
            members[i] = Models.member(i);
        }
        seq = Workload.indexSequence(n);
        long size;
        switch (impl) {
            case "redjar" -> {
                store = Store.open();
                ss = Internals.engine(store).sets();
                for (int i = 0; i < n; i += 1000) {
                    int m = Math.min(1000, n - i);
                    byte[][] a = new byte[2 + m][];
                    a[0] = SADD;
                    a[1] = KEY;
                    System.arraycopy(members, i, a, 2, m);
                    ss.sadd(0, KEY, a, 2);
                }
                size = ss.scard(0, KEY);
            }
            case "model" -> {
                model = new HashSet<>();
                memberStrings = new String[n];
                for (int i = 0; i < n; i++) {
                    memberStrings[i] = Models.str(members[i]);
                    model.add(memberStrings[i]);
                }
                members = null;
                size = model.size();
            }
            case "redis" -> {
                redis = RedisServer.start();
                jedis = redis.client();
                Pipeline p = jedis.pipelined();
                for (int i = 0; i < n; i += 1000) {
                    byte[][] batch = new byte[Math.min(1000, n - i)][];
                    System.arraycopy(members, i, batch, 0, batch.length);
                    p.sadd(KEY, batch);
                }
                p.sync();
                size = jedis.scard(KEY);
            }
            default -> throw new IllegalArgumentException("unknown impl " + impl);
        }
        if (size != n) {
            throw new IllegalStateException(impl + ": " + size + " members after load, expected " + n);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        Models.closeAll(store, jedis, redis);
    }

    @Benchmark
    public Object saddFresh() {
        byte[] m = Models.member(fresh++);
        switch (impl) {
            case "redjar":
                argv[2] = m;
                return ss.sadd(0, KEY, argv, 2);
            case "model":
                return model.add(Models.str(m));
            default:
                return jedis.sadd(KEY, m);
        }
    }

    @Benchmark
    public Object sismember() {
        int p = pos;
        pos = (p + 1) & (Workload.SEQ_LEN - 1);
        int i = seq[p];
        switch (impl) {
            case "redjar":
                return ss.sismember(0, KEY, members[i]);
            case "model":
                return model.contains(memberStrings[i]);
            default:
                return jedis.sismember(KEY, members[i]);
        }
    }
}
