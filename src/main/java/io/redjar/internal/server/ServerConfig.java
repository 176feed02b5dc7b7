package io.redjar.internal.server;

import io.redjar.ErrorPrefix;
import io.redjar.RedJarException;
import io.redjar.internal.util.Glob;
import io.redjar.internal.util.MemoryUnits;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The runtime settings CONFIG GET/SET see: only the ones RedJar has (or must report for tools,
 * such as {@code save} and {@code appendonly}), with Redis's names, defaults, parsing and error
 * messages. Settings RedJar cannot honour (persistence, eviction) accept only the value that
 * describes what RedJar does.
 *
 * <p><b>Thread-safety:</b> thread-safe; the settings read on every command are volatile fields.
 */
public final class ServerConfig {
    /** Redis's policy names, as its CONFIG SET error lists them (RedJar's own two are accepted too). */
    private static final List<String> POLICIES = io.redjar.internal.eviction.access.EvictionPolicy.REDIS_NAMES;

    private enum Kind { INT, MEMORY, BOOL, ENUM, STRING }

    private static final class Param {
        final String name;
        final Kind kind;
        final boolean immutable;
        final long min;
        final long max;

        Param(String name, Kind kind, boolean immutable, long min, long max) {
            this.name = name;
            this.kind = kind;
            this.immutable = immutable;
            this.min = min;
            this.max = max;
        }
    }

    private final Map<String, Param> params = new LinkedHashMap<>();
    /** Old names Redis 7 still accepts for the collection thresholds. */
    private static final Map<String, String> ALIASES = Map.of(
        "hash-max-ziplist-entries", "hash-max-listpack-entries",
        "hash-max-ziplist-value", "hash-max-listpack-value",
        "zset-max-ziplist-entries", "zset-max-listpack-entries",
        "zset-max-ziplist-value", "zset-max-listpack-value",
        "list-max-ziplist-size", "list-max-listpack-size",
        "lua-time-limit", "busy-reply-threshold");
    private volatile io.redjar.internal.types.CollectionLimits limits = new io.redjar.internal.types.CollectionLimits();
    private final Map<String, String> values = new ConcurrentHashMap<>();

    /** Read on every command by the dispatcher. */
    volatile long slowlogLogSlowerThan = 10_000;
    volatile int slowlogMaxLen = 128;
    private volatile String requirepass;
    private volatile long maxmemory;
    private volatile io.redjar.internal.eviction.access.EvictionPolicy maxmemoryPolicy = io.redjar.internal.eviction.access.EvictionPolicy.NOEVICTION;
    private volatile int maxmemorySamples = 5;
    private volatile int evictionTenacity = 10;
    private volatile long latencyMonitorThreshold;
    private volatile boolean latencyTracking = true;
    private volatile double[] latencyPercentiles = {50, 99, 99.9};

