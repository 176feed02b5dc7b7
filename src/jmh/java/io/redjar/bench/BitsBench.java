package io.redjar.bench;

import io.redjar.Reply;
import io.redjar.Store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Random;

/**
 * The bitmap, HyperLogLog and GEO benchmarks of issue 12 (bench/run-bits-bench.sh runs them against
 * RedJar's RESP server, redis-server and an in-process store, in one run, and prints the ratios).
 * One scenario per JVM, one result line on stdout: {@code <scenario> <target> <value> <unit>}.
 *
 * <ul>
 *   <li>{@code bitcount}: {@code BITCOUNT} of a 64 MB bitmap of random bytes, {@code OPS} times.
 *       Result: gigabytes counted per second.</li>
 *   <li>{@code bitop}: {@code BITOP AND dest a b} of two 64 MB bitmaps, {@code OPS} times.
 *       Result: gigabytes of result per second.</li>
 *   <li>{@code pfadd}: {@code PFADD h} of 100 new elements per call, pipelined {@code PIPELINE}
 *       deep, {@code ELEMENTS} elements in all (the HLL turns dense early). Result: elements added
 *       per second.</li>
 *   <li>{@code pfcount}: {@code PFCOUNT h1 h2 h3} (a union, not the one-key cache) of three dense
 *       HLLs, {@code QUERIES} calls pipelined. Result: calls per second.</li>
 *   <li>{@code geosearch}: {@code MEMBERS} (1M) positions uniformly in a 10 x 10 degree square, then
 *       {@code GEOSEARCH g FROMLONLAT x y BYRADIUS 5 km ASC COUNT 10} at random points of it,
 *       {@code QUERIES} calls pipelined. Result: queries per second.</li>
 * </ul>
 *
 * <p>Over RESP both servers are driven by the same minimal client ({@link MessagingBench.Conn}),
 * one connection, so client costs are equal; in-process the same commands go through
 * {@code Store.execute}. The data set is loaded once per JVM (not measured), then the measured
 * loop runs twice and the second pass is reported: the first warms up this client and, over
 * RESP, the server's JIT, the same for both servers. Parameters are system properties
 * ({@code -DOPS=...}), defaults in the code.
 *
 * <pre>
 * java -cp target/benchmarks.jar io.redjar.bench.BitsBench bitcount port:6379
 * java -cp target/benchmarks.jar io.redjar.bench.BitsBench geosearch inproc
 * </pre>
 */
public final class BitsBench {
    private static final int MB64 = 64 << 20;

    /** One way to run commands: a connection or a store. */
    private interface Target extends AutoCloseable {
        /** Runs one command and checks its reply is not an error. */
        void call(byte[][] argv) throws IOException;

        /** Runs {@code n} copies of commands from {@code next}, pipelined {@code depth} deep. */
        void pipeline(int n, int depth, java.util.function.IntFunction<byte[][]> next) throws IOException;

        @Override
        void close() throws IOException;
    }

