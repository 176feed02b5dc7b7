package io.redjar.bench;

import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;

import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs JMH with the given command-line options (same syntax as {@code java -jar benchmarks.jar})
 * and then prints {@link StringGetSetBenchmark}'s results as one table per operation and thread
 * count, with the ratios RedJar/CHM and RedJar/Caffeine computed from the same run.
 *
 * <pre>
 * java -cp target/benchmarks.jar io.redjar.bench.GetSetReport StringGetSetBenchmark -f 1 -wi 3 -i 5
 * </pre>
 */
public final class GetSetReport {
    private GetSetReport() {
    }

    public static void main(String[] args) throws Exception {
        CommandLineOptions opts = new CommandLineOptions(args);
        Collection<RunResult> results = new Runner(opts).run();

        // benchmark method -> impl -> result
        Map<String, Map<String, Result<?>>> byMethod = new TreeMap<>();
        Map<String, Map<String, Result<?>>> alloc = new TreeMap<>();
        for (RunResult r : results) {
            String label = r.getParams().getBenchmark();
            if (!label.contains("StringGetSetBenchmark")) {
                continue;
            }
            String method = label.substring(label.lastIndexOf('.') + 1);
            String impl = r.getParams().getParam("impl");
            byMethod.computeIfAbsent(method, m -> new TreeMap<>()).put(impl, r.getPrimaryResult());
            Result<?> norm = r.getSecondaryResults().get("gc.alloc.rate.norm");
            if (norm != null) {
                alloc.computeIfAbsent(method, m -> new TreeMap<>()).put(impl, norm);
            }
        }
        if (byMethod.isEmpty()) {
            return;
        }
        System.out.println();
        System.out.println("RedJar vs ConcurrentHashMap vs Caffeine, ops/s (higher is better), ratios from this run:");
        System.out.println();
        System.out.printf(Locale.ROOT, "| %-4s | %-7s | %-22s | %-22s | %-22s | %-12s | %-17s |%n",
            "op", "threads", "RedJar ops/s", "CHM ops/s", "Caffeine ops/s", "RedJar/CHM", "RedJar/Caffeine");
        System.out.println("|------|---------|------------------------|------------------------|------------------------|--------------|-------------------|");
        for (Map.Entry<String, Map<String, Result<?>>> e : byMethod.entrySet()) {
            String method = e.getKey();
            String op = method.startsWith("get") ? "GET" : "SET";
            String threads = method.replaceAll("\\D", "");
            Result<?> rj = e.getValue().get("redjar");
            Result<?> chm = e.getValue().get("chm");
            Result<?> caf = e.getValue().get("caffeine");
            System.out.printf(Locale.ROOT, "| %-4s | %-7s | %-22s | %-22s | %-22s | %-12s | %-17s |%n",
                op, threads, fmt(rj), fmt(chm), fmt(caf), ratio(rj, chm), ratio(rj, caf));
        }
        System.out.println();
        if (!alloc.isEmpty()) {
            System.out.println("Heap allocation per operation, bytes (-prof gc, gc.alloc.rate.norm):");
            System.out.println();
            System.out.println("| op   | threads | RedJar B/op | CHM B/op | Caffeine B/op |");
            System.out.println("|------|---------|-------------|----------|---------------|");
            for (Map.Entry<String, Map<String, Result<?>>> e : alloc.entrySet()) {
                String method = e.getKey();
                System.out.printf(Locale.ROOT, "| %-4s | %-7s | %11s | %8s | %13s |%n",
                    method.startsWith("get") ? "GET" : "SET", method.replaceAll("\\D", ""),
                    bytes(e.getValue().get("redjar")), bytes(e.getValue().get("chm")), bytes(e.getValue().get("caffeine")));
            }
            System.out.println();
        }
    }

    private static String bytes(Result<?> r) {
        return r == null ? "-" : String.format(Locale.ROOT, "%.1f", r.getScore());
    }

    private static String fmt(Result<?> r) {
        if (r == null) {
            return "-";
        }
        double err = r.getScoreError();
        return Double.isNaN(err)
            ? String.format(Locale.ROOT, "%,.0f", r.getScore())
            : String.format(Locale.ROOT, "%,.0f ± %,.0f", r.getScore(), err);
    }

    private static String ratio(Result<?> a, Result<?> b) {
        if (a == null || b == null || b.getScore() == 0) {
            return "-";
        }
        double x = a.getScore() / b.getScore();
        return String.format(Locale.ROOT, "%.2fx %s", x, x >= 1.0 ? "(>=1)" : "(<1)");
    }
}