    public ServerConfig() {
        def("databases", Kind.INT, true, 1, Integer.MAX_VALUE, "16");
        def("port", Kind.INT, true, 0, 65535, "0");
        def("bind", Kind.STRING, true, 0, 0, "");
        def("hz", Kind.INT, false, 0, Integer.MAX_VALUE, "10");
        def("requirepass", Kind.STRING, false, 0, 0, "");
        def("maxclients", Kind.INT, false, 1, Integer.MAX_VALUE, "10000");
        // the RESP server's event-loop threads (set at its start); an embedded store has no I/O
        def("io-threads", Kind.INT, true, 1, 128, "1");
        def("proto-max-bulk-len", Kind.MEMORY, false, 1024 * 1024, Long.MAX_VALUE, "536870912");
        def("slowlog-log-slower-than", Kind.INT, false, -1, Long.MAX_VALUE, "10000");
        def("slowlog-max-len", Kind.INT, false, 0, Long.MAX_VALUE, "128");
        def("client-query-buffer-limit", Kind.MEMORY, false, 1024 * 1024, Long.MAX_VALUE, "1073741824");
        def("client-output-buffer-limit", Kind.STRING, false, 0, 0,
            "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60");
        def("notify-keyspace-events", Kind.STRING, false, 0, 0, "");
        def("protected-mode", Kind.BOOL, false, 0, 0, "yes");
        // persistence (issue 10); the in-memory default: no save points, no AOF
        def("dir", Kind.STRING, false, 0, 0, System.getProperty("user.dir"));
        def("dbfilename", Kind.STRING, false, 0, 0, "dump.rdb");
        def("save", Kind.STRING, false, 0, 0, "");
        def("rdbcompression", Kind.BOOL, false, 0, 0, "yes");
        def("rdbchecksum", Kind.BOOL, false, 0, 0, "yes");
        def("stop-writes-on-bgsave-error", Kind.BOOL, false, 0, 0, "yes");
        def("rdb-save-incremental-fsync", Kind.BOOL, false, 0, 0, "yes");
        def("sanitize-dump-payload", Kind.STRING, false, 0, 0, "no");
        def("appendonly", Kind.BOOL, false, 0, 0, "no");
        def("appendfilename", Kind.STRING, true, 0, 0, "appendonly.aof");
        def("appenddirname", Kind.STRING, true, 0, 0, "appendonlydir");
        def("appendfsync", Kind.STRING, false, 0, 0, "everysec");
        def("auto-aof-rewrite-percentage", Kind.INT, false, 0, Integer.MAX_VALUE, "100");
        def("auto-aof-rewrite-min-size", Kind.MEMORY, false, 0, Long.MAX_VALUE, "67108864");
        def("aof-load-truncated", Kind.BOOL, false, 0, 0, "yes");
        def("aof-use-rdb-preamble", Kind.BOOL, false, 0, 0, "yes");
        def("aof-rewrite-incremental-fsync", Kind.BOOL, false, 0, 0, "yes");
        def("aof-timestamp-enabled", Kind.BOOL, false, 0, 0, "no");
        def("maxmemory", Kind.MEMORY, false, 0, Long.MAX_VALUE, "0");
        def("maxmemory-policy", Kind.ENUM, false, 0, 0, "noeviction");
        def("maxmemory-samples", Kind.INT, false, 1, Integer.MAX_VALUE, "5");
        def("maxmemory-eviction-tenacity", Kind.INT, false, 0, 100, "10");
        def("lfu-log-factor", Kind.INT, false, 0, Integer.MAX_VALUE, "10");
        def("lfu-decay-time", Kind.INT, false, 0, Integer.MAX_VALUE, "1");
        def("latency-monitor-threshold", Kind.INT, false, 0, Long.MAX_VALUE, "0");
        def("latency-tracking", Kind.BOOL, false, 0, 0, "yes");
        def("latency-tracking-info-percentiles", Kind.STRING, false, 0, 0, "50 99 99.9");
        def("hash-max-listpack-entries", Kind.INT, false, 0, Long.MAX_VALUE, "512");
        def("hash-max-listpack-value", Kind.INT, false, 0, Long.MAX_VALUE, "64");
        def("set-max-intset-entries", Kind.INT, false, 0, Long.MAX_VALUE, "512");
        def("zset-max-listpack-entries", Kind.INT, false, 0, Long.MAX_VALUE, "128");
        def("zset-max-listpack-value", Kind.INT, false, 0, Long.MAX_VALUE, "64");
        def("list-max-listpack-size", Kind.INT, false, Integer.MIN_VALUE, Integer.MAX_VALUE, "-2");
        def("stream-node-max-bytes", Kind.MEMORY, false, 0, Long.MAX_VALUE, "4096");
        def("stream-node-max-entries", Kind.INT, false, 0, Long.MAX_VALUE, "100");
        def("hll-sparse-max-bytes", Kind.MEMORY, false, 0, Long.MAX_VALUE, "3000");
        // milliseconds a script runs before other clients get BUSY (alias lua-time-limit)
        def("busy-reply-threshold", Kind.INT, false, 0, Long.MAX_VALUE, "5000");
        // client-side caching: keys the tracking table remembers before it evicts (0: no limit)
        def("tracking-table-max-keys", Kind.INT, false, 0, Long.MAX_VALUE, "1000000");
        for (String lazy : List.of("lazyfree-lazy-eviction", "lazyfree-lazy-expire", "lazyfree-lazy-server-del",
            "lazyfree-lazy-user-del", "lazyfree-lazy-user-flush", "replica-lazy-flush")) {
            def(lazy, Kind.BOOL, false, 0, 0, "no");
        }
    }

