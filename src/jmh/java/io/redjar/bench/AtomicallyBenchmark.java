package io.redjar.bench;

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
import org.openjdk.jmh.infra.ThreadParams;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Why {@code Store.atomically} locks only the declared keys' shards: two threads run
 * {@link ScriptWorkload}'s logic on disjoint keys (each thread its own users and leaderboard),
 * {@code atomically} (declared shards) against {@code multi} (every shard, what a lock-all design
 * would do). Throughput is the sum over both threads.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "-Xms1g", "-Xmx1g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Threads(2)
public class AtomicallyBenchmark {
    /** Declared-shard locking or lock-all. */
    @Param({"atomically", "multi"})
    public String impl;

    Store store;

    @Setup(Level.Trial)
    public void setUp() {
        store = Store.open();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        store.close();
    }

    /** One thread's users. */
    @State(Scope.Thread)
    public static class Mine {
        ScriptWorkload w;
        int u;

        @Setup(Level.Trial)
        public void setUp(ThreadParams t) {
            w = new ScriptWorkload("t" + t.getThreadIndex() + ":");
        }
    }

    @Benchmark
    public long transaction(Mine m) {
        int i = m.u;
        m.u = i + 1 == ScriptWorkload.USERS ? 0 : i + 1;
        String user = m.w.users[i];
        List<String> k = m.w.keys.get(i);
        if (impl.equals("atomically")) {
            return store.atomicallyResult(k, ctx -> ScriptWorkload.javaLogic(ctx, k, user));
        }
        return store.multiResult(tx -> ScriptWorkload.javaLogic(tx, k, user));
    }
}
