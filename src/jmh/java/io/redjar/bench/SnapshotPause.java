package io.redjar.bench;

import io.redjar.Store;
import org.HdrHistogram.Histogram;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What a BGSAVE costs the writers (docs/persistence.md, docs/benchmarks.md): fills a store with
 * {@code keys} string keys (DEBUG POPULATE), then runs one writer thread doing SETs on random
 * existing keys and records each SET's latency, first for {@code seconds} with no snapshot, then
 * during back-to-back BGSAVEs for the same time. Prints the latency percentiles and maximum of both
 * phases, the saves' durations, the dump size, and the load time of the dump.
 *
 * <p>Usage: {@code java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -cp benchmarks.jar
 * io.redjar.bench.SnapshotPause [keys] [seconds] [dir]}
 */
public final class SnapshotPause {
    private SnapshotPause() {
    }

    public static void main(String[] args) throws Exception {
        long keys = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path dir = args.length > 2 ? Path.of(args[2]) : Files.createTempDirectory("redjar-snapshot-pause");
        Files.createDirectories(dir);
        try (Store store = Store.builder().dataDir(dir).activeExpire(false).open()) {
            long t0 = System.nanoTime();
            store.execute("DEBUG", "POPULATE", Long.toString(keys));
            System.out.printf("populate %d keys: %.2f s%n", keys, (System.nanoTime() - t0) / 1e9);

            Histogram quiet = writePhase(store, keys, seconds, null);
            int[] saves = {0};
            long[] saveNanos = {0, 0};
            AtomicBoolean saving = new AtomicBoolean(true);
            Thread saver = new Thread(() -> {
                while (saving.get()) {
                    long s = System.nanoTime();
                    CompletableFuture<Void> f = store.bgsave();
                    f.join();
                    long d = System.nanoTime() - s;
                    saves[0]++;
                    saveNanos[0] += d;
                    saveNanos[1] = Math.max(saveNanos[1], d);
                }
            });
            Histogram during = writePhase(store, keys, seconds, saver);
            saving.set(false);
            saver.join();
            print("SET latency, no snapshot", quiet);
            print("SET latency, during BGSAVE", during);
            System.out.printf("BGSAVEs: %d, mean %.3f s, max %.3f s; dump %d bytes%n", saves[0],
                saves[0] == 0 ? 0 : saveNanos[0] / 1e9 / saves[0], saveNanos[1] / 1e9, Files.size(dir.resolve("dump.rdb")));
        }
        long t1 = System.nanoTime();
        try (Store store = Store.builder().dataDir(dir).activeExpire(false).open()) {
            System.out.printf("load: %.3f s (%s keys)%n", (System.nanoTime() - t1) / 1e9, store.execute("DBSIZE"));
        }
    }

    private static Histogram writePhase(Store store, long keys, int seconds, Thread alongside) {
        Histogram h = new Histogram(3_600_000_000_000L, 3);
        if (alongside != null) {
            alongside.start();
        }
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        byte[] value = "v".repeat(16).getBytes(StandardCharsets.US_ASCII);
        ThreadLocalRandom r = ThreadLocalRandom.current();
        while (System.nanoTime() < end) {
            byte[] key = ("key:" + r.nextLong(keys)).getBytes(StandardCharsets.US_ASCII);
            long s = System.nanoTime();
            store.strings().set(key, value);
            h.recordValue(System.nanoTime() - s);
        }
        return h;
    }

    private static void print(String label, Histogram h) {
        System.out.printf("%-28s n=%d p50=%.1f us p99=%.1f us p99.9=%.1f us max=%.3f ms%n", label, h.getTotalCount(),
            h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3, h.getValueAtPercentile(99.9) / 1e3,
            h.getMaxValue() / 1e6);
    }
}
