package io.redjar.internal.command;

import io.redjar.Reply;
import io.redjar.SyntaxException;
import io.redjar.internal.server.ServerState;
import io.redjar.internal.types.KeyOps;
import io.redjar.internal.util.Numbers;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.redjar.internal.command.CommandFlag.LOADING;
import static io.redjar.internal.command.CommandFlag.READONLY;
import static io.redjar.internal.command.CommandFlag.STALE;
import static io.redjar.internal.command.KeySpec.index;
import static io.redjar.internal.command.KeyFlag.RO;

/**
 * MEMORY USAGE / STATS / DOCTOR / MALLOC-STATS / PURGE / HELP (Redis 7.0's {@code memoryCommand}).
 *
 * <p>RedJar's figures are its own allocator's: values live in per-shard slab allocators off the
 * heap, so {@code MEMORY USAGE} is exact (the key's table slot, its entry block and every block its
 * value owns, size-class rounded) rather than sampled, and {@code SAMPLES} is checked as Redis
 * checks it but does not change the answer. {@code MEMORY STATS} has Redis's fields; those for
 * parts RedJar has not got (replication backlog, AOF buffer, cluster links) are 0, and the
 * allocator figures are the slab allocators' (no jemalloc: fragmentation is reported as none).
 * {@code MEMORY DOCTOR} applies Redis's rules that make sense here (an almost empty instance, a
 * peak above 150% of current use). {@code MALLOC-STATS} answers as a Redis built without jemalloc
 * does; {@code PURGE} has nothing to purge (freed slab pages go back at once) and answers OK.
 *
 * <p><b>Thread-safety:</b> stateless; the figures are read under the shard locks one at a time.
 */
public final class MemoryCommands {
    private static final String G = "server";
    /** Redis's "empty instance" threshold of MEMORY DOCTOR: 5 MB allocated. */
    private static final long DOCTOR_EMPTY = 5L * 1024 * 1024;

    private MemoryCommands() {
    }

    private static KeyOps ops(ExecContext c) {
        return c.engine().keys();
    }

    public static void register(CommandTable t) {
        t.add("memory", -2).doc(G, "A container for memory diagnostics commands").handler((c, a) -> {
            throw new IllegalStateException("container command");
        });
        t.addSub("memory", "usage", -3).flags(READONLY)
            .keySpecs(index(2).range(0, 1, 0).flags(RO))
            .doc(G, "Estimate the memory usage of a key")
            .handler((c, a) -> {
                for (int j = 3; j < a.length; j++) {
                    if (j + 1 < a.length && new String(a[j], StandardCharsets.US_ASCII).equalsIgnoreCase("samples")) {
                        long samples = Numbers.parseLong(a[j + 1]);
                        if (samples < 0) {
                            throw new SyntaxException();
                        }
                        j++;
                    } else {
                        throw new SyntaxException();
                    }
                }
                long bytes = ops(c).memoryUsage(c.db(), a[2]);
                return bytes < 0 ? Reply.NULL : Reply.integer(bytes);
            });
        t.addSub("memory", "stats", 2)
            .tips("nondeterministic_output", "request_policy:all_shards", "response_policy:special")
            .doc(G, "Show memory usage details")
            .handler((c, a) -> stats(c));
        t.addSub("memory", "doctor", 2)
            .tips("nondeterministic_output", "request_policy:all_shards", "response_policy:special")
            .doc(G, "Output memory problems report")
            .handler((c, a) -> new Reply.Verbatim("txt", doctor(c)));
        t.addSub("memory", "malloc-stats", 2)
            .tips("nondeterministic_output", "request_policy:all_shards", "response_policy:special")
            .doc(G, "Show allocator internal stats")
            .handler((c, a) -> Reply.bulk("Stats not supported for the current allocator"));
        t.addSub("memory", "purge", 2)
            .tips("request_policy:all_shards", "response_policy:all_succeeded")
            .doc(G, "Ask the allocator to release memory")
            .handler((c, a) -> Reply.OK);
        t.addSub("memory", "help", 2).flags(LOADING, STALE)
            .doc(G, "Show helpful text about the different subcommands")
            .handler((c, a) -> KeyCommands.help("MEMORY",
                "DOCTOR",
                "    Return memory problems reports.",
                "MALLOC-STATS",
                "    Return internal statistics report from the memory allocator.",
                "PURGE",
                "    Attempt to purge dirty pages for reclamation by the allocator.",
                "STATS",
                "    Return information about the memory usage of the server.",
                "USAGE <key> [SAMPLES <count>]",
                "    Return memory in bytes used by <key> and its value. Nested values are",
                "    sampled up to <count> times (default: 5, 0 means sample all)."));
    }

