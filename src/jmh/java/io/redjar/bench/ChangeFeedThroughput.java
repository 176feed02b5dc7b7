package io.redjar.bench;

import io.redjar.AppendFsync;
import io.redjar.Change;
import io.redjar.Store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * In-process SET throughput with the change feed off and on (docs/change-feed.md, "Costs"): the
 * same writes, {@code threads} writer threads, per configuration and round (order alternating),
 * each store in a fresh directory. Not JMH: one wall-clock figure per run, medians printed.
 *
 * <pre>java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -cp target/benchmarks.jar \
 *     io.redjar.bench.ChangeFeedThroughput [writesPerThread=200000] [threads=2] [rounds=3] [dir=target/bench/feed]</pre>
 */
public final class ChangeFeedThroughput {
    private ChangeFeedThroughput() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        Path work = Path.of(args.length > 3 ? args[3] : "target/bench/feed");
        List<String> configs = List.of("off", "feed-memory", "feed-everysec", "feed-everysec+reader", "feed-always",
            "aof-everysec");
        Map<String, List<Double>> results = new LinkedHashMap<>();
        for (String c : configs) {
            results.put(c, new ArrayList<>());
        }
        for (int r = 0; r < rounds; r++) {
            List<String> order = new ArrayList<>(configs);
            if (r % 2 == 1) {
                java.util.Collections.reverse(order);
            }
            for (String c : order) {
                Path dir = work.resolve(c + "-" + r);
                deleteTree(dir);
                Files.createDirectories(dir);
                double opsPerSec = run(c, dir, n, threads);
                results.get(c).add(opsPerSec);
                System.out.printf("round %d %-22s %,12.0f SET/s%n", r, c, opsPerSec);
                deleteTree(dir);
            }
        }
        System.out.println("median SET/s (" + threads + " threads x " + n + " writes):");
        double off = median(results.get("off"));
        for (Map.Entry<String, List<Double>> e : results.entrySet()) {
            double m = median(e.getValue());
            System.out.printf("  %-22s %,12.0f  (%.2f x off)%n", e.getKey(), m, m / off);
        }
    }

    private static double run(String config, Path dir, int n, int threads) throws Exception {
        Store.Builder b = Store.builder().dataDir(dir);
        switch (config) {
            case "off" -> { }
            case "feed-memory" -> b = Store.builder().changeFeed(true).changeFeedRetentionBytes(256L << 20);
            case "feed-everysec", "feed-everysec+reader" -> b.changeFeed(true).changeFeedFsync(AppendFsync.EVERYSEC);
            case "feed-always" -> b.changeFeed(true).changeFeedFsync(AppendFsync.ALWAYS);
            case "aof-everysec" -> b.appendOnly(true).appendFsync(AppendFsync.EVERYSEC);
            default -> throw new IllegalArgumentException(config);
        }
        try (Store store = b.open()) {
            AtomicLong read = new AtomicLong();
            if (config.endsWith("+reader")) {
                store.changeFeed().fromNow().subscribe(new Flow.Subscriber<Change>() {
                    @Override
                    public void onSubscribe(Flow.Subscription s) {
                        s.request(Long.MAX_VALUE);
                    }

                    @Override
                    public void onNext(Change c) {
                        read.incrementAndGet();
                    }

                    @Override
                    public void onError(Throwable t) {
                        t.printStackTrace();
                    }

                    @Override
                    public void onComplete() {
                    }
                });
            }
            int perThread = config.equals("feed-always") ? Math.max(1, n / 20) : n;
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> ts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                Thread th = new Thread(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < perThread; i++) {
                        store.strings().set("key:" + id + ":" + (i % 100_000), "value-0123456789");
                    }
                });
                ts.add(th);
                th.start();
            }
            long t0 = System.nanoTime();
            start.countDown();
            for (Thread th : ts) {
                th.join();
            }
            long ns = System.nanoTime() - t0;
            return (double) perThread * threads / (ns / 1e9);
        }
    }

    private static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        s.sort(null);
        return s.get(s.size() / 2);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> w = Files.walk(dir)) {
            for (Path p : w.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
