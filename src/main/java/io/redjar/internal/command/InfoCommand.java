package io.redjar.internal.command;

import io.redjar.internal.server.ServerConfig;
import io.redjar.internal.server.ServerState;
import io.redjar.internal.server.CommandStats;
import io.redjar.internal.server.ServerHooks;
import io.redjar.Reply;
import io.redjar.internal.types.KeyOps;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static io.redjar.internal.command.CommandFlag.LOADING;
import static io.redjar.internal.command.CommandFlag.STALE;

/**
 * INFO [section ...] with Redis 7.0's section names, field names and {@code # Section} format
 * (CRLF line endings). Fields RedJar has no equivalent for are reported with the value that is
 * true for it (no persistence, no replicas, no forks); keyspace_hits/misses and expired_keys are
 * not tracked and therefore not reported.
 */
public final class InfoCommand {
    private static final List<String> DEFAULT = List.of("server", "clients", "memory", "persistence", "stats",
        "replication", "cpu", "modules", "errorstats", "cluster", "keyspace");

    private InfoCommand() {
    }

    /** Adds INFO to {@code t}. */
    public static void register(CommandTable t) {
        t.add("info", -1).flags(LOADING, STALE)
            .tips("nondeterministic_output", "request_policy:all_shards", "response_policy:special")
            .doc("server", "Get information and statistics about the server")
            .handler((c, a) -> new Reply.Verbatim("txt", info(c, a)));
    }

    /** @return the INFO text for the sections named in {@code a[1..]} */
    public static String info(ExecContext c, byte[][] a) {
        Set<String> sections = new LinkedHashSet<>();
        if (a.length == 1) {
            sections.addAll(DEFAULT);
        }
        for (int i = 1; i < a.length; i++) {
            String s = Args.str(a[i]).toLowerCase(Locale.ROOT);
            switch (s) {
                case "default" -> sections.addAll(DEFAULT);
                case "all", "everything" -> {
                    sections.addAll(DEFAULT);
                    sections.add("commandstats");
                    sections.add("latencystats");
                }
                default -> sections.add(s);
            }
        }
        StringBuilder sb = new StringBuilder(2048);
        for (String s : order(sections)) {
            int before = sb.length();
            if (before > 0) {
                sb.append("\r\n");
            }
            if (!section(c, s, sb)) {
                sb.setLength(before);
            }
        }
        return sb.toString();
    }

    /** Redis emits sections in its own order, whatever order they were asked in. */
    private static List<String> order(Set<String> asked) {
        List<String> all = new ArrayList<>(DEFAULT);
        all.add(all.indexOf("errorstats"), "commandstats");
        all.add(all.indexOf("errorstats") + 1, "latencystats");
        List<String> out = new ArrayList<>();
        for (String s : all) {
            if (asked.contains(s)) {
                out.add(s);
            }
        }
        return out;
    }

    private static void f(StringBuilder sb, String name, Object value) {
        sb.append(name).append(':').append(value).append("\r\n");
    }

    private static String human(long bytes) {
        double d = bytes;
        if (bytes < 1024) {
            return bytes + "B";
        } else if (bytes < 1024L * 1024) {
            return String.format(Locale.ROOT, "%.2fK", d / 1024);
        } else if (bytes < 1024L * 1024 * 1024) {
            return String.format(Locale.ROOT, "%.2fM", d / (1024 * 1024));
        } else {
            return String.format(Locale.ROOT, "%.2fG", d / (1024L * 1024 * 1024));
        }
    }

