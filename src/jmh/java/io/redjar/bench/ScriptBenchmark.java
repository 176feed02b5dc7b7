package io.redjar.bench;

import io.redjar.Reply;
import io.redjar.Session;
import io.redjar.Store;
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

import java.util.concurrent.TimeUnit;

/**
 * The 5-command script of {@link ScriptWorkload}, one thread, in-process and against
 * redis-server:
 * <ul>
 *   <li>{@code evalsha}: {@code EVALSHA} through a RedJar {@link Session} (Lua in-process);</li>
 *   <li>{@code atomically}: the same logic as a Java lambda, {@code Store.atomically} over the
 *       four keys;</li>
 *   <li>{@code multi}: the same logic in {@code Store.multi} (every shard locked);</li>
 *   <li>{@code redis}: {@code EVALSHA} with Jedis to a redis-server on loopback (one round trip
 *       per call: what an application talking to Redis pays).</li>
 * </ul>
 * The RESP-server comparison (RedJar's server vs redis-server, same client) is
 * {@code bench/run-script-bench.sh}'s redis-benchmark part.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "-Xms1g", "-Xmx1g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Threads(1)
public class ScriptBenchmark {
    /** Which implementation this trial measures. */
    @Param({"evalsha", "atomically", "multi", "redis"})
    public String impl;

    private ScriptWorkload w;
    private Store store;
    private Session session;
    private byte[][][] argv;
    private RedisServer redis;
    private Jedis jedis;
    private byte[] shaBytes;
    private byte[][][] redisParams;
    private int u;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        w = new ScriptWorkload("");
        argv = new byte[ScriptWorkload.USERS][][];
        if (impl.equals("redis")) {
            redis = RedisServer.start();
            jedis = redis.client();
            String sha = jedis.scriptLoad(ScriptWorkload.SCRIPT);
            shaBytes = ScriptWorkload.b(sha);
            redisParams = new byte[ScriptWorkload.USERS][][];
            for (int i = 0; i < ScriptWorkload.USERS; i++) {
                byte[][] a = w.evalshaArgv(sha, i);
                redisParams[i] = java.util.Arrays.copyOfRange(a, 3, a.length);
            }
            return;
        }
        store = Store.open();
        session = store.newSession();
        Reply r = session.execute("SCRIPT", "LOAD", ScriptWorkload.SCRIPT);
        String sha = r instanceof Reply.Bulk bulk ? bulk.asString() : null;
        if (impl.equals("evalsha") && sha == null) {
            throw new IllegalStateException("SCRIPT LOAD answered " + r);
        }
        for (int i = 0; i < ScriptWorkload.USERS; i++) {
            argv[i] = w.evalshaArgv(sha == null ? "none" : sha, i);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        if (jedis != null) {
            jedis.close();
        }
        if (redis != null) {
            redis.close();
        }
        if (store != null) {
            store.close();
        }
    }

    @Benchmark
    public Object script() {
        int i = u;
        u = i + 1 == ScriptWorkload.USERS ? 0 : i + 1;
        switch (impl) {
            case "evalsha":
                return session.execute(argv[i]);
            case "atomically": {
                String user = w.users[i];
                java.util.List<String> k = w.keys.get(i);
                return store.atomicallyResult(k, ctx -> ScriptWorkload.javaLogic(ctx, k, user));
            }
            case "multi": {
                String user = w.users[i];
                java.util.List<String> k = w.keys.get(i);
                return store.multiResult(tx -> ScriptWorkload.javaLogic(tx, k, user));
            }
            case "redis":
                return jedis.evalsha(shaBytes, 4, redisParams[i]);
            default:
                throw new IllegalArgumentException(impl);
        }
    }
}
