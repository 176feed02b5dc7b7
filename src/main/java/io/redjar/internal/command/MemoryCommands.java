package io.redjar.internal.command;

import io.redjar.Reply;
import io.redjar.SyntaxException;
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
 * value owns, size-class rounded) rather than sampled; {@code SAMPLES} is parsed and checked as
 * Redis checks it but does not change the answer. {@code MEMORY STATS} has Redis 7.0's fields in
 * its order, computed by {@link MemoryFigures} (see {@code docs/memory.md} for what each means
 * here); parts RedJar has not got (replication backlog, AOF buffer, cluster links, client buffer
 * accounting) are 0. {@code MEMORY DOCTOR} applies Redis's checks, thresholds and texts to those
 * figures. {@code MALLOC-STATS} prints the slab allocators' report (per shard: allocated,
 * reserved, pages, large blocks) where Redis prints jemalloc's. {@code PURGE} answers OK and frees
 * nothing: slab pages are kept for reuse while the store is open, and blocks above the largest size
 * class are already returned to the system when freed.
 *
 * <p><b>Thread-safety:</b> stateless; the figures are read under the shard locks one at a time.
 */
public final class MemoryCommands {
    private static final String G = "server";
    /** Redis's "empty instance" threshold of MEMORY DOCTOR: 5 MB allocated. */
    private static final long DOCTOR_EMPTY = 5L * 1024 * 1024;
    private static final long TEN_MB = 10L << 20;

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
            .handler((c, a) -> new Reply.Verbatim("txt", mallocStats(c)));
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
        MemoryFigures f = MemoryFigures.take(c.engine());
        List<Reply> m = new ArrayList<>();
        put(m, "peak.allocated", f.peak);
        put(m, "total.allocated", f.used);
        put(m, "startup.allocated", f.startup);
        put(m, "replication.backlog", 0);
        put(m, "clients.slaves", 0);
        put(m, "clients.normal", 0);
        put(m, "cluster.links", 0);
        put(m, "aof.buffer", 0);
        put(m, "lua.caches", f.luaCaches);
        put(m, "functions.caches", f.functionsCaches);
        for (MemoryFigures.Db db : f.dbs) {
            m.add(Reply.bulk("db." + db.db()));
            List<Reply> d = new ArrayList<>();
            put(d, "overhead.hashtable.main", db.mainBytes());
            put(d, "overhead.hashtable.expires", db.expiresBytes());
            put(d, "overhead.hashtable.slot-to-keys", 0);
            m.add(new Reply.Map(d));
        }
        put(m, "overhead.total", f.overhead);
        put(m, "keys.count", f.keys);
        put(m, "keys.bytes-per-key", f.bytesPerKey());
        put(m, "dataset.bytes", f.dataset);
        putDouble(m, "dataset.percentage", f.datasetPercentage());
        putDouble(m, "peak.percentage", f.peakPercentage());
        put(m, "allocator.allocated", f.allocatorAllocated);
        put(m, "allocator.active", f.allocatorActive);
        put(m, "allocator.resident", f.allocatorResident);
        putDouble(m, "allocator-fragmentation.ratio", f.allocatorFragRatio());
        put(m, "allocator-fragmentation.bytes", f.allocatorFragBytes());
        putDouble(m, "allocator-rss.ratio", f.allocatorRssRatio());
        put(m, "allocator-rss.bytes", f.allocatorRssBytes());
        putDouble(m, "rss-overhead.ratio", f.rssOverheadRatio());
        put(m, "rss-overhead.bytes", f.rssOverheadBytes());
        putDouble(m, "fragmentation", f.fragmentationRatio());
        put(m, "fragmentation.bytes", f.fragmentationBytes());
        return new Reply.Map(m);
    }

    /** Redis sends these as C floats widened to double; so does RedJar, for the same digits. */
    private static void putDouble(List<Reply> m, String name, double value) {
        m.add(Reply.bulk(name));
        m.add(new Reply.DoubleReply((float) value));
    }

    private static void put(List<Reply> m, String name, long value) {
        m.add(Reply.bulk(name));
        m.add(Reply.integer(value));
    }

    /** Redis's {@code getMemoryDoctorReport}: the same checks, thresholds and texts, on RedJar's figures. */
    static String doctor(ExecContext c) {
        MemoryFigures f = MemoryFigures.take(c.engine());
        int clients = c.engine().clients().connectedClients();
        return doctor(f, clients);
    }

    static String doctor(MemoryFigures f, int clients) {
        boolean empty = f.used < DOCTOR_EMPTY;
        boolean bigPeak = false;
        boolean highFrag = false;
        boolean highAllocFrag = false;
        boolean highAllocRss = false;
        boolean highProcRss = false;
        boolean manyScripts = false;
        if (!empty) {
            bigPeak = (float) f.peak / f.used > 1.5;
            highFrag = f.fragmentationRatio() > 1.4 && f.fragmentationBytes() > TEN_MB;
            highAllocFrag = f.allocatorFragRatio() > 1.1 && f.allocatorFragBytes() > TEN_MB;
            highAllocRss = f.allocatorRssRatio() > 1.1 && f.allocatorRssBytes() > TEN_MB;
            highProcRss = f.rssOverheadRatio() > 1.1 && f.rssOverheadBytes() > TEN_MB;
            // big client buffers (200K each on average) and big replica buffers: RedJar does not
            // account client output buffers (CLIENT LIST's omem is 0) and has no replicas
            manyScripts = f.cachedScripts > 1000;
        }
        if (empty) {
            return "Hi Sam, this instance is empty or is using very little memory, my issues detector can't be used in "
                + "these conditions. Please, leave for your mission on Earth and fill it with some data. The new Sam and "
                + "I will be back to our programming as soon as I finished rebooting.\n";
        }
        if (!(bigPeak || highFrag || highAllocFrag || highAllocRss || highProcRss || manyScripts)) {
            return "Hi Sam, I can't find any memory issue in your instance. I can only account for what occurs on this base.\n";
        }
        StringBuilder s = new StringBuilder("Sam, I detected a few issues in this Redis instance memory implants:\n\n");
        if (bigPeak) {
            s.append(" * Peak memory: In the past this instance used more than 150% the memory that is currently using. "
                + "The allocator is normally not able to release memory after a peak, so you can expect to see a big "
                + "fragmentation ratio, however this is actually harmless and is only due to the memory peak, and if the "
                + "Redis instance Resident Set Size (RSS) is currently bigger than expected, the memory will be used as "
                + "soon as you fill the Redis instance with more data. If the memory peak was only occasional and you "
                + "want to try to reclaim memory, please try the MEMORY PURGE command, otherwise the only other option "
                + "is to shutdown and restart the instance.\n\n");
        }
        if (highFrag) {
            s.append(" * High total RSS: This instance has a memory fragmentation and RSS overhead greater than 1.4 (this "
                + "means that the Resident Set Size of the Redis process is much larger than the sum of the logical "
                + "allocations Redis performed). This problem is usually due either to a large peak memory (check if "
                + "there is a peak memory entry above in the report) or may result from a workload that causes the "
                + "allocator to fragment memory a lot. If the problem is a large peak memory, then there is no issue. "
                + "Otherwise, make sure you are using the Jemalloc allocator and not the default libc malloc. Note: The "
                + "currently used allocator is \"" + MemoryFigures.ALLOCATOR + "\".\n\n");
        }
        if (highAllocFrag) {
            s.append(" * High allocator fragmentation: This instance has an allocator external fragmentation greater than "
                + "1.1. This problem is usually due either to a large peak memory (check if there is a peak memory entry "
                + "above in the report) or may result from a workload that causes the allocator to fragment memory a lot. "
                + "You can try enabling 'activedefrag' config option.\n\n");
        }
        if (highAllocRss) {
            s.append(" * High allocator RSS overhead: This instance has an RSS memory overhead is greater than 1.1 (this "
                + "means that the Resident Set Size of the allocator is much larger than the sum what the allocator "
                + "actually holds). This problem is usually due to a large peak memory (check if there is a peak memory "
                + "entry above in the report), you can try the MEMORY PURGE command to reclaim it.\n\n");
        }
        if (highProcRss) {
            s.append(" * High process RSS overhead: This instance has non-allocator RSS memory overhead is greater than "
                + "1.1 (this means that the Resident Set Size of the Redis process is much larger than the RSS the "
                + "allocator holds). This problem may be due to Lua scripts or Modules.\n\n");
        }
        if (manyScripts) {
            s.append(" * Many scripts: There seem to be many cached scripts in this instance (more than 1000). This may "
                + "be because scripts are generated and `EVAL`ed, instead of being parameterized (with KEYS and ARGV), "
                + "`SCRIPT LOAD`ed and `EVALSHA`ed. Unless `SCRIPT FLUSH` is called periodically, the scripts' caches "
                + "may end up consuming most of your memory.\n\n");
        }
        return s.append("I'm here to keep you safe, Sam. I want to help you.\n").toString();
    }

    /** MEMORY MALLOC-STATS: the slab allocators' own report (Redis prints jemalloc's). */
    static String mallocStats(ExecContext c) {
        io.redjar.internal.keyspace.Keyspace ks = c.engine().keyspace();
        StringBuilder sb = new StringBuilder("___ Begin redjar-slab statistics ___\n");
        sb.append("page size: ").append(io.redjar.internal.memory.SlabAllocator.PAGE_SIZE).append('\n');
        long used = 0;
        long reserved = 0;
        for (int i = 0; i < ks.shardCount(); i++) {
            io.redjar.internal.keyspace.Shard s = ks.shard(i);
            s.lock();
            try {
                io.redjar.internal.memory.SlabAllocator a = s.allocator();
                used += a.usedBytes();
                reserved += a.reservedBytes();
                sb.append("shard ").append(i).append(": allocated=").append(a.usedBytes())
                    .append(" reserved=").append(a.reservedBytes())
                    .append(" slab_pages=").append(a.slabPageCount())
                    .append(" large_blocks=").append(a.largeBlockCount()).append('\n');
            } finally {
                s.unlock();
            }
        }
        sb.append("total: allocated=").append(used).append(" reserved=").append(reserved).append('\n');
        return sb.append("___ End redjar-slab statistics ___\n").toString();
    }
}