    private BitsBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: BitsBench bitcount|bitop|pfadd|pfcount|geosearch inproc|port:N");
            System.exit(2);
        }
        String scenario = args[0];
        try (Target t = target(args[1])) {
            t.call(argv("FLUSHALL"));
            double value = switch (scenario) {
                case "bitcount" -> bitcount(t);
                case "bitop" -> bitop(t);
                case "pfadd" -> pfadd(t);
                case "pfcount" -> pfcount(t);
                case "geosearch" -> geosearch(t);
                default -> throw new IllegalArgumentException("unknown scenario " + scenario);
            };
            String unit = switch (scenario) {
                case "bitcount", "bitop" -> "GB/s";
                case "pfadd" -> "elements/s";
                default -> "ops/s";
            };
            t.call(argv("FLUSHALL"));
            System.out.printf(Locale.ROOT, "%s %s %.3f %s%n", scenario, args[1], value, unit);
        }
        System.exit(0);
    }

    private static int prop(String name, int dflt) {
        return Integer.getInteger(name, dflt);
    }

    static byte[][] argv(Object... parts) {
        byte[][] out = new byte[parts.length][];
        for (int i = 0; i < parts.length; i++) {
            out[i] = parts[i] instanceof byte[] b ? b : parts[i].toString().getBytes(StandardCharsets.UTF_8);
        }
        return out;
    }

    /** Fills {@code key} with 64 MB of seeded random bytes, 1 MB per SETRANGE. */
    private static void fill(Target t, String key, long seed) throws IOException {
        Random r = new Random(seed);
        byte[] chunk = new byte[1 << 20];
        for (int off = 0; off < MB64; off += chunk.length) {
            r.nextBytes(chunk);
            t.call(argv("SETRANGE", key, off, chunk));
        }
    }

    /** Runs {@code body} twice (warm-up, measured); @return the measured seconds. */
    private static double twice(IoRunnable body) throws IOException {
        body.run();
        long t0 = System.nanoTime();
        body.run();
        return (System.nanoTime() - t0) / 1e9;
    }

    @FunctionalInterface
    private interface IoRunnable {
        void run() throws IOException;
    }

    private static double bitcount(Target t) throws IOException {
        int ops = prop("OPS", 20);
        fill(t, "b", 1);
        byte[][] cmd = argv("BITCOUNT", "b");
        double secs = twice(() -> t.pipeline(ops, 1, i -> cmd));
        return (double) ops * MB64 / secs / 1e9;
    }

    private static double bitop(Target t) throws IOException {
        int ops = prop("OPS", 10);
        fill(t, "a", 1);
        fill(t, "b", 2);
        byte[][] cmd = argv("BITOP", "AND", "d", "a", "b");
        double secs = twice(() -> t.pipeline(ops, 1, i -> cmd));
        return (double) ops * MB64 / secs / 1e9;
    }

    private static double pfadd(Target t) throws IOException {
        int elements = prop("ELEMENTS", 2_000_000);
        int depth = prop("PIPELINE", 16);
        int calls = elements / 100;
        int[] pass = {0};
        double secs = twice(() -> {
            int base = pass[0]++ * elements;
            t.call(argv("DEL", "h"));
            t.pipeline(calls, depth, i -> {
                Object[] parts = new Object[102];
                parts[0] = "PFADD";
                parts[1] = "h";
                for (int j = 0; j < 100; j++) {
                    parts[2 + j] = "e" + (base + i * 100 + j);
                }
                return argv(parts);
            });
        });
        return (double) calls * 100 / secs;
    }

    private static double pfcount(Target t) throws IOException {
        int queries = prop("QUERIES", 20_000);
        int depth = prop("PIPELINE", 16);
        for (int k = 1; k <= 3; k++) {
            int key = k;
            t.pipeline(2000, 16, i -> {
                Object[] parts = new Object[102];
                parts[0] = "PFADD";
                parts[1] = "h" + key;
                for (int j = 0; j < 100; j++) {
                    parts[2 + j] = key + ":" + (i * 100 + j);
                }
                return argv(parts);
            });
        }
        byte[][] cmd = argv("PFCOUNT", "h1", "h2", "h3");
        double secs = twice(() -> t.pipeline(queries, depth, i -> cmd));
        return queries / secs;
    }

    private static double geosearch(Target t) throws IOException {
        int members = prop("MEMBERS", 1_000_000);
        int queries = prop("QUERIES", 20_000);
        int depth = prop("PIPELINE", 16);
        Random r = new Random(7);
        int batch = 1000;
        t.pipeline(members / batch, 4, i -> {
            Object[] parts = new Object[2 + 3 * batch];
            parts[0] = "GEOADD";
            parts[1] = "g";
            for (int j = 0; j < batch; j++) {
                parts[2 + 3 * j] = String.format(Locale.ROOT, "%.6f", r.nextDouble() * 10);
                parts[3 + 3 * j] = String.format(Locale.ROOT, "%.6f", 40 + r.nextDouble() * 10);
                parts[4 + 3 * j] = "m" + (i * batch + j);
            }
            return argv(parts);
        });
        Random q = new Random(11);
        double secs = twice(() -> t.pipeline(queries, depth, i -> argv("GEOSEARCH", "g", "FROMLONLAT",
            String.format(Locale.ROOT, "%.4f", q.nextDouble() * 10), String.format(Locale.ROOT, "%.4f", 40 + q.nextDouble() * 10),
            "BYRADIUS", "5", "km", "ASC", "COUNT", "10")));
        return queries / secs;
    }

    // ---------------------------------------------------------------- targets

    private static Target target(String spec) throws IOException {
        if (spec.equals("inproc")) {
            Store store = Store.open();
            return new Target() {
                @Override
                public void call(byte[][] argv) {
                    check(store.execute(argv));
                }

                @Override
                public void pipeline(int n, int depth, java.util.function.IntFunction<byte[][]> next) {
                    for (int i = 0; i < n; i++) {
                        check(store.execute(next.apply(i)));
                    }
                }

                @Override
                public void close() {
                    store.close();
                }
            };
        }
        if (!spec.startsWith("port:")) {
            throw new IllegalArgumentException("target is inproc or port:N, not " + spec);
        }
        MessagingBench.Conn c = new MessagingBench.Conn(Integer.parseInt(spec.substring(5)));
        return new Target() {
            @Override
            public void call(byte[][] argv) throws IOException {
                c.call(argv); // an error reply throws
            }

            @Override
            public void pipeline(int n, int depth, java.util.function.IntFunction<byte[][]> next) throws IOException {
                for (int sent = 0; sent < n; ) {
                    int b = Math.min(depth, n - sent);
                    for (int i = 0; i < b; i++) {
                        c.out.write(MessagingBench.encode(next.apply(sent + i)));
                    }
                    c.out.flush();
                    for (int i = 0; i < b; i++) {
                        c.read();
                    }
                    sent += b;
                }
            }

            @Override
            public void close() throws IOException {
                c.close();
            }
        };
    }

    private static void check(Reply r) {
        if (r instanceof Reply.ErrorReply e) {
            throw new IllegalStateException("error reply: " + e.message());
        }
    }
}
