package io.redjar.hitratio;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;

/**
 * The hit-ratio traces (issue 12; {@code bench/run-hitratio-bench.sh}, docs/benchmarks.md
 * "Eviction hit ratios"): seeded generators and the shipped public traces.
 *
 * <ul>
 *   <li>{@code zipf0.8}, {@code zipf0.99}: independent Zipf draws over a universe of keys (ranks
 *       mapped to key ids through a seeded permutation).</li>
 *   <li>{@code scan}: a Zipf(0.9) working set interleaved with long one-off sequential scans
 *       (phases of {@code n} Zipf requests, then {@code 0.4 n} never-repeated keys in order), the
 *       classic pattern that flushes an LRU cache.</li>
 *   <li>{@code loop}: the LIRS paper's "loop" pattern (Jiang and Zhang, SIGMETRICS 2002): keys
 *       {@code 0..n-1} requested cyclically; LRU gets no hits when the cache is smaller than the
 *       loop, an ideal policy gets about cache/n.</li>
 *   <li>{@code web07}, {@code web12}: the cache2k traces of HTTP requests to a product detail page
 *       (July and December 2013), copyright headissue GmbH / Jens Wilke, CC BY 4.0, shipped as
 *       gzip in this package's resources (see {@code cache2k-LICENSE.txt}); taken from Caffeine's
 *       simulator, where they are xz files of big-endian 32-bit key ids.</li>
 * </ul>
 *
 * <p>Design note: every generator is a pure function of its parameters and seed, so a trace is the
 * same in every round, on every server and on every machine; {@code scale} multiplies lengths and
 * universes of the generated traces (the public ones are replayed whole).
 *
 * <p>Thread-safety: stateless; safe from any thread.
 */
public final class Traces {
    /** Every trace name {@link #named} knows, in the benchmark's order. */
    public static final List<String> NAMES = List.of("zipf0.8", "zipf0.99", "scan", "loop", "web07", "web12");

    private Traces() {
    }

    /**
     * @param name  one of {@link #NAMES}
     * @param scale multiplier of generated trace sizes (1.0: 100k-key universes, 500k requests)
     * @param seed  the generators' seed
     * @return the trace
     */
    public static Trace named(String name, double scale, long seed) {
        int n = scaled(100_000, scale);
        int length = scaled(500_000, scale);
        return switch (name) {
            case "zipf0.8" -> zipf(name, n, 0.8, length, seed);
            case "zipf0.99" -> zipf(name, n, 0.99, length, seed);
            case "scan" -> scanPolluted(name, n / 2, 0.9, n / 2, n / 5, length, seed);
            case "loop" -> loop(name, n / 2, length / 2);
            case "web07", "web12" -> cache2k(name, "cache2k-" + name + ".trace.gz");
            default -> throw new IllegalArgumentException("unknown trace " + name + "; known: " + NAMES);
        };
    }

    private static int scaled(int base, double scale) {
        return (int) Math.max(1_000, Math.min(50_000_000L, Math.round(base * scale)));
    }

    /** Independent Zipf({@code s}) draws over {@code n} keys. */
    public static Trace zipf(String name, int n, double s, int length, long seed) {
        Random random = new Random(seed);
        int[] ids = permutation(n, random);
        Zipf zipf = new Zipf(n, s);
        int[] keys = new int[length];
        for (int i = 0; i < length; i++) {
            keys[i] = ids[zipf.sample(random)];
        }
        return new Trace(name, keys, n, "Zipf " + s + " over " + n + " keys, " + length + " requests, seed " + seed);
    }

    /**
     * A Zipf({@code s}) working set of {@code n} keys (ids {@code 0..n-1}) in phases of
     * {@code zipfRun} requests, each followed by a scan of {@code scanRun} new keys (ids from
     * {@code n} up, each requested exactly once, in order), until {@code length} requests. The cache
     * is sized against the working set.
     */
    public static Trace scanPolluted(String name, int n, double s, int zipfRun, int scanRun, int length, long seed) {
        if (zipfRun < 1 || scanRun < 1) {
            throw new IllegalArgumentException("zipfRun=" + zipfRun + " scanRun=" + scanRun);
        }
        Random random = new Random(seed);
        int[] ids = permutation(n, random);
        Zipf zipf = new Zipf(n, s);
        int[] keys = new int[length];
        int next = n;
        int i = 0;
        while (i < length) {
            for (int j = 0; j < zipfRun && i < length; j++) {
                keys[i++] = ids[zipf.sample(random)];
            }
            for (int j = 0; j < scanRun && i < length; j++) {
                keys[i++] = next++;
            }
        }
        return new Trace(name, keys, n, "Zipf " + s + " over " + n + " keys in runs of " + zipfRun
            + ", each followed by a one-off scan of " + scanRun + " new keys; " + length + " requests, seed " + seed);
    }

    /** Keys {@code 0..n-1} requested in order, over and over, {@code length} requests in all. */
    public static Trace loop(String name, int n, int length) {
        int[] keys = new int[length];
        for (int i = 0; i < length; i++) {
            keys[i] = i % n;
        }
        return new Trace(name, keys, n, "LIRS-style loop over " + n + " keys, " + length + " requests");
    }

    /** A cache2k trace from this package's resources: gzip of big-endian 32-bit key ids. */
    public static Trace cache2k(String name, String resource) {
        try (InputStream raw = Traces.class.getResourceAsStream(resource)) {
            if (raw == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            DataInputStream in = new DataInputStream(new GZIPInputStream(raw, 1 << 16));
            int[] keys = new int[1 << 16];
            int n = 0;
            while (true) {
                int k;
                try {
                    k = in.readInt();
                } catch (EOFException eof) {
                    break;
                }
                if (k < 0) {
                    throw new IllegalStateException(resource + ": negative key id " + k + " at " + n);
                }
                if (n == keys.length) {
                    keys = Arrays.copyOf(keys, n * 2);
                }
                keys[n++] = k;
            }
            keys = Arrays.copyOf(keys, n);
            Trace t = new Trace(name, keys, 1, "");
            return new Trace(name, keys, t.distinct(), "cache2k " + name + " (headissue GmbH / Jens Wilke, CC BY 4.0), "
                + n + " requests");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int[] permutation(int n, Random random) {
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = ids[i];
            ids[i] = ids[j];
            ids[j] = t;
        }
        return ids;
    }
}
