package io.redjar.bench;

import io.redjar.internal.Internals;
import io.redjar.Store;
import io.redjar.Strings;
import io.redjar.internal.keyspace.Keyspace;
import io.redjar.internal.keyspace.Shard;
import io.redjar.internal.util.HashSlot;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Diagnostic, not part of the comparison run: the cost of each step on RedJar's single-key path,
 * on {@code n} random keys of the {@code key:N} shape (1024: all in L1/L2; 65536: spills to
 * L3, closer to the 1M-key workload). {@code shardSlot} is the CRC16 hash slot that picks the shard (core
 * {@code HashSlot}, bit-at-a-time); {@code shardSlotTableCrc16} the same slot with a 256-entry
 * table as in Redis's {@code crc16.c}, for comparison;
 * {@code hash64} the in-table hash; {@code lockUnlock} the uncontended shard lock;
 * {@code get}/{@code set} the whole operation on a store holding just these keys.
 *
 * <p>Run: {@code java -jar target/benchmarks.jar KeyPathCostBenchmark}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class KeyPathCostBenchmark {
    /** Distinct keys cycled through. */
    @Param({"1024", "65536"})
    public int n;
    byte[][] keys;
    byte[] value;
    Store store;
    Strings strings;
    Shard shard;
    int i;

    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom rnd = new SplittableRandom(7);
        keys = new byte[n][];
        for (int k = 0; k < n; k++) {
            keys[k] = Workload.key(rnd.nextInt(Workload.KEYS)).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        }
        value = Workload.value(rnd);
        store = Store.open();
        strings = store.strings();
        for (byte[] k : keys) {
            strings.set(k, value);
        }
        shard = Internals.engine(store).keyspace().shard(0);
        for (byte[] k : keys) {
            if (tableSlot(k) != HashSlot.of(k)) {
                throw new IllegalStateException("table CRC16 disagrees with HashSlot for " + new String(k));
            }
        }
    }

    // ---- a table-driven CRC16 (Redis's crc16.c, XMODEM), to show what HashSlot could cost ----

    private static final char[] CRC16_TABLE = new char[256];

    static {
        for (int b = 0; b < 256; b++) {
            int crc = b << 8;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
            CRC16_TABLE[b] = (char) crc;
        }
    }

    private static int crc16(byte[] b, int off, int len) {
        int crc = 0;
        for (int i = off; i < off + len; i++) {
            crc = ((crc << 8) ^ CRC16_TABLE[((crc >>> 8) ^ b[i]) & 0xFF]) & 0xFFFF;
        }
        return crc;
    }

    /** Same result as {@link HashSlot#of}, with the table and the hash-tag scan done once. */
    static int tableSlot(byte[] key) {
        int len = key.length;
        for (int s = 0; s < len; s++) {
            if (key[s] == '{') {
                for (int e = s + 1; e < len; e++) {
                    if (key[e] == '}') {
                        if (e > s + 1) {
                            return crc16(key, s + 1, e - s - 1) & 16383;
                        }
                        break;
                    }
                }
                break;
            }
        }
        return crc16(key, 0, len) & 16383;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        store.close();
    }

    private byte[] nextKey() {
        int p = i;
        i = (p + 1) & (n - 1);
        return keys[p];
    }

    @Benchmark
    public int shardSlot() {
        return HashSlot.of(nextKey());
    }

    @Benchmark
    public int shardSlotTableCrc16() {
        return tableSlot(nextKey());
    }

    @Benchmark
    public long hash64() {
        return Keyspace.hash(nextKey());
    }

    @Benchmark
    public void lockUnlock() {
        shard.lock();
        shard.unlock();
    }

    @Benchmark
    public long currentTimeMillis() {
        return System.currentTimeMillis();
    }

    @Benchmark
    public byte[] get() {
        return strings.get(nextKey());
    }

    @Benchmark
    public void set() {
        strings.set(nextKey(), value);
    }
}