    /** @return the collection encoding thresholds CONFIG SET drives (the engine's, once bound) */
    public io.redjar.internal.types.CollectionLimits limits() {
        return limits;
    }

    /** Makes CONFIG SET of the collection thresholds drive {@code l} (the engine's limits). */
    public void bind(io.redjar.internal.types.CollectionLimits l) {
        this.limits = l;
        for (String n : List.of("hash-max-listpack-entries", "hash-max-listpack-value", "set-max-intset-entries",
            "zset-max-listpack-entries", "zset-max-listpack-value", "list-max-listpack-size", "proto-max-bulk-len",
            "stream-node-max-bytes", "stream-node-max-entries", "hll-sparse-max-bytes")) {
            apply(params.get(n), values.get(n));
        }
    }

    private static String canonical(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return ALIASES.getOrDefault(n, n);
    }

    private void def(String name, Kind kind, boolean immutable, long min, long max, String initial) {
        params.put(name, new Param(name, kind, immutable, min, max));
        values.put(name, initial);
    }

    /** Sets a value at startup, bypassing the immutability check (the server's own options). */
    public void initial(String name, String value) {
        Param p = params.get(name);
        if (p == null) {
            throw new IllegalArgumentException("unknown config " + name);
        }
        apply(p, validate(p, value));
    }

    /** @return the current value of {@code name}, or null if there is no such setting */
    public String get(String name) {
        return values.get(name);
    }

    /** @return the password clients must AUTH with, or null */
    public String requirepass() {
        return requirepass;
    }

    public long longValue(String name) {
        return Long.parseLong(values.get(name));
    }

    /** @return every setting whose name matches one of the glob patterns, sorted by name */
    public Map<String, String> match(byte[][] patterns, int from) {
        Map<String, String> out = new TreeMap<>();
        for (int i = from; i < patterns.length; i++) {
            String pat = new String(patterns[i], StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
            // Redis 7.0 lists an alias under its own name, with its target's value
            Param exact = params.get(canonical(pat));
            if (exact != null) {
                out.put(pat, values.get(exact.name));
                continue;
            }
            byte[] pb = pat.getBytes(StandardCharsets.UTF_8);
            for (String name : params.keySet()) {
                if (Glob.match(pb, name.getBytes(StandardCharsets.UTF_8), true)) {
                    out.put(name, values.get(name));
                }
            }
            for (Map.Entry<String, String> alias : ALIASES.entrySet()) {
                if (Glob.match(pb, alias.getKey().getBytes(StandardCharsets.UTF_8), true)) {
                    out.put(alias.getKey(), values.get(alias.getValue()));
                }
            }
        }
        return out;
    }

    /**
     * CONFIG SET name value [name value ...]: validates every pair first, then applies them all,
     * or none.
     */
    public void set(byte[][] a, int from) {
        set(a, from, false);
    }

    /**
     * A setting given when the store or server starts (the builder, redis-server style options):
     * as CONFIG SET, but immutable settings ({@code appendfilename}, {@code databases}...) may be
     * set too.
     */
    public void setAtStartup(String name, String value) {
        startupNames.add(canonical(name));
        set(new byte[][] {name.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8)}, 0, true);
    }

    private void set(byte[][] a, int from, boolean startup) {
        Map<Param, String> parsed = new LinkedHashMap<>();
        for (int i = from; i + 1 < a.length; i += 2) {
            String name = new String(a[i], StandardCharsets.UTF_8);
            Param p = params.get(canonical(name));
            if (p == null) {
                throw new RedJarException(ErrorPrefix.ERR, "Unknown option or number of arguments for CONFIG SET - '" + name + "'");
            }
            if (parsed.containsKey(p)) {
                throw failed(p, "duplicate parameter");
            }
            if (p.immutable && !startup) {
                throw failed(p, "can't set immutable config");
            }
            parsed.put(p, validate(p, new String(a[i + 1], StandardCharsets.UTF_8)));
        }
        for (Map.Entry<Param, String> e : parsed.entrySet()) {
            apply(e.getKey(), e.getValue());
        }
    }

