package io.redjar.bench;

import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.util.Statistics;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs JMH with the given command-line options and then prints the collection benchmarks'
 * results ({@link ZSetBenchmark}, {@link HashBenchmark}, {@link ListBenchmark},
 * {@link SetBenchmark}) as one table: RedJar (ops classes) vs the Java model vs Jedis to
 * redis-server, with the ratios from the same run. SampleTime methods (ZRANK) are shown as p50 /
 * p99 latency in microseconds, with throughput derived as 1 / mean.
 *
 * <pre>
 * java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -cp target/benchmarks.jar \
 *      io.redjar.bench.CollectionsReport 'ZSetBenchmark|HashBenchmark|ListBenchmark|SetBenchmark'
 * </pre>
 */
public final class CollectionsReport {
    private CollectionsReport() {
    }

    public static void main(String[] args) throws Exception {
        CommandLineOptions opts = new CommandLineOptions(args);
        Collection<RunResult> results = new Runner(opts).run();
        Map<String, Map<String, Result<?>>> rows = new LinkedHashMap<>();
        Map<String, Map<String, Result<?>>> sorted = new TreeMap<>();
        for (RunResult r : results) {
            String label = r.getParams().getBenchmark();
            String cls = label.substring(0, label.lastIndexOf('.'));
            cls = cls.substring(cls.lastIndexOf('.') + 1);
            String method = label.substring(label.lastIndexOf('.') + 1);
            String impl = r.getParams().getParam("impl");
            if (impl == null) {
                continue;
            }
            sorted.computeIfAbsent(cls + "." + method, m -> new TreeMap<>()).put(impl, r.getPrimaryResult());
        }
        rows.putAll(sorted);
        if (rows.isEmpty()) {
            return;
        }
        System.out.println();
        System.out.println("Collections at 1M elements: RedJar (in-process ops classes) vs Java model vs Jedis->redis-server.");
        System.out.println("Throughput in ops/s (higher is better); for SampleTime rows, p50/p99 latency in us (lower is better)");
        System.out.println("and ops/s = 1/mean. Ratios are RedJar / other, from ops/s.");
        System.out.println();
        System.out.println("| benchmark | RedJar | model | Redis (Jedis) | RedJar/model | RedJar/Redis |");
        System.out.println("|---|---:|---:|---:|---:|---:|");
        for (Map.Entry<String, Map<String, Result<?>>> e : rows.entrySet()) {
            Map<String, Result<?>> m = e.getValue();
            Result<?> rj = m.get("redjar");
            Result<?> mo = m.get("model");
            Result<?> rd = m.get("redis");
            System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s | %s |%n", e.getKey(), fmt(rj), fmt(mo), fmt(rd),
                ratio(rj, mo), ratio(rj, rd));
        }
        System.out.println();
    }

    private static boolean isSample(Result<?> r) {
        return r.getScoreUnit().endsWith("/op");
    }

    /** ops/s of a result (throughput as is; SampleTime as 1/mean). */
    static double opsPerSec(Result<?> r) {
        if (!isSample(r)) {
            return r.getScore();
        }
        double perUs = 1.0 / r.getScore();
        String u = r.getScoreUnit();
        if (u.startsWith("us")) {
            return perUs * 1e6;
        }
        if (u.startsWith("ns")) {
            return perUs * 1e9;
        }
        if (u.startsWith("ms")) {
            return perUs * 1e3;
        }
        return perUs;
    }

    private static String fmt(Result<?> r) {
        if (r == null) {
            return "-";
        }
        if (isSample(r)) {
            Statistics s = r.getStatistics();
            return String.format(Locale.ROOT, "p50 %.3f / p99 %.3f %s (%,.0f ops/s)", s.getPercentile(50), s.getPercentile(99),
                r.getScoreUnit(), opsPerSec(r));
        }
        double err = r.getScoreError();
        return Double.isNaN(err)
            ? String.format(Locale.ROOT, "%,.0f", r.getScore())
            : String.format(Locale.ROOT, "%,.0f ± %,.0f", r.getScore(), err);
    }

    private static String ratio(Result<?> a, Result<?> b) {
        if (a == null || b == null) {
            return "-";
        }
        double x = opsPerSec(a) / opsPerSec(b);
        return String.format(Locale.ROOT, "%.2fx", x);
    }
}
