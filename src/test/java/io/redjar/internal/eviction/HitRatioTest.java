package io.redjar.internal.eviction;

import io.redjar.Reply;
import io.redjar.Store;
import io.redjar.testing.Seeds;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The in-process hit-ratio sanity check: a seeded trace replayed against a {@link Store} at a fixed
 * {@code maxmemory} as a cache would use it (GET; on a miss, SET), once per policy, printing the
 * hit ratio of each. Traces: Zipf 0.8 and 0.99 over 20,000 keys, and a scan-polluted mix (Zipf
 * 0.99 with a third of the requests for keys never seen before). The cache holds about 10 % of the
 * key space. The full RESP comparison with redis-server is the {@code hitratio} work; this keeps
 * the policies honest in the build: W-TinyLFU must beat LFU, and LFU must not lose to LRU by
 * more than noise.
 *
 * <p>Run it alone with {@code -Dtest=HitRatioTest}; {@code main} prints the same table.
 */
class HitRatioTest {
    static final int KEYS = 20_000;
    static final int REQUESTS = 150_000;
    static final int VALUE = 100;
    static final List<String> POLICIES = System.getProperty("hr.policies") != null
        ? List.of(System.getProperty("hr.policies").split(","))
        : List.of("allkeys-lru", "allkeys-lfu", "allkeys-random", "allkeys-wtinylfu");

    /** A Zipf sampler over ranks 0..n-1 (inverse CDF by binary search). */
    static final class Zipf {
        private final double[] cdf;

        Zipf(int n, double s) {
            cdf = new double[n];
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += 1.0 / Math.pow(i + 1, s);
                cdf[i] = sum;
            }
            for (int i = 0; i < n; i++) {
                cdf[i] /= sum;
            }
        }

        int next(Random r) {
            double u = r.nextDouble();
            int lo = 0;
            int hi = cdf.length - 1;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (cdf[mid] < u) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }
    }

    /** @return the keys of a trace: Zipf(s), with {@code scanShare} of requests for never-repeated keys */
    static String[] trace(long seed, double s, double scanShare) {
        Random r = new Random(seed);
        Zipf z = new Zipf(KEYS, s);
        String[] t = new String[REQUESTS];
        int scan = 0;
        for (int i = 0; i < REQUESTS; i++) {
            t[i] = r.nextDouble() < scanShare ? "scan:" + scan++ : "k:" + z.next(r);
        }
        return t;
    }

    /** @return the bytes a cache of {@code n} keys of this trace's shape takes in a store */
    static long bytesFor(int n) {
        try (Store s = Store.builder().activeExpire(false).open()) {
            byte[] v = new byte[VALUE];
            for (int i = 0; i < n; i++) {
                s.execute("SET".getBytes(), ("k:" + i).getBytes(), v);
            }
            return s.usedMemory();
        }
    }

    /** Replays {@code trace} under {@code policy} at {@code maxmemory}. @return the hit ratio */
    static double replay(String[] trace, String policy, long maxmemory, long seed) {
        try (Store s = Store.builder().activeExpire(false).maxMemoryPolicy(policy).maxMemory(maxmemory)
            .config("maxmemory-eviction-tenacity", "100").open()) {
            byte[] v = new byte[VALUE];
            new Random(seed).nextBytes(v);
            long hits = 0;
            byte[] get = "GET".getBytes();
            byte[] set = "SET".getBytes();
            for (String k : trace) {
                byte[] key = k.getBytes();
                if (s.execute(get, key) == Reply.NULL) {
                    Reply r = s.execute(set, key, v);
                    if (r.isError()) {
                        throw new AssertionError(policy + ": " + r);
                    }
                } else {
                    hits++;
                }
            }
            return (double) hits / trace.length;
        }
    }

    static Map<String, Map<String, Double>> table(long seed) {
        long max = bytesFor(KEYS / 10);
        Map<String, String[]> traces = new LinkedHashMap<>();
        traces.put("zipf-0.8", trace(seed, 0.8, 0));
        traces.put("zipf-0.99", trace(seed + 1, 0.99, 0));
        traces.put("scan-mix", trace(seed + 2, 0.99, 1.0 / 3));
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        for (var t : traces.entrySet()) {
            Map<String, Double> row = new LinkedHashMap<>();
            for (String p : POLICIES) {
                row.put(p, replay(t.getValue(), p, max, seed));
            }
            out.put(t.getKey(), row);
            System.out.printf("%-10s %s%n", t.getKey(), format(row));
        }
        return out;
    }

    private static String format(Map<String, Double> row) {
        StringBuilder b = new StringBuilder();
        row.forEach((p, h) -> b.append(String.format("%s=%.4f  ", p, h)));
        return b.toString();
    }

    @Test
    void wtinylfuBeatsLfuWhichKeepsUpWithLru() {
        Seeds.run("wtinylfuBeatsLfuWhichKeepsUpWithLru", r -> {
            Map<String, Map<String, Double>> t = table(r.nextLong());
            for (var e : t.entrySet()) {
                Map<String, Double> row = e.getValue();
                double lru = row.get("allkeys-lru");
                double lfu = row.get("allkeys-lfu");
                double w = row.get("allkeys-wtinylfu");
                assertTrue(w > lfu, e.getKey() + ": wtinylfu " + w + " <= lfu " + lfu);
                assertTrue(w > lru, e.getKey() + ": wtinylfu " + w + " <= lru " + lru);
                assertTrue(lfu >= lru - 0.01, e.getKey() + ": lfu " + lfu + " < lru " + lru);
            }
        });
    }

    public static void main(String[] args) {
        table(args.length > 0 ? Long.parseLong(args[0]) : Seeds.seed());
    }
}