    private static RedJarException failed(Param p, String why) {
        return new RedJarException(ErrorPrefix.ERR, "CONFIG SET failed (possibly related to argument '" + p.name + "') - " + why);
    }

    /** @return the canonical value to store; throws Redis's error if {@code v} is not acceptable */
    private String validate(Param p, String v) {
        switch (p.kind) {
            case INT: {
                long n;
                try {
                    n = Long.parseLong(v);
                } catch (NumberFormatException e) {
                    throw failed(p, "argument couldn't be parsed into an integer");
                }
                if (n < p.min || n > p.max) {
                    throw failed(p, "argument must be between " + p.min + " and " + p.max + " inclusive");
                }
                return Long.toString(n);
            }
            case MEMORY: {
                long n = parseMemory(v);
                if (n < 0) {
                    throw failed(p, "argument must be a memory value");
                }
                if (n < p.min || n > p.max) {
                    throw failed(p, "argument must be between " + p.min + " and " + p.max + " inclusive");
                }
                return Long.toString(n);
            }
            case BOOL: {
                String b = v.toLowerCase(Locale.ROOT);
                if (!b.equals("yes") && !b.equals("no")) {
                    throw failed(p, "argument must be 'yes' or 'no'");
                }
                return b;
            }
            case ENUM: {
                io.redjar.internal.eviction.access.EvictionPolicy policy = io.redjar.internal.eviction.access.EvictionPolicy.of(v);
                if (policy == null) {
                    throw failed(p, "argument(s) must be one of the following: " + String.join(", ", POLICIES));
                }
                return policy.configName();
            }
            default:
                if (p.name.equals("latency-tracking-info-percentiles")) {
                    return formatPercentiles(parsePercentilesOrFail(p, v));
                }
                if (p.name.equals("notify-keyspace-events")) {
                    int f = NotifyFlags.parse(v);
                    if (f < 0) {
                        throw failed(p, "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
                    }
                    return NotifyFlags.format(f);
                }
                if (p.name.equals("client-output-buffer-limit")) {
                    return outputBufferLimit(p, v);
                }
                if (p.name.equals("save")) {
                    return SavePoints.canonical(v, why -> failed(p, why));
                }
                if (p.name.equals("appendfsync")) {
                    String f = v.toLowerCase(Locale.ROOT);
                    if (!f.equals("always") && !f.equals("everysec") && !f.equals("no")) {
                        throw failed(p, "argument(s) must be one of the following: always, everysec, no");
                    }
                    return f;
                }
                if (p.name.equals("sanitize-dump-payload")) {
                    String f = v.toLowerCase(Locale.ROOT);
                    if (!f.equals("no") && !f.equals("yes") && !f.equals("clients")) {
                        throw failed(p, "argument(s) must be one of the following: no, yes, clients");
                    }
                    return f;
                }
                if ((p.name.equals("dbfilename") || p.name.equals("appendfilename")) && !v.equals(new java.io.File(v).getName())) {
                    throw failed(p, "dbfilename can't be a path, just a filename");
                }
                if (p.name.equals("dir")) {
                    java.io.File d = new java.io.File(v);
                    if (!d.isDirectory()) {
                        throw failed(p, "No such file or directory");
                    }
                    return d.getAbsoluteFile().toPath().normalize().toString();
                }
                return v;
        }
    }

    private static final java.util.List<String> CLIENT_CLASSES = java.util.List.of("normal", "slave", "pubsub");

    /**
     * Redis 7.0's {@code client-output-buffer-limit}: groups of {@code <class> <hard> <soft>
     * <seconds>} ({@code replica} is {@code slave}); the classes named replace theirs, the others
     * keep their values.
     */
    private String outputBufferLimit(Param p, String v) {
        String[] t = v.trim().isEmpty() ? new String[0] : v.trim().split("\\s+");
        if (t.length % 4 != 0) {
            throw failed(p, "Wrong number of arguments in buffer limit configuration.");
        }
        String[] cur = values.get(p.name).split(" ");
        for (int i = 0; i < t.length; i += 4) {
            String cls = t[i].toLowerCase(Locale.ROOT);
            if (cls.equals("replica")) {
                cls = "slave";
            }
            int at = CLIENT_CLASSES.indexOf(cls);
            if (at < 0) {
                throw failed(p, "Invalid client class specified in buffer limit configuration.");
            }
            long hard = parseMemory(t[i + 1]);
            long soft = parseMemory(t[i + 2]);
            long secs;
            try {
                secs = Long.parseLong(t[i + 3]);
            } catch (NumberFormatException e) {
                secs = -1;
            }
            if (hard < 0 || soft < 0 || secs < 0) {
                throw failed(p, "Error in hard, soft or soft_seconds setting in buffer limit configuration.");
            }
            cur[at * 4 + 1] = Long.toString(hard);
            cur[at * 4 + 2] = Long.toString(soft);
            cur[at * 4 + 3] = Long.toString(secs);
        }
        return String.join(" ", cur);
    }

    /** @return the {@code pubsub} class of {@code client-output-buffer-limit}: hard, soft, soft seconds */
    public long[] pubsubOutputLimit() {
        return pubsubLimit;
    }

    /** @return the {@code notify-keyspace-events} bits (Redis's {@code NOTIFY_*}) */
    public int notifyKeyspaceEvents() {
        return notifyFlags;
    }

    private volatile int notifyFlags;
    private volatile java.util.function.IntConsumer notifyHook;

    /**
     * Tells {@code hook} the {@code notify-keyspace-events} bits now and after each change (the
     * engine registers its notifier only while they are not 0, so a store without notifications
     * has no key-event listener for them).
     */
    /** Settings given at start-up (the builder, the server's options). */
    private final java.util.Set<String> startupNames = ConcurrentHashMap.newKeySet();

    /** @return whether {@code name} was given at start-up rather than left at its default */
    public boolean setAtStartup(String name) {
        return startupNames.contains(canonical(name));
    }

    private final Map<String, java.util.List<java.util.function.Consumer<String>>> changeHooks = new ConcurrentHashMap<>();

    /**
     * Calls {@code hook} with the new value each time {@code name} is set (CONFIG SET, the
     * builder, the server's options), after the value is stored.
     */
    public void onChange(String name, java.util.function.Consumer<String> hook) {
        changeHooks.computeIfAbsent(name, n -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(hook);
    }

    public void onNotifyKeyspaceEvents(java.util.function.IntConsumer hook) {
        this.notifyHook = hook;
        hook.accept(notifyFlags);
    }
    private volatile long[] pubsubLimit = {33554432, 8388608, 60};

    private void apply(Param p, String v) {
        values.put(p.name, v);
        switch (p.name) {
            case "slowlog-log-slower-than" -> slowlogLogSlowerThan = Long.parseLong(v);
            case "slowlog-max-len" -> slowlogMaxLen = (int) Math.min(Integer.MAX_VALUE, Long.parseLong(v));
            case "requirepass" -> requirepass = v.isEmpty() ? null : v;
            case "maxmemory" -> maxmemory = Long.parseLong(v);
            case "maxmemory-policy" -> maxmemoryPolicy = io.redjar.internal.eviction.access.EvictionPolicy.of(v);
            case "maxmemory-samples" -> maxmemorySamples = clamp(v);
            case "maxmemory-eviction-tenacity" -> evictionTenacity = clamp(v);
            case "latency-monitor-threshold" -> latencyMonitorThreshold = Long.parseLong(v);
            case "latency-tracking" -> latencyTracking = v.equals("yes");
            case "latency-tracking-info-percentiles" -> latencyPercentiles = parsePercentiles(v);
            case "notify-keyspace-events" -> {
                notifyFlags = NotifyFlags.parse(v);
                java.util.function.IntConsumer h = notifyHook;
                if (h != null) {
                    h.accept(notifyFlags);
                }
            }
            case "client-output-buffer-limit" -> {
                String[] cur = v.split(" ");
                pubsubLimit = new long[] {Long.parseLong(cur[9]), Long.parseLong(cur[10]), Long.parseLong(cur[11])};
            }
            case "hash-max-listpack-entries" -> limits.hashMaxListpackEntries = clamp(v);
            case "hash-max-listpack-value" -> limits.hashMaxListpackValue = clamp(v);
            case "set-max-intset-entries" -> limits.setMaxIntsetEntries = clamp(v);
            case "zset-max-listpack-entries" -> limits.zsetMaxListpackEntries = clamp(v);
            case "zset-max-listpack-value" -> limits.zsetMaxListpackValue = clamp(v);
            case "list-max-listpack-size" -> limits.listMaxListpackSize = clamp(v);
            case "proto-max-bulk-len" -> limits.protoMaxBulkLen = Long.parseLong(v);
            case "stream-node-max-bytes" -> limits.streamNodeMaxBytes = Long.parseLong(v);
            case "stream-node-max-entries" -> limits.streamNodeMaxEntries = Long.parseLong(v);
            case "hll-sparse-max-bytes" -> limits.hllSparseMaxBytes = Long.parseLong(v);
            default -> {
            }
        }
        // after the fields above: a hook reading them sees the new value
        java.util.List<java.util.function.Consumer<String>> hooks = changeHooks.get(p.name);
        if (hooks != null) {
            for (java.util.function.Consumer<String> h : hooks) {
                h.accept(v);
            }
        }
    }

    private static int clamp(String v) {
        long n = Long.parseLong(v);
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, n));
    }

