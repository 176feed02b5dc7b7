package io.redjar.internal.command;

import io.redjar.internal.blocking.BlockingHost;
import io.redjar.internal.keyspace.ActiveExpiry;
import io.redjar.internal.server.ClientRegistry;
import io.redjar.internal.server.MonitorFeed;
import io.redjar.internal.server.ServerState;
import io.redjar.internal.types.CollectionLimits;
import io.redjar.internal.types.GeoOps;
import io.redjar.internal.types.HashOps;
import io.redjar.internal.types.SetOps;
import io.redjar.internal.types.SortOps;
import io.redjar.internal.types.StringOps;

/**
 * What command adapters reach through {@link ExecContext#engine()}: the one instance of each
 * type's operations, the command table and dispatcher, the server state and the expiry switch.
 * Implemented by the composition root ({@code io.redjar.internal.Engine}); this interface exists
 * so that the command framework does not depend on the root (no package cycle).
 *
 * <p><b>Thread-safety:</b> implementations are thread-safe; every accessor returns the same
 * instance for the life of the store.
 */
public interface CommandHost extends BlockingHost {
    /** @return the string operations */
    StringOps strings();

    /** @return the bitmap operations (SETBIT, BITCOUNT, BITFIELD, ...) */
    io.redjar.internal.types.BitOps bits();

    /** @return the hash operations */
    HashOps hashes();

    /** @return the stream operations (without consumer groups) */
    io.redjar.internal.types.StreamOps streams();

    /** @return the stream consumer-group operations */
    io.redjar.internal.types.StreamGroupOps streamGroups();

    /** @return the set operations */
    SetOps sets();

    /** @return SORT / SORT_RO */
    SortOps sort();

    /** @return the GEO operations */
    GeoOps geo();

    /** @return the HyperLogLog operations */
    io.redjar.internal.types.HllOps hll();

    /** @return DUMP / RESTORE */
    io.redjar.internal.persistence.rdb.DumpOps dumps();

    /** @return the collection encoding thresholds ({@code hash-max-listpack-entries}, ...) */
    CollectionLimits limits();

    /** @return the command table */
    CommandTable table();

    /** @return the dispatcher */
    Dispatcher dispatcher();

    /** @return settings, counters, slow log and network hooks (INFO, CONFIG, SLOWLOG) */
    ServerState server();

    /** @return whether the background expiry cycle runs (DEBUG SET-ACTIVE-EXPIRE) */
    boolean activeExpire();

    /**
     * @return the BUSY error a command gets while a script has run past
     *         {@code busy-reply-threshold} (SHUTDOWN without NOSAVE answers it), or null
     */
    default io.redjar.Reply busyScriptRefusal() {
        return null;
    }

    /**
     * SHUTDOWN: stops the running script, if any, even one that has written (Redis ends the
     * process under it), so that it releases the shard locks the server's shutdown needs.
     */
    default void killScriptForShutdown() {
    }

    /** Turns the background expiry cycle on or off (DEBUG SET-ACTIVE-EXPIRE). */
    void activeExpire(boolean enabled);

    /** @return the eviction statistics (INFO stats) */
    io.redjar.internal.server.EvictionStats evictionStats();

    /** @return the active expiry cycle */
    ActiveExpiry activeExpiry();

    /** @return the store's clients (ids, network connections, connection counters) */
    ClientRegistry clients();

    /** @return the MONITOR clients */
    MonitorFeed monitors();

    /** @return the script cache's size, for {@code INFO memory}: {cached scripts, bytes of their bodies} */
    long[] scriptCacheStats();

    /** @return the function libraries, for {@code INFO memory}: {functions, libraries, bytes of their code} */
    long[] functionStats();

    /** @return the WATCH registry (the transaction state's view of it) */
    TxState.Watches watches();

    /** @return the store's pub/sub numbers (INFO stats) */
    io.redjar.internal.server.PubSubCounts pubsubCounts();

    /** Removes every pub/sub subscription of {@code c}, silently (RESET). */
    void leavePubSub(io.redjar.internal.server.ClientState c);

    /** @return what INFO reports of client-side caching (CLIENT TRACKING) */
    default io.redjar.internal.server.TrackingCounts trackingCounts() {
        return io.redjar.internal.server.TrackingCounts.NONE;
    }

    /**
     * DEBUG PAUSE-CRON: stops (or resumes) the periodic work Redis does in {@code serverCron}
     * (active expiry, the tracking table's limit and broadcasts).
     */
    default void pauseCron(boolean paused) {
    }
}
