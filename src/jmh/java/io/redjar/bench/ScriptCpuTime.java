package io.redjar.bench;

import io.redjar.Reply;
import io.redjar.Session;
import io.redjar.Store;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;

/**
 * CPU time per call of {@link ScriptWorkload}'s script in-process, {@code atomically},
 * {@code multi} and {@code evalsha} interleaved in one JVM and one thread: on a shared, loaded
 * machine the calling thread's CPU time is a steadier measure than JMH's wall-clock throughput
 * (which counts the time the thread waits for a core). Prints one line per round and
 * implementation, then the median of each.
 *
 * <p>Run: {@code java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -cp target/benchmarks.jar
 * io.redjar.bench.ScriptCpuTime [calls per round, default 50000] [rounds, default 7]}; the first
 * two rounds are warm-up and not counted.
 */
public final class ScriptCpuTime {
    private ScriptCpuTime() {
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        String[] impls = {"atomically", "multi", "evalsha"};
        double[][] ns = new double[impls.length][rounds];
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        ScriptWorkload w = new ScriptWorkload("");
        try (Store store = Store.open()) {
            Session s = store.newSession();
            String sha = ((Reply.Bulk) s.execute("SCRIPT", "LOAD", ScriptWorkload.SCRIPT)).asString();
            byte[][][] argv = new byte[ScriptWorkload.USERS][][];
            for (int i = 0; i < argv.length; i++) {
                argv[i] = w.evalshaArgv(sha, i);
            }
            for (int round = 0; round < rounds; round++) {
                for (int m = 0; m < impls.length; m++) {
                    long c0 = mx.getCurrentThreadCpuTime();
                    for (int i = 0; i < n; i++) {
                        int u = i % ScriptWorkload.USERS;
                        String user = w.users[u];
                        List<String> k = w.keys.get(u);
                        switch (impls[m]) {
                            case "atomically" -> store.atomicallyResult(k, ctx -> ScriptWorkload.javaLogic(ctx, k, user));
                            case "multi" -> store.multiResult(tx -> ScriptWorkload.javaLogic(tx, k, user));
                            default -> s.execute(argv[u]);
                        }
                    }
                    ns[m][round] = (mx.getCurrentThreadCpuTime() - c0) / (double) n;
                    System.out.printf("cpu %s %d %.0f%n", impls[m], round + 1, ns[m][round]);
                }
            }
        }
        for (int m = 0; m < impls.length; m++) {
            double[] counted = java.util.Arrays.copyOfRange(ns[m], Math.min(2, rounds - 1), rounds);
            java.util.Arrays.sort(counted);
            System.out.printf("median %-10s %8.0f ns CPU per call%n", impls[m], counted[counted.length / 2]);
        }
    }
}