    private static Reply stats(ExecContext c) {
        ServerState st = c.engine().server();
        long used = c.engine().keyspace().usedMemory();
        long peak = st.peakMemory(used);
        KeyOps keys = ops(c);
        int dbs = c.engine().keyspace().databases();
        List<Reply> m = new ArrayList<>();
        put(m, "peak.allocated", peak);
        put(m, "total.allocated", used);
        put(m, "startup.allocated", 0);
        put(m, "replication.backlog", 0);
        put(m, "clients.slaves", 0);
        put(m, "clients.normal", 0);
        put(m, "cluster.links", 0);
        put(m, "aof.buffer", 0);
        put(m, "lua.caches", 0);
        put(m, "functions.caches", 0);
        long overhead = 0;
        long totalKeys = 0;
        for (int db = 0; db < dbs; db++) {
            long n = keys.dbSize(db);
            if (n == 0) {
                continue;
            }
            totalKeys += n;
            long table = keys.tableBytes(db);
            overhead += table;
            m.add(Reply.bulk("db." + db));
            List<Reply> d = new ArrayList<>();
            put(d, "overhead.hashtable.main", table);
            put(d, "overhead.hashtable.expires", 0);
            put(d, "overhead.hashtable.slot-to-keys", 0);
            m.add(new Reply.Map(d));
        }
        long dataset = Math.max(0, used - overhead);
        put(m, "overhead.total", overhead);
        put(m, "keys.count", totalKeys);
        put(m, "keys.bytes-per-key", totalKeys == 0 ? 0 : used / totalKeys);
        put(m, "dataset.bytes", dataset);
        m.add(Reply.bulk("dataset.percentage"));
        m.add(new Reply.DoubleReply(used == 0 ? 0 : dataset * 100.0 / used));
        m.add(Reply.bulk("peak.percentage"));
        m.add(new Reply.DoubleReply(peak == 0 ? 0 : used * 100.0 / peak));
        put(m, "allocator.allocated", used);
        put(m, "allocator.active", used);
        put(m, "allocator.resident", used);
        m.add(Reply.bulk("allocator-fragmentation.ratio"));
        m.add(new Reply.DoubleReply(1.0));
        put(m, "allocator-fragmentation.bytes", 0);
        m.add(Reply.bulk("allocator-rss.ratio"));
        m.add(new Reply.DoubleReply(1.0));
        put(m, "allocator-rss.bytes", 0);
        m.add(Reply.bulk("rss-overhead.ratio"));
        m.add(new Reply.DoubleReply(1.0));
        put(m, "rss-overhead.bytes", 0);
        m.add(Reply.bulk("fragmentation"));
        m.add(new Reply.DoubleReply(1.0));
        put(m, "fragmentation.bytes", 0);
        return new Reply.Map(m);
    }

    private static void put(List<Reply> m, String name, long value) {
        m.add(Reply.bulk(name));
        m.add(Reply.integer(value));
    }

    /** Redis's {@code getMemoryDoctorReport}, with the checks that apply to RedJar's memory. */
    static String doctor(ExecContext c) {
        long used = c.engine().keyspace().usedMemory();
        long peak = c.engine().server().peakMemory(used);
        if (used < DOCTOR_EMPTY) {
            return "Hi Sam, this instance is empty or is using very little memory, my issues detector can't be used in "
                + "these conditions. Please, leave for your mission on Earth and fill it with some data. The new Sam and "
                + "I will be back to our programming as soon as I finished rebooting.\n";
        }
        if ((double) peak / used > 1.5) {
            return "Sam, I detected a few issues in this Redis instance memory implants:\n\n"
                + " * Peak memory: In the past this instance used more than 150% the memory that is currently using. "
                + "The allocator is normally not able to release memory after a peak, so you can expect to see a big "
                + "fragmentation ratio, however this is actually harmless and is only due to the memory peak, and if the "
                + "Redis instance Resident Set Size (RSS) is currently bigger than expected, the memory will be used as "
                + "soon as you fill the Redis instance with more data. If the memory peak was only occasional and you "
                + "want to try to reclaim memory, please try the MEMORY PURGE command, otherwise the only other option "
                + "is to shutdown and restart the instance.\n\n"
                + "I'm here to keep you safe, Sam. I want to help you.\n";
        }
        return "Hi Sam, I can't find any memory issue in your instance. I can only account for what occurs on this base.\n";
    }
}
