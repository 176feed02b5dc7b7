package io.redjar.hitratio;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One round of the eviction hit-ratio benchmark for one trace (issue 12; run by
 * {@code bench/run-hitratio-bench.sh}, which prints the table with {@link HitRatioReport}).
 *
 * <p>Against redis-server and RedJar's RESP server (any RESP server works; a policy a server
 * refuses is reported as skipped):
 * <ol>
 *   <li><b>Sizing.</b> On redis-server, with no limit, {@code fraction x sizingKeys} keys of the
 *       trace's shape ({@code key:<id>}, a {@code value}-byte value) are written; the
 *       {@code used_memory} that shows, baseline included, is {@code M}.</li>
 *   <li><b>Same maxmemory</b> (pass {@code mem}): for every policy on each server, FLUSHALL, the
 *       policy, {@code maxmemory M}, the replay ({@link Replayer}); then the hit ratio, resident
 *       keys (DBSIZE), {@code evicted_keys} (the difference), {@code used_memory}.</li>
 *   <li><b>Same resident keys</b> (pass {@code keys}): for every RedJar policy, RedJar's
 *       {@code maxmemory} is what RedJar's {@code used_memory} shows holding as many keys as
 *       redis-server kept resident under the matching policy in pass {@code mem} (the wtinylfu
 *       policies match allkeys-lru / volatile-lru), so the policies compete at equal capacity.</li>
 * </ol>
 * The sizing fill is repeated on RedJar to report each server's baseline {@code used_memory} and
 * bytes per key (measures {@code base}, {@code perkey}; policy {@code all}, pass {@code sizing}).
 * Also the optimal hit ratio at {@code fraction x sizingKeys} keys ({@link Belady}), as server
 * {@code optimal}, policy {@code belady}.
 * Output: lines {@code <measure> <trace>/<server>/<policy>/<pass> <round> <value>} (the format of
 * bench/lib.sh's {@code summarize}), measures {@code hit} (ratio), {@code keys}, {@code evicted},
 * {@code used}, {@code maxmem}, {@code rate} (requests per second of the replay), {@code seterr}.
 *
 * <p>Parameters are system properties: {@code trace} (one of {@link Traces#NAMES}), {@code redis},
 * {@code redjar} (ports; 0 skips a server), {@code host} [127.0.0.1], {@code round} [1],
 * {@code scale} [1], {@code seed} [12], {@code fraction} [0.1], {@code warmup} [0.2] (fraction of
 * requests not counted), {@code value} [100] (bytes), {@code batch} [256], {@code policies}
 * (comma-separated, Redis's eight by default), {@code extra} [allkeys-wtinylfu,volatile-wtinylfu]
 * (RedJar only), {@code equalKeys} [true].
 *
 * <p>Thread-safety: a command-line program; single-threaded.
 */
public final class HitRatioBench {
    static final List<String> REDIS_POLICIES = List.of("noeviction", "allkeys-lru", "allkeys-lfu", "allkeys-random",
        "volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl");

    private final String host = System.getProperty("host", "127.0.0.1");
    private final int round = Integer.getInteger("round", 1);
    private final double fraction = Double.parseDouble(System.getProperty("fraction", "0.1"));
    private final double warmupFraction = Double.parseDouble(System.getProperty("warmup", "0.2"));
    private final Trace trace;
    private final Replayer replayer;
    private final Map<String, Long> redisResident = new HashMap<>();
    /** {@code used_memory} of the empty server in the last {@link #usedMemoryHolding} call. */
    private long lastBaseline;

    private HitRatioBench(Trace trace, int valueSize, int batch) {
        this.trace = trace;
        byte[] value = new byte[valueSize];
        for (int i = 0; i < valueSize; i++) {
            value[i] = (byte) ('a' + (i * 7919) % 26);
        }
        this.replayer = new Replayer(Math.max(trace.idBound(), trace.sizingKeys()), value, batch);
    }

    public static void main(String[] args) throws IOException {
        Trace trace = Traces.named(System.getProperty("trace", "zipf0.99"),
            Double.parseDouble(System.getProperty("scale", "1")), Long.getLong("seed", 12));
        new HitRatioBench(trace, Integer.getInteger("value", 100), Integer.getInteger("batch", 256)).run();
    }

    private void run() throws IOException {
        int redisPort = Integer.getInteger("redis", 0);
        int redjarPort = Integer.getInteger("redjar", 0);
        List<String> policies = list("policies", String.join(",", REDIS_POLICIES));
        List<String> extra = list("extra", "allkeys-wtinylfu,volatile-wtinylfu");
        long targetKeys = Math.max(1, Math.round(fraction * trace.sizingKeys()));
        System.err.printf(Locale.ROOT, "# %s: %s; distinct keys %d, cache sized for %d keys%n",
            trace.name(), trace.about(), trace.distinct(), targetKeys);
        if (redisPort == 0) {
            throw new IllegalArgumentException("-Dredis=PORT is needed: it sizes maxmemory");
        }
        int warmup = (int) Math.round(warmupFraction * trace.length());
        emit("hit", "optimal", "belady", "mem", Belady.hitRatio(trace, Math.toIntExact(targetKeys), warmup));
        emit("keys", "optimal", "belady", "mem", targetKeys);
        long maxmemory;
        try (RespPipe redis = new RespPipe(host, redisPort)) {
            maxmemory = usedMemoryHolding(redis, targetKeys, false);
            emitSizing("redis", maxmemory, targetKeys);
        }
        if (redjarPort != 0) {
            try (RespPipe redjar = new RespPipe(host, redjarPort)) {
                emitSizing("redjar", usedMemoryHolding(redjar, targetKeys, false), targetKeys);
            }
        }
        // odd rounds RedJar first, even rounds redis-server first
        List<String> order = round % 2 == 1 ? List.of("redjar", "redis") : List.of("redis", "redjar");
        for (String server : order) {
            int port = server.equals("redis") ? redisPort : redjarPort;
            if (port == 0) {
                continue;
            }
            List<String> mine = new ArrayList<>(policies);
            if (server.equals("redjar")) {
                mine.addAll(extra);
            }
            try (RespPipe pipe = new RespPipe(host, port)) {
                for (String policy : mine) {
                    Long keys = runOne(pipe, server, policy, "mem", maxmemory);
                    if (keys != null && server.equals("redis")) {
                        redisResident.put(policy, keys);
                    }
                }
            }
        }
        if (redjarPort != 0 && Boolean.parseBoolean(System.getProperty("equalKeys", "true"))) {
            List<String> mine = new ArrayList<>(policies);
            mine.addAll(extra);
            try (RespPipe pipe = new RespPipe(host, redjarPort)) {
                for (String policy : mine) {
                    Long keys = redisResident.get(counterpart(policy));
                    if (keys == null || keys == 0) {
                        continue;
                    }
                    if (!"OK".equals(pipe.call("CONFIG", "SET", "maxmemory-policy", policy))) {
                        continue; // refused: already reported in pass mem
                    }
                    long m = usedMemoryHolding(pipe, keys, policy.startsWith("volatile"));
                    runOne(pipe, "redjar", policy, "keys", m);
                }
            }
        }
    }

    /** The redis-server policy whose resident key count a RedJar policy is matched to. */
    static String counterpart(String policy) {
        return switch (policy) {
            case "allkeys-wtinylfu" -> "allkeys-lru";
            case "volatile-wtinylfu" -> "volatile-lru";
            default -> policy;
        };
    }

    /** @return the resident key count after the replay, or null when the server refused the policy */
    private Long runOne(RespPipe pipe, String server, String policy, String pass, long maxmemory) throws IOException {
        reset(pipe);
        String r = pipe.call("CONFIG", "SET", "maxmemory-policy", policy);
        if (!"OK".equals(r)) {
            System.err.printf("# %s refuses %s: %s%n", server, policy, r);
            return null;
        }
        long evicted0 = info(pipe, "stats", "evicted_keys");
        r = pipe.call("CONFIG", "SET", "maxmemory", Long.toString(maxmemory));
        if (!"OK".equals(r)) {
            System.err.printf("# %s refuses maxmemory %d: %s%n", server, maxmemory, r);
            return null;
        }
        boolean withTtl = policy.startsWith("volatile");
        int warmup = (int) Math.round(warmupFraction * trace.length());
        Replayer.Result res = replayer.replay(pipe, trace, warmup, withTtl);
        long keys = Long.parseLong(pipe.call("DBSIZE"));
        long used = info(pipe, "memory", "used_memory");
        long evicted = info(pipe, "stats", "evicted_keys") - evicted0;
        emit("maxmem", server, policy, pass, maxmemory);
        emit("hit", server, policy, pass, res.ratio());
        emit("keys", server, policy, pass, keys);
        emit("evicted", server, policy, pass, evicted);
        emit("used", server, policy, pass, used);
        emit("seterr", server, policy, pass, res.setErrors());
        emit("rate", server, policy, pass, Math.round(trace.length() / (res.nanos() / 1e9)));
        System.err.printf(Locale.ROOT, "# %-8s %-6s %-18s %-4s hit %.4f keys %d evicted %d used %d maxmemory %d%s%n",
            trace.name(), server, policy, pass, res.ratio(), keys, evicted, used, maxmemory,
            res.setErrors() > 0 ? " set errors " + res.setErrors() + " (" + res.firstError() + ")" : "");
        reset(pipe);
        return keys;
    }

    /**
     * Writes {@code count} keys of the trace's shape with no limit and returns the {@code used_memory}
     * that shows; the server is left empty and unlimited.
     */
    private long usedMemoryHolding(RespPipe pipe, long count, boolean withTtl) throws IOException {
        reset(pipe);
        lastBaseline = info(pipe, "memory", "used_memory");
        long errors = replayer.fill(pipe, Math.toIntExact(count), withTtl);
        if (errors > 0) {
            throw new IOException(errors + " SETs failed while sizing");
        }
        long used = info(pipe, "memory", "used_memory");
        reset(pipe);
        return used;
    }

    private static void reset(RespPipe pipe) throws IOException {
        String r = pipe.call("CONFIG", "SET", "maxmemory", "0");
        if (!"OK".equals(r)) {
            throw new IOException("CONFIG SET maxmemory 0: " + r);
        }
        r = pipe.call("FLUSHALL");
        if (!"OK".equals(r)) {
            throw new IOException("FLUSHALL: " + r);
        }
    }

    /** @return the integer field {@code field} of {@code INFO section} */
    static long info(RespPipe pipe, String section, String field) throws IOException {
        String text = pipe.call("INFO", section);
        if (text == null || text.startsWith("-")) {
            throw new IOException("INFO " + section + ": " + text);
        }
        for (String line : text.split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(field.length() + 1).trim());
            }
        }
        throw new IOException("INFO " + section + " has no " + field);
    }

    /** The baseline and bytes per key the last sizing fill showed ({@code <server>/all/sizing}). */
    private void emitSizing(String server, long used, long keys) {
        emit("base", server, "all", "sizing", lastBaseline);
        emit("perkey", server, "all", "sizing", (double) (used - lastBaseline) / keys);
    }

    private void emit(String measure, String server, String policy, String pass, double value) {
        System.out.printf(Locale.ROOT, "%s %s/%s/%s/%s %d %.6f%n", measure, trace.name(), server, policy, pass, round, value);
    }

    private void emit(String measure, String server, String policy, String pass, long value) {
        System.out.printf(Locale.ROOT, "%s %s/%s/%s/%s %d %d%n", measure, trace.name(), server, policy, pass, round, value);
    }

    private static List<String> list(String property, String dflt) {
        List<String> out = new ArrayList<>();
        for (String s : System.getProperty(property, dflt).split(",")) {
            if (!s.isBlank()) {
                out.add(s.trim());
            }
        }
        return out;
    }
}
