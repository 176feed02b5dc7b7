package io.redjar.internal.command;

import io.redjar.internal.keyspace.EntryDescriptor;
import io.redjar.internal.keyspace.KeyTable;
import io.redjar.internal.keyspace.Keyspace;
import io.redjar.internal.keyspace.Shard;
import io.redjar.internal.memory.SlabAllocator;
import io.redjar.internal.server.ProcessMemory;
import io.redjar.internal.server.ServerState;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One reading of the memory figures behind {@code INFO memory}, {@code MEMORY STATS} and
 * {@code MEMORY DOCTOR}: Redis's {@code redisMemOverhead} ({@code getMemoryOverheadData}) mapped onto
 * RedJar's memory.
 *
 * <p>Design: RedJar's {@code used_memory} is what {@code maxmemory} governs, the keyspace's own
 * memory: the slab allocators' blocks (size-class rounded) plus the key tables' slots. The
 * "overhead" is what is not data: the key tables (the tables of every database, the empty ones
 * included, whose initial size is the startup figure) and each key's 8-byte expire field (Redis's
 * expires dictionary); the data set is the rest. The allocator figures are the slab allocators':
 * {@code allocated} the blocks handed out, {@code active} the bytes of pages ever carved into
 * blocks (live or free-listed: the allocator's fragmentation) and large blocks, {@code resident}
 * the same figure: the untouched tail of each shard's current page (reserved, see MALLOC-STATS) is
 * not resident, and the JVM cannot see which touched pages the kernel has swapped out, so
 * {@code allocator_rss_ratio} is 1 by construction. {@code rss} is the real process RSS, which
 * in a JVM includes the heap, the JIT and the network buffers: its ratio to {@code used_memory}
 * ({@code mem_fragmentation_ratio}) is computed exactly as Redis computes it, and is far above 1
 * on a small data set. Each figure's meaning is listed in {@code docs/memory.md}.
 *
 * <p><b>Thread-safety:</b> an immutable snapshot; {@link #take} reads the shards one at a time
 * under their locks, so the figures of different shards are from slightly different instants.
 */
final class MemoryFigures {
    /** Per-database overhead (MEMORY STATS's {@code db.N}). */
    record Db(int db, long keys, long expires, long mainBytes, long expiresBytes) {
    }

    final long used;
    final long peak;
    final long startup;
    final long overhead;
    final long dataset;
    final long keys;
    final List<Db> dbs;
    final long allocatorAllocated;
    final long allocatorActive;
    final long allocatorResident;
    final long rss;
    final long luaCaches;
    final long functionsCaches;
    final long cachedScripts;
    final long slabPages;
    /** INFO's {@code mem_allocator}. */
    static final String ALLOCATOR = "redjar-slab";

    private MemoryFigures(long used, long peak, long startup, long overhead, long keys, List<Db> dbs,
                          long allocated, long active, long resident, long rss, long luaCaches, long functionsCaches,
                          long cachedScripts, long slabPages) {
        this.used = used;
        this.peak = peak;
        this.startup = startup;
        this.overhead = overhead;
        this.dataset = Math.max(0, used - overhead);
        this.keys = keys;
        this.dbs = dbs;
        this.allocatorAllocated = allocated;
        this.allocatorActive = active;
        this.allocatorResident = resident;
        this.rss = rss;
        this.luaCaches = luaCaches;
        this.functionsCaches = functionsCaches;
        this.cachedScripts = cachedScripts;
        this.slabPages = slabPages;
    }

    /**
     * Figures given outright (tests of the rules built on them, such as MEMORY DOCTOR's).
     *
     * @param used      used_memory
     * @param peak      the peak of used_memory
     * @param allocated the allocator's allocated bytes
     * @param active    the allocator's active (= resident) bytes
     * @param rss       the process RSS
     * @param scripts   cached EVAL scripts
     */
    static MemoryFigures of(long used, long peak, long allocated, long active, long rss, long scripts) {
        return new MemoryFigures(used, peak, 0, 0, 0, List.of(), allocated, active, active, rss, 0, 0, scripts, 0);
    }

    /** Reads the figures now. */
    static MemoryFigures take(CommandHost engine) {
        Keyspace ks = engine.keyspace();
        ServerState st = engine.server();
        int databases = ks.databases();
        long[] dbKeys = new long[databases];
        long[] dbExpires = new long[databases];
        long[] dbTable = new long[databases];
        long allocated = 0;
        long reserved = 0;
        long active = 0;
        long pages = 0;
        for (int i = 0; i < ks.shardCount(); i++) {
            Shard s = ks.shard(i);
            s.lock();
            try {
                SlabAllocator a = s.allocator();
                allocated += a.usedBytes();
                reserved += a.reservedBytes();
                active += a.activeBytes();
                pages += a.slabPageCount();
                for (int db = 0; db < databases; db++) {
                    KeyTable t = s.table(db);
                    dbKeys[db] += t.size();
                    dbExpires[db] += t.expires();
                    dbTable[db] += t.tableBytes();
                }
            } finally {
                s.unlock();
            }
        }
        long used = ks.usedMemory();
        long peak = st.peakMemory(used);
        long overhead = 0;
        long keys = 0;
        List<Db> dbs = new ArrayList<>();
        for (int db = 0; db < databases; db++) {
            long expiresBytes = dbExpires[db] * EntryDescriptor.EXPIRE_SIZE;
            overhead += dbTable[db] + expiresBytes;
            if (dbKeys[db] > 0) {
                keys += dbKeys[db];
                dbs.add(new Db(db, dbKeys[db], dbExpires[db], dbTable[db], expiresBytes));
            }
        }
        long[] scripts = engine.scriptCacheStats();
        long[] functions = engine.functionStats();
        long rss = ProcessMemory.rss(reserved);
        return new MemoryFigures(used, peak, st.startupMemory(), overhead, keys, Collections.unmodifiableList(dbs),
            allocated, active, active, rss, scripts[1], functions[2], scripts[0], pages);
    }

    /** @return used minus startup, at least 1 (Redis's {@code net_usage}) */
    long netUsage() {
        return used > startup ? used - startup : 1;
    }

    /** @return the data set as a percentage of {@link #netUsage} */
    double datasetPercentage() {
        return (double) dataset * 100 / netUsage();
    }

    /** @return used memory as a percentage of the peak */
    double peakPercentage() {
        return peak == 0 ? 0 : (double) used * 100 / peak;
    }

    /** @return Redis's {@code keys.bytes-per-key}: net usage per key */
    long bytesPerKey() {
        return keys == 0 ? 0 : netUsage() / keys;
    }

    double allocatorFragRatio() {
        return ratio(allocatorActive, allocatorAllocated);
    }

    long allocatorFragBytes() {
        return allocatorActive - allocatorAllocated;
    }

    double allocatorRssRatio() {
        return ratio(allocatorResident, allocatorActive);
    }

    long allocatorRssBytes() {
        return allocatorResident - allocatorActive;
    }

    double rssOverheadRatio() {
        return ratio(rss, allocatorResident);
    }

    long rssOverheadBytes() {
        return rss - allocatorResident;
    }

    /** @return {@code mem_fragmentation_ratio}: rss / used, as Redis */
    double fragmentationRatio() {
        return ratio(rss, used);
    }

    long fragmentationBytes() {
        return rss - used;
    }

    /** Redis divides floats (inf or nan on 0); RedJar answers 0 when the divisor is 0. */
    private static double ratio(long a, long b) {
        return b == 0 ? 0 : (double) a / b;
    }
}
