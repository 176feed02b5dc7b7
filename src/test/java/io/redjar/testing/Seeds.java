package io.redjar.testing;

import java.util.Random;

/**
 * Seeds for randomised tests: a fresh seed per run (more coverage over time), or the one given
 * with {@code -Dredjar.seed=N} to reproduce a failure. Every failure names its seed. Under
 * {@code CI=true} the seed is fixed ({@link #CI_SEED}): a gate that lands work must not flake on a
 * seed nobody has seen before; fresh seeds run on developer machines.
 */
public final class Seeds {
    private Seeds() {
    }

    /** A body that gets a seeded random. */
    @FunctionalInterface
    public interface Body {
        void run(Random random) throws Exception;
    }

    /** The seed every randomised test uses under {@code CI=true}. */
    public static final long CI_SEED = 20261202L;

    /** @return the seed to use: {@code -Dredjar.seed} if set, else {@link #CI_SEED} under CI, else a fresh one */
    public static long seed() {
        String p = System.getProperty("redjar.seed");
        if (p != null && !p.isBlank()) {
            return Long.parseLong(p.trim());
        }
        return inCi() ? CI_SEED : new Random().nextLong();
    }

    /** @return whether the environment variable {@code CI} is {@code true} */
    public static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** Runs {@code body} with a seeded random; any failure is rethrown naming the seed. */
    public static void run(String name, Body body) {
        long seed = seed();
        run(name + " (rerun with -Dredjar.seed=" + seed + ")", seed, body);
    }

    /**
     * Runs {@code body} with {@code new Random(seed)}; any failure is rethrown naming the seed.
     * Callers that derive {@code seed} from a master seed put the master in {@code name}.
     */
    public static void run(String name, long seed, Body body) {
        try {
            body.run(new Random(seed));
        } catch (Throwable t) {
            String msg = name + " failed with seed " + seed;
            System.err.println(msg);
            throw new AssertionError(msg + ": " + t, t);
        }
    }
}
