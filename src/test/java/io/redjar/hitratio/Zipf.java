package io.redjar.hitratio;

import java.util.Random;

/**
 * A Zipf distribution over ranks {@code 0..n-1}: {@code P(rank r) ~ 1 / (r + 1)^s}.
 *
 * <p>Design note: exact inverse-CDF sampling (a cumulative table and a binary search), not an
 * approximation such as YCSB's: {@code n} is at most a few hundred thousand here, the table costs
 * {@code 8n} bytes once, and the samples then match the textbook distribution for any {@code s}
 * (0.8 and 0.99 included, where rejection samplers have corner cases).
 *
 * <p>Thread-safety: immutable after construction; {@link #sample} uses the caller's {@link Random}.
 */
public final class Zipf {
    private final double[] cdf;

    /**
     * @param n number of ranks, {@code >= 1}
     * @param s skew, {@code >= 0} (0 is uniform)
     */
    public Zipf(int n, double s) {
        if (n < 1 || !(s >= 0) || Double.isInfinite(s)) {
            throw new IllegalArgumentException("n=" + n + " s=" + s);
        }
        cdf = new double[n];
        double sum = 0;
        for (int r = 0; r < n; r++) {
            sum += 1.0 / Math.pow(r + 1, s);
            cdf[r] = sum;
        }
        for (int r = 0; r < n; r++) {
            cdf[r] /= sum;
        }
        cdf[n - 1] = 1.0;
    }

    /** @return the number of ranks */
    public int size() {
        return cdf.length;
    }

    /** @return the probability of rank {@code r} */
    public double probability(int r) {
        return r == 0 ? cdf[0] : cdf[r] - cdf[r - 1];
    }

    /** @return a rank in {@code [0, n)}, rank 0 the most likely */
    public int sample(Random random) {
        double u = random.nextDouble();
        int lo = 0;
        int hi = cdf.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cdf[mid] > u) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }
}
