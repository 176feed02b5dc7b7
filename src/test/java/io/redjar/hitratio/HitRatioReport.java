package io.redjar.hitratio;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Prints the hit-ratio table from the result lines {@link HitRatioBench} wrote (every round's lines
 * in one file): per trace, one row per policy with the median hit ratio and resident keys on
 * redis-server and on RedJar at the same maxmemory, and RedJar at redis-server's resident key count;
 * then per trace the best eviction policy of each (noeviction is shown but not ranked: a cache that
 * refuses writes is no eviction policy) and the difference in percentage points.
 *
 * <p>Thread-safety: a command-line program; single-threaded.
 */
public final class HitRatioReport {
    private HitRatioReport() {
    }

    public static void main(String[] args) throws IOException {
        Map<String, List<Double>> values = new LinkedHashMap<>();
        Set<String> traces = new LinkedHashSet<>();
        Set<String> policies = new LinkedHashSet<>(HitRatioBench.REDIS_POLICIES);
        for (String line : Files.readAllLines(Path.of(args[0]))) {
            String[] f = line.trim().split(" ");
            if (f.length != 4 || line.startsWith("#")) {
                continue;
            }
            String[] name = f[1].split("/");
            if (name.length != 4) {
                continue;
            }
            traces.add(name[0]);
            if (!name[1].equals("optimal") && !name[3].equals("sizing")) {
                policies.add(name[2]);
            }
            values.computeIfAbsent(f[0] + " " + f[1], k -> new ArrayList<>()).add(Double.parseDouble(f[3]));
        }
        for (String trace : traces) {
            table(trace, policies, values);
        }
    }

    private static void table(String trace, Set<String> policies, Map<String, List<Double>> values) {
        Double maxmem = null;
        for (String policy : policies) {
            if (maxmem == null) {
                maxmem = median(values, "maxmem", trace, "redis", policy, "mem");
            }
        }
        System.out.printf(Locale.ROOT, "%n%s   (hit %%, median of %d rounds; maxmemory %s on both in 'same maxmemory')%n",
            trace, rounds(values, trace), maxmem == null ? "?" : String.format(Locale.ROOT, "%.2f MB", maxmem / 1e6));
        Double[] base = {median(values, "base", trace, "redis", "all", "sizing"), median(values, "base", trace, "redjar", "all", "sizing")};
        Double[] perKey = {median(values, "perkey", trace, "redis", "all", "sizing"),
            median(values, "perkey", trace, "redjar", "all", "sizing")};
        if (base[0] != null && base[1] != null) {
            System.out.printf(Locale.ROOT, "used_memory, empty + per key (sizing fill): redis-server %s B + %s B/key;"
                + " RedJar %s B + %s B/key%n", num(base[0]), num(perKey[0]), num(base[1]), num(perKey[1]));
        }
        System.out.printf(Locale.ROOT, "%-18s | %-21s | %-21s | %-25s%n", "", "redis-server", "RedJar, same maxmem",
            "RedJar, same resident keys");
        System.out.printf(Locale.ROOT, "%-18s | %8s %12s | %8s %12s | %8s %16s%n", "policy", "hit %", "keys", "hit %", "keys",
            "hit %", "keys");
        String[] best = new String[3];
        double[] bestHit = {-1, -1, -1};
        for (String policy : policies) {
            Double[] hit = {median(values, "hit", trace, "redis", policy, "mem"),
                median(values, "hit", trace, "redjar", policy, "mem"),
                median(values, "hit", trace, "redjar", policy, "keys")};
            Double[] keys = {median(values, "keys", trace, "redis", policy, "mem"),
                median(values, "keys", trace, "redjar", policy, "mem"),
                median(values, "keys", trace, "redjar", policy, "keys")};
            if (hit[0] == null && hit[1] == null && hit[2] == null) {
                continue;
            }
            System.out.printf(Locale.ROOT, "%-18s | %8s %12s | %8s %12s | %8s %16s%n", policy, pct(hit[0]), num(keys[0]),
                pct(hit[1]), num(keys[1]), pct(hit[2]), num(keys[2]));
            for (int i = 0; i < 3; i++) {
                if (hit[i] != null && !policy.equals("noeviction") && hit[i] > bestHit[i]) {
                    bestHit[i] = hit[i];
                    best[i] = policy;
                }
            }
        }
        Double opt = median(values, "hit", trace, "optimal", "belady", "mem");
        if (opt != null) {
            System.out.printf(Locale.ROOT, "%-18s | %8s %12s |%n", "optimal (MIN)", pct(opt),
                num(median(values, "keys", trace, "optimal", "belady", "mem")));
        }
        System.out.printf(Locale.ROOT, "%-18s | %-21s | %-21s | %-25s%n", "best eviction", label(best[0], bestHit[0]),
            label(best[1], bestHit[1]), label(best[2], bestHit[2]));
        if (best[0] != null) {
            System.out.printf(Locale.ROOT, "%-18s | %-21s | %-21s | %-25s%n", "vs redis best", "",
                delta(bestHit[1], bestHit[0]), delta(bestHit[2], bestHit[0]));
        }
    }

    private static int rounds(Map<String, List<Double>> values, String trace) {
        List<Double> v = values.get("hit " + trace + "/optimal/belady/mem");
        return v == null ? 0 : v.size();
    }

    private static Double median(Map<String, List<Double>> values, String measure, String trace, String server,
                                 String policy, String pass) {
        List<Double> v = values.get(measure + " " + trace + "/" + server + "/" + policy + "/" + pass);
        if (v == null || v.isEmpty()) {
            return null;
        }
        double[] a = v.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(a);
        int n = a.length;
        return n % 2 == 1 ? a[n / 2] : (a[n / 2 - 1] + a[n / 2]) / 2;
    }

    private static String pct(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.2f", v * 100);
    }

    private static String num(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.0f", v);
    }

    private static String label(String policy, double hit) {
        return policy == null ? "-" : String.format(Locale.ROOT, "%s %.2f", policy, hit * 100);
    }

    private static String delta(double mine, double theirs) {
        return mine < 0 ? "-" : String.format(Locale.ROOT, "%+.2f points", (mine - theirs) * 100);
    }
}