    /** Redis's {@code memtoull}: a number with an optional k/kb/m/mb/g/gb unit; -1 when invalid. */
    public static long parseMemory(String v) {
        return MemoryUnits.parse(v);
    }

    /** @return {@code latency-monitor-threshold} in milliseconds; 0: the latency monitor is off */
    public long latencyMonitorThreshold() {
        return latencyMonitorThreshold;
    }

    /** @return {@code latency-tracking}: whether per-command latency histograms are fed */
    public boolean latencyTracking() {
        return latencyTracking;
    }

    /** @return {@code latency-tracking-info-percentiles} (a copy) */
    public double[] latencyPercentiles() {
        return latencyPercentiles.clone();
    }

    private static double[] parsePercentilesOrFail(Param p, String v) {
        String[] parts = v.trim().isEmpty() ? new String[0] : v.trim().split("\\s+");
        double[] out = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            double d;
            try {
                d = Double.parseDouble(parts[i]);
            } catch (NumberFormatException e) {
                d = Double.NaN;
            }
            if (Double.isNaN(d) || !parts[i].matches("[-+]?[0-9.eE+-]+")) {
                throw failed(p, "Invalid latency-tracking-info-percentiles parameters");
            }
            if (d > 100.0 || d < 0.0) {
                throw failed(p, "latency-tracking-info-percentiles parameters should sit between [0.0,100.0]");
            }
            out[i] = d;
        }
        return out;
    }

    private static double[] parsePercentiles(String v) {
        String t = v.trim();
        if (t.isEmpty()) {
            return new double[0];
        }
        String[] parts = t.split("\\s+");
        double[] out = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = Double.parseDouble(parts[i]);
        }
        return out;
    }

    /** @return {@code 50}, {@code 99.9}: a percentile as CONFIG GET and INFO show it */
    public static String formatPercentile(double d) {
        return new java.math.BigDecimal(Double.toString(d)).stripTrailingZeros().toPlainString();
    }

    private static String formatPercentiles(double[] ps) {
        StringBuilder sb = new StringBuilder();
        for (double d : ps) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(formatPercentile(d));
        }
        return sb.toString();
    }

    /** @return {@code maxmemory} in bytes; 0 means no limit */
    public long maxmemory() {
        return maxmemory;
    }

    /** @return {@code maxmemory-policy} */
    public io.redjar.internal.eviction.access.EvictionPolicy maxmemoryPolicy() {
        return maxmemoryPolicy;
    }

    /** @return {@code maxmemory-samples} */
    public int maxmemorySamples() {
        return maxmemorySamples;
    }

    /** @return {@code maxmemory-eviction-tenacity} (0..100) */
    public int evictionTenacity() {
        return evictionTenacity;
    }

    /** @return {@code slowlog-log-slower-than} in microseconds (negative: the slow log is off) */
    public long slowlogLogSlowerThan() {
        return slowlogLogSlowerThan;
    }

    /** @return {@code slowlog-max-len} */
    public int slowlogMaxLen() {
        return slowlogMaxLen;
    }
}