    private static boolean section(ExecContext c, String name, StringBuilder sb) {
        ServerState st = c.engine().server();
        ServerConfig cfg = st.config();
        ServerHooks hooks = st.hooks();
        switch (name) {
            case "server": {
                long now = System.currentTimeMillis();
                long up = (now - st.startMillis()) / 1000;
                sb.append("# Server\r\n");
                f(sb, "redis_version", ServerState.REDIS_VERSION);
                f(sb, "redis_git_sha1", "00000000");
                f(sb, "redis_git_dirty", 0);
                f(sb, "redis_build_id", "0");
                f(sb, "redis_mode", "standalone");
                f(sb, "os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
                f(sb, "arch_bits", "64");
                f(sb, "monotonic_clock", "System.nanoTime");
                f(sb, "multiplexing_api", hooks == null ? "none" : hooks.multiplexingApi());
                f(sb, "process_id", ProcessHandle.current().pid());
                f(sb, "process_supervised", "no");
                f(sb, "run_id", st.runId());
                f(sb, "tcp_port", hooks == null ? 0 : hooks.tcpPort());
                f(sb, "server_time_usec", now * 1000);
                f(sb, "uptime_in_seconds", up);
                f(sb, "uptime_in_days", up / 86400);
                f(sb, "hz", cfg.get("hz"));
                f(sb, "configured_hz", cfg.get("hz"));
                f(sb, "lru_clock", (now / 1000) & ((1 << 24) - 1));
                f(sb, "executable", "");
                f(sb, "config_file", "");
                f(sb, "io_threads_active", 0);
                f(sb, "redjar_version", ServerState.VERSION);
                f(sb, "java_version", System.getProperty("java.version"));
                return true;
            }
            case "clients":
                sb.append("# Clients\r\n");
                f(sb, "connected_clients", hooks == null ? 0 : hooks.connectedClients());
                f(sb, "cluster_connections", 0);
                f(sb, "maxclients", cfg.get("maxclients"));
                f(sb, "client_recent_max_input_buffer", 0);
                f(sb, "client_recent_max_output_buffer", 0);
                f(sb, "blocked_clients", c.engine().blocking().blocked());
                f(sb, "tracking_clients", c.engine().trackingCounts().trackingClients());
                f(sb, "clients_in_timeout_table", 0);
                return true;
            case "memory": {
                long used = c.engine().keyspace().usedMemory();
                long peak = st.peakMemory(used);
                long max = cfg.longValue("maxmemory");
                MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
                sb.append("# Memory\r\n");
                f(sb, "used_memory", used);
                f(sb, "used_memory_human", human(used));
                f(sb, "used_memory_rss", used);
                f(sb, "used_memory_rss_human", human(used));
                f(sb, "used_memory_peak", peak);
                f(sb, "used_memory_peak_human", human(peak));
                f(sb, "used_memory_dataset", used);
                long[] scripts = c.engine().scriptCacheStats();
                f(sb, "used_memory_scripts_eval", scripts[1]);
                f(sb, "number_of_cached_scripts", scripts[0]);
                long[] functions = c.engine().functionStats();
                f(sb, "number_of_functions", functions[0]);
                f(sb, "number_of_libraries", functions[1]);
                f(sb, "used_memory_functions", functions[2]);
                f(sb, "maxmemory", max);
                f(sb, "maxmemory_human", human(max));
                f(sb, "maxmemory_policy", cfg.get("maxmemory-policy"));
                f(sb, "mem_fragmentation_ratio", "1.00");
                f(sb, "mem_allocator", "redjar-slab");
                f(sb, "lazyfree_pending_objects", 0);
                f(sb, "jvm_heap_used", heap.getUsed());
                f(sb, "jvm_heap_max", heap.getMax());
                return true;
            }
            case "persistence": {
                sb.append("# Persistence\r\n");
                io.redjar.internal.server.PersistenceHooks p = st.persistence();
                if (p != null) {
                    p.appendInfo(sb);
                    return true;
                }
                f(sb, "loading", 0);
                f(sb, "async_loading", 0);
                f(sb, "rdb_changes_since_last_save", 0);
                f(sb, "rdb_bgsave_in_progress", 0);
                f(sb, "rdb_last_save_time", st.startMillis() / 1000);
                f(sb, "rdb_last_bgsave_status", "ok");
                f(sb, "aof_enabled", 0);
                return true;
            }
            case "stats": {
                long commands = 0;
                for (CommandSpec s : c.engine().table().all()) {
                    commands += s.stats().calls();
                    for (CommandSpec sub : s.subcommands().values()) {
                        commands += sub.stats().calls();
                    }
                }
                sb.append("# Stats\r\n");
                f(sb, "total_connections_received", hooks == null ? 0 : hooks.totalConnectionsReceived());
                f(sb, "total_commands_processed", commands);
                f(sb, "instantaneous_ops_per_sec", 0);
                f(sb, "rejected_connections", hooks == null ? 0 : hooks.rejectedConnections());
                io.redjar.internal.server.EvictionStats ev = c.engine().evictionStats();
                f(sb, "evicted_keys", ev.evictedKeys());
                f(sb, "total_eviction_exceeded_time", ev.totalExceededMillis());
                f(sb, "current_eviction_exceeded_time", ev.currentExceededMillis());
                io.redjar.internal.server.PubSubCounts ps = c.engine().pubsubCounts();
                f(sb, "pubsub_channels", ps.channels());
                f(sb, "pubsub_patterns", ps.patterns());
                f(sb, "pubsubshard_channels", ps.shardChannels());
                io.redjar.internal.server.TrackingCounts tc = c.engine().trackingCounts();
                f(sb, "tracking_total_keys", tc.trackingKeys());
                f(sb, "tracking_total_items", tc.trackingItems());
                f(sb, "tracking_total_prefixes", tc.trackingPrefixes());
                f(sb, "total_error_replies", st.totalErrorReplies());
                return true;
            }
            case "replication":
                sb.append("# Replication\r\n");
                f(sb, "role", "master");
                f(sb, "connected_slaves", 0);
                f(sb, "master_failover_state", "no-failover");
                f(sb, "master_replid", st.runId());
                f(sb, "master_replid2", "0000000000000000000000000000000000000000");
                f(sb, "master_repl_offset", 0);
                f(sb, "second_repl_offset", -1);
                f(sb, "repl_backlog_active", 0);
                f(sb, "repl_backlog_size", 1048576);
                f(sb, "repl_backlog_first_byte_offset", 0);
                f(sb, "repl_backlog_histlen", 0);
                return true;
            case "cpu": {
                double total = 0;
                double user = 0;
                if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
                    total = os.getProcessCpuTime() / 1e9;
                }
                ThreadMXBean threads = ManagementFactory.getThreadMXBean();
                if (threads.isThreadCpuTimeSupported()) {
                    for (long id : threads.getAllThreadIds()) {
                        long u = threads.getThreadUserTime(id);
                        user += u > 0 ? u / 1e9 : 0;
                    }
                }
                double sys = Math.max(0, total - user);
                sb.append("# CPU\r\n");
                f(sb, "used_cpu_sys", String.format(Locale.ROOT, "%.6f", sys));
                f(sb, "used_cpu_user", String.format(Locale.ROOT, "%.6f", Math.min(user, total)));
                f(sb, "used_cpu_sys_children", "0.000000");
                f(sb, "used_cpu_user_children", "0.000000");
                return true;
            }
            case "modules":
                sb.append("# Modules\r\n");
                return true;
            case "commandstats":
                sb.append("# Commandstats\r\n");
                for (CommandSpec s : IntrospectionCommands.sorted(c.engine().table().all())) {
                    cmdstat(s, sb);
                    for (CommandSpec sub : IntrospectionCommands.sorted(s.subcommands().values())) {
                        cmdstat(sub, sb);
                    }
                }
                return true;
            case "latencystats": {
                sb.append("# Latencystats\r\n");
                double[] ps = st.config().latencyPercentiles();
                for (CommandSpec s : IntrospectionCommands.sorted(c.engine().table().all())) {
                    latencystat(s, ps, sb);
                    for (CommandSpec sub : IntrospectionCommands.sorted(s.subcommands().values())) {
                        latencystat(sub, ps, sb);
                    }
                }
                return true;
            }
            case "errorstats":
                sb.append("# Errorstats\r\n");
                for (Map.Entry<String, Long> e : st.errorCounts().entrySet()) {
                    f(sb, "errorstat_" + e.getKey(), "count=" + e.getValue());
                }
                return true;
            case "cluster":
                sb.append("# Cluster\r\n");
                f(sb, "cluster_enabled", 0);
                return true;
            case "keyspace": {
                sb.append("# Keyspace\r\n");
                KeyOps keys = c.engine().keys();
                for (int db = 0; db < c.engine().keyspace().databases(); db++) {
                    long n = keys.dbSize(db);
                    if (n > 0) {
                        f(sb, "db" + db, "keys=" + n + ",expires=" + keys.expiresCount(db) + ",avg_ttl=0");
                    }
                }
                return true;
            }
            default:
                return false;
        }
    }

