package io.redjar.bench;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.redjar.Store;
import io.redjar.Strings;
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

import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * GET and SET of 32-byte values on 1M preloaded keys ({@code key:0..key:999999}), random keys,
 * at 1 and 2 threads: RedJar's {@code Strings.get/set} against a {@code ConcurrentHashMap<String,
 * byte[]>} ({@code get}/{@code put}) and a bounded Caffeine cache
 * ({@code maximumSize(2_000_000)}, {@code getIfPresent}/{@code put}).
 *
 * <p>Everything the loop touches is generated in setup: keys in each implementation's natural
 * type (RedJar {@code byte[]}, the maps {@code String}), a pool of values, and a random index
 * sequence that each thread walks from its own offset. So the only allocation in the measured
 * loop is the implementation's own: RedJar's GET returns a fresh copy of the value (the value
 * lives off-heap), the maps return the stored reference.
 *
 * <p>The thread count is part of the method ({@code get1T}, {@code get2T}, ...), so one run
 * without {@code -t} measures both; do not pass {@code -t}, it would override them. Throughput of
 * a 2-thread method is the sum over both threads.
 *
 * <p>Run: {@code bench/run-core-bench.sh}, or
 * {@code java -jar target/benchmarks.jar StringGetSetBenchmark} (see docs/benchmarks.md).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class StringGetSetBenchmark {
    /** Which implementation this trial measures. */
    @Param({"redjar", "chm", "caffeine"})
    public String impl;

    /** Number of preloaded keys. */
    @Param({"1000000"})
    public int keys;

    private static final int VALUE_POOL = 1024;

    Target target;
    int[] seq;

    @Setup(Level.Trial)
    public void setUp() {
        seq = Workload.indexSequence(keys);
        switch (impl) {
            case "redjar":
                target = new RedJarTarget(keys);
                break;
            case "chm":
                target = new ChmTarget(keys);
                break;
            case "caffeine":
                target = new CaffeineTarget(keys);
                break;
            default:
                throw new IllegalArgumentException("unknown impl " + impl);
        }
        target.load();
        for (int i = 0; i < keys; i += keys / 97 + 1) {
            if (target.get(i) == null) {
                throw new IllegalStateException(impl + ": key " + i + " missing after load");
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        target.close();
    }

    /** Per-thread position in the shared random index sequence. */
    @State(Scope.Thread)
    public static class Cursor {
        int pos;

        @Setup(Level.Trial)
        public void setUp(ThreadParams tp) {
            // threads start far apart in the sequence so they do not walk the same keys
            pos = (int) ((long) tp.getThreadIndex() * Workload.SEQ_LEN / Math.max(1, tp.getThreadCount()));
        }

        int next() {
            int p = pos;
            pos = (p + 1) & (Workload.SEQ_LEN - 1);
            return p;
        }
    }

    @Benchmark
    @Threads(1)
    public Object get1T(Cursor c) {
        return target.get(seq[c.next()]);
    }

    @Benchmark
    @Threads(2)
    public Object get2T(Cursor c) {
        return target.get(seq[c.next()]);
    }

    @Benchmark
    @Threads(1)
    public void set1T(Cursor c) {
        int p = c.next();
        target.set(seq[p], p);
    }

    @Benchmark
    @Threads(2)
    public void set2T(Cursor c) {
        int p = c.next();
        target.set(seq[p], p);
    }

    // ---- implementations -------------------------------------------------------------------

    /** One implementation under test; each fork instantiates exactly one subclass. */
    abstract static class Target {
        final byte[][] values = new byte[VALUE_POOL][];

        Target() {
            SplittableRandom rnd = new SplittableRandom(42);
            for (int i = 0; i < VALUE_POOL; i++) {
                values[i] = Workload.value(rnd);
            }
        }

        /** Loads every key with a value. */
        abstract void load();

        /** GET key {@code i}. */
        abstract Object get(int i);

        /** SET key {@code i} to the value pool entry picked by {@code v}. */
        abstract void set(int i, int v);

        void close() {
        }
    }

    static final class RedJarTarget extends Target {
        final byte[][] k;
        final Store store = Store.open();
        final Strings strings = store.strings();

        RedJarTarget(int n) {
            k = Workload.byteKeys(n);
        }

        @Override
        void load() {
            for (int i = 0; i < k.length; i++) {
                strings.set(k[i], values[i & (VALUE_POOL - 1)]);
            }
        }

        @Override
        Object get(int i) {
            return strings.get(k[i]);
        }

        @Override
        void set(int i, int v) {
            strings.set(k[i], values[v & (VALUE_POOL - 1)]);
        }

        @Override
        void close() {
            store.close();
        }
    }

    static final class ChmTarget extends Target {
        final String[] k;
        final ConcurrentHashMap<String, byte[]> map = new ConcurrentHashMap<>();

        ChmTarget(int n) {
            k = Workload.stringKeys(n);
        }

        @Override
        void load() {
            for (int i = 0; i < k.length; i++) {
                map.put(k[i], values[i & (VALUE_POOL - 1)]);
            }
        }

        @Override
        Object get(int i) {
            return map.get(k[i]);
        }

        @Override
        void set(int i, int v) {
            map.put(k[i], values[v & (VALUE_POOL - 1)]);
        }
    }

    static final class CaffeineTarget extends Target {
        final String[] k;
        final Cache<String, byte[]> cache = Caffeine.newBuilder().maximumSize(2_000_000).build();

        CaffeineTarget(int n) {
            k = Workload.stringKeys(n);
        }

        @Override
        void load() {
            for (int i = 0; i < k.length; i++) {
                cache.put(k[i], values[i & (VALUE_POOL - 1)]);
            }
        }

        @Override
        Object get(int i) {
            return cache.getIfPresent(k[i]);
        }

        @Override
        void set(int i, int v) {
            cache.put(k[i], values[v & (VALUE_POOL - 1)]);
        }

        @Override
        void close() {
            cache.invalidateAll();
            cache.cleanUp();
        }
    }
}
