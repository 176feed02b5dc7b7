package io.redjar.hitratio;

import io.redjar.testing.Seeds;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hit-ratio benchmark's traces: each generator is a function of its seed, the Zipf draws have
 * the textbook shape, the scan-polluted trace's scans are one-off and disjoint from the working set,
 * and the shipped cache2k traces are intact. No timing, no server.
 */
class TracesTest {
    @Test
    void generatorsAreDeterministicInTheirSeed() {
        Seeds.run("TracesTest.deterministic", random -> {
            long seed = random.nextLong();
            for (String name : Traces.NAMES) {
                Trace a = Traces.named(name, 0.05, seed);
                Trace b = Traces.named(name, 0.05, seed);
                assertArrayEquals(a.keys(), b.keys(), name);
                assertEquals(a.sizingKeys(), b.sizingKeys(), name);
            }
            for (String name : new String[] {"zipf0.8", "zipf0.99", "scan"}) {
                assertFalse(Arrays.equals(Traces.named(name, 0.05, seed).keys(), Traces.named(name, 0.05, seed + 1).keys()),
                    name + ": another seed, the same trace");
            }
        });
    }

    @Test
    void zipfDrawsFollowTheDistribution() {
        Seeds.run("TracesTest.zipf", random -> {
            for (double s : new double[] {0.8, 0.99}) {
                int n = 1_000;
                int length = 400_000;
                Zipf zipf = new Zipf(n, s);
                int[] count = new int[n];
                for (int i = 0; i < length; i++) {
                    count[zipf.sample(random)]++;
                }
                // P(rank 0) = 1 / H(n, s); P(rank 0) / P(rank 1) = 2^s
                double h = 0;
                for (int r = 1; r <= n; r++) {
                    h += Math.pow(r, -s);
                }
                assertEquals(1 / h, zipf.probability(0), 1e-12);
                assertEquals(length / h, count[0], 0.03 * length / h, "s=" + s + " rank 0");
                assertEquals(Math.pow(2, s), (double) count[0] / count[1], 0.05 * Math.pow(2, s), "s=" + s + " rank 0 / rank 1");
                // the ten hottest ranks take the share the distribution gives them
                double top10 = 0;
                long got = 0;
                for (int r = 0; r < 10; r++) {
                    top10 += zipf.probability(r);
                    got += count[r];
                }
                assertEquals(top10, (double) got / length, 0.01, "s=" + s + " top-10 share");
            }
            // the trace maps ranks to distinct keys through a permutation: n keys, all reachable
            Trace t = Traces.zipf("z", 500, 0.8, 50_000, random.nextLong());
            assertEquals(500, t.distinct());
            assertEquals(500, t.idBound());
        });
    }

    @Test
    void scanPollutedTraceHasOneOffScansOutsideTheWorkingSet() {
        Seeds.run("TracesTest.scan", random -> {
            int n = 2_000;
            Trace t = Traces.scanPolluted("scan", n, 0.9, 1_000, 700, 10_000, random.nextLong());
            assertEquals(10_000, t.length());
            assertEquals(n, t.sizingKeys());
            int[] k = t.keys();
            int[] seen = new int[t.idBound()];
            for (int i = 0; i < k.length; i++) {
                int phase = i % 1_700;
                if (phase < 1_000) {
                    assertTrue(k[i] < n, "request " + i + " is in a Zipf run");
                } else {
                    assertTrue(k[i] >= n, "request " + i + " is in a scan");
                    assertEquals(++seen[k[i]], 1, "scan key " + k[i] + " requested again");
                    if (phase > 1_000) {
                        assertEquals(k[i - 1] + 1, k[i], "scans are sequential");
                    }
                }
            }
        });
    }

    @Test
    void loopCyclesOverItsKeys() {
        Trace t = Traces.loop("loop", 7, 30);
        for (int i = 0; i < 30; i++) {
            assertEquals(i % 7, t.keys()[i]);
        }
        assertEquals(7, t.distinct());
    }

    @Test
    void shippedCache2kTracesAreIntact() {
        // request and distinct key counts of the files in Caffeine's simulator (decompressed)
        Trace web07 = Traces.named("web07", 1, 0);
        assertEquals(76_118, web07.length());
        assertEquals(20_484, web07.distinct());
        assertEquals(20_484, web07.sizingKeys());
        Trace web12 = Traces.named("web12", 1, 0);
        assertEquals(95_607, web12.length());
        assertEquals(13_756, web12.distinct());
    }
}