    private static void cmdstat(CommandSpec s, StringBuilder sb) {
        CommandStats cs = s.stats();
        long calls = cs.calls();
        long rejected = cs.rejectedCalls();
        long failed = cs.failedCalls();
        if (calls == 0 && rejected == 0 && failed == 0) {
            return;
        }
        long usec = cs.usec();
        f(sb, "cmdstat_" + s.fullName(), "calls=" + calls + ",usec=" + usec + ",usec_per_call="
            + String.format(Locale.ROOT, "%.2f", calls == 0 ? 0.0 : (double) usec / calls)
            + ",rejected_calls=" + rejected + ",failed_calls=" + failed);
    }

    /** CONFIG RESETSTAT: command and error counters. */
    static void resetStats(ExecContext c) {
        for (CommandSpec s : c.engine().table().all()) {
            s.stats().reset();
            for (CommandSpec sub : s.subcommands().values()) {
                sub.stats().reset();
            }
        }
        c.engine().server().resetStats();
        c.engine().evictionStats().resetStats();
    }

    /** One {@code latency_percentiles_usec_<command>:p50=...,p99=...} line (Redis's format: %.3f usec). */
    private static void latencystat(CommandSpec s, double[] percentiles, StringBuilder sb) {
        org.HdrHistogram.AtomicHistogram live = s.stats().histogram();
        if (live == null) {
            return;
        }
        org.HdrHistogram.Histogram h = new org.HdrHistogram.Histogram(live.getLowestDiscernibleValue(),
            live.getHighestTrackableValue(), live.getNumberOfSignificantValueDigits());
        h.add(live); // a snapshot, consistent while other threads record
        sb.append("latency_percentiles_usec_").append(s.fullName()).append(':');
        for (int i = 0; i < percentiles.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append('p').append(io.redjar.internal.server.ServerConfig.formatPercentile(percentiles[i])).append('=')
                .append(String.format(Locale.ROOT, "%.3f", h.getValueAtPercentile(percentiles[i]) / 1000.0));
        }
        sb.append("\r\n");
    }
}
