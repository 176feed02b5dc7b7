package io.redjar.bench;

import io.redjar.internal.Internals;
import io.redjar.Store;
import io.redjar.internal.structure.ScoreRange;
import io.redjar.internal.types.ZSetOps;
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
 * Sorted set at 1M members ({@code member:0..member:999999}, random scores in [0, 1e6)): ZADD of a
 * fresh member, ZSCORE, ZRANK, ZRANGE 0 9, ZRANGEBYSCORE min +inf LIMIT 0 10, for
 * <ul>
 *   <li>{@code redjar}: {@link ZSetOps} called in-process (no command parsing, no RESP; the typed
 *       public collection handles did not exist yet when this was written),</li>
 *   <li>{@code model}: {@link Models.ZSet}, {@code HashMap<String,Double>} + {@code TreeSet} by
 *       (score, member); its ZRANK is O(rank) ({@code headSet(..).size()}),</li>
 *   <li>{@code redis}: Jedis 5.2.0 over loopback to a {@code redis-server} started in setup
 *       (one synchronous connection, so every call pays a round trip).</li>
 * </ul>
 * ZRANK runs in {@link Mode#SampleTime} for percentiles; the rest in throughput mode. ZADD adds
 * a new member on every call (counter from 1M up; the set grows during the trial; the member is
 * built per call: a {@code byte[]} for RedJar and Jedis, plus a {@code String} for the model).
 * Random members for the reads come from a fixed-seed index sequence.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "-Xms3g", "-Xmx3g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Threads(1)
public class ZSetBenchmark {
    @Param({"redjar", "model", "redis"})
    public String impl;

    static final byte[] KEY = "bench:zset".getBytes(StandardCharsets.US_ASCII);
    static final byte[] ZADD = "ZADD".getBytes(StandardCharsets.US_ASCII);

    byte[][] members;
    String[] memberStrings;
    double[] scores;
    int[] seq;
    int pos;
    long fresh = Models.N;

    Store store;
    ZSetOps zs;
    final double[] scoreArg = new double[1];
    final byte[][] memberArg = new byte[1][];
    final byte[][] argv = {ZADD, KEY, "0".getBytes(StandardCharsets.US_ASCII), null};
    final ZSetOps.RangeSpec rankSpec = new ZSetOps.RangeSpec();

    Models.ZSet model;

    RedisServer redis;
    Jedis jedis;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        int n = Models.N;
        members = new byte[n][];
        scores = new double[n];
        SplittableRandom rnd = new SplittableRandom(1);
        for (int i = 0; i < n; i++) {
            members[i] = Models.member(i);
            scores[i] = rnd.nextDouble() * 1e6;
        }
        seq = Workload.indexSequence(n);
        rankSpec.start = 0;
        rankSpec.end = 9;
        switch (impl) {
            case "redjar" -> {
                store = Store.open();
                zs = Internals.engine(store).zsets();
                int batch = 1000;
                for (int i = 0; i < n; i += batch) {
                    int m = Math.min(batch, n - i);
                    double[] sc = new double[m];
                    byte[][] mm = new byte[m][];
                    System.arraycopy(scores, i, sc, 0, m);
                    System.arraycopy(members, i, mm, 0, m);
                    zs.zadd(0, KEY, 0, sc, mm, argv);
                }
                check(zs.zcard(0, KEY));
            }
            case "model" -> {
                model = new Models.ZSet();
                memberStrings = new String[n];
                for (int i = 0; i < n; i++) {
                    memberStrings[i] = Models.str(members[i]);
                    model.zadd(memberStrings[i], scores[i]);
                }
                members = null;
                check(model.size());
            }
            case "redis" -> {
                redis = RedisServer.start();
                jedis = redis.client();
                Pipeline p = jedis.pipelined();
                for (int i = 0; i < n; i += 1000) {
                    Map<byte[], Double> m = new HashMap<>();
                    for (int j = i; j < Math.min(n, i + 1000); j++) {
                        m.put(members[j], scores[j]);
                    }
                    p.zadd(KEY, m);
                }
                p.sync();
                check(jedis.zcard(KEY));
            }
            default -> throw new IllegalArgumentException("unknown impl " + impl);
        }
    }

    private void check(long size) {
        if (size != Models.N) {
            throw new IllegalStateException(impl + ": " + size + " members after load, expected " + Models.N);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        Models.closeAll(store, jedis, redis);
    }

    private int next() {
        int p = pos;
        pos = (p + 1) & (Workload.SEQ_LEN - 1);
        return seq[p];
    }

    @Benchmark
    public Object zaddFresh() {
        long c = fresh++;
        byte[] m = Models.member(c);
        double score = Models.freshScore(c);
        switch (impl) {
            case "redjar":
                scoreArg[0] = score;
                memberArg[0] = m;
                argv[3] = m;
                return zs.zadd(0, KEY, 0, scoreArg, memberArg, argv);
            case "model":
                return model.zadd(Models.str(m), score);
            default:
                return jedis.zadd(KEY, score, m);
        }
    }

    @Benchmark
    public Object zscore() {
        int i = next();
        switch (impl) {
            case "redjar":
                return zs.zscore(0, KEY, members[i]);
            case "model":
                return model.zscore(memberStrings[i]);
            default:
                return jedis.zscore(KEY, members[i]);
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Object zrank() {
        int i = next();
        switch (impl) {
            case "redjar":
                return zs.zrank(0, KEY, members[i], false);
            case "model":
                return model.zrank(memberStrings[i]);
            default:
                return jedis.zrank(KEY, members[i]);
        }
    }

    @Benchmark
    public Object zrange0to9() {
        switch (impl) {
            case "redjar":
                return zs.zrange(0, KEY, rankSpec);
            case "model":
                return model.zrange(0, 9);
            default:
                return jedis.zrange(KEY, 0, 9);
        }
    }

    @Benchmark
    public Object zrangeByScoreLimit10() {
        double min = scores[next()];
        switch (impl) {
            case "redjar": {
                ZSetOps.RangeSpec s = new ZSetOps.RangeSpec();
                s.by = ZSetOps.By.SCORE;
                s.score = new ScoreRange(min, false, Double.POSITIVE_INFINITY, false);
                s.offset = 0;
                s.limit = 10;
                return zs.zrange(0, KEY, s);
            }
            case "model":
                return model.zrangeByScore(min, 10);
            default:
                return jedis.zrangeByScore(KEY, min, Double.POSITIVE_INFINITY, 0, 10);
        }
    }
}
