package io.redjar.internal.server;

import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * MIGRATE's connection cache (Redis's {@code server.migrate_cached_sockets}): one connection per
 * {@code host:port}, at most {@link #MAX_ITEMS} (a random one is dropped to make room), closed
 * after {@link #TTL_SECONDS} seconds unused by {@link #closeIdle}, which the engine's timer calls
 * every second (Redis does it from {@code serverCron}). The count is INFO's
 * {@code migrate_cached_sockets}.
 *
 * <p>A MIGRATE {@link #take takes} the connection out of the cache for the duration of its
 * exchange and {@link #give gives} it back, so two MIGRATEs to one target on different threads
 * never share a connection (the second opens its own; of two given back, the later is closed).
 *
 * <p><b>Thread-safety:</b> thread-safe.
 */
public final class MigrateSockets implements AutoCloseable {
    /** {@code MIGRATE_SOCKET_CACHE_ITEMS}. */
    public static final int MAX_ITEMS = 64;
    /** {@code MIGRATE_SOCKET_CACHE_TTL}, seconds. */
    public static final long TTL_SECONDS = 10;

    private final ConcurrentHashMap<String, MigrateConnection> cache = new ConcurrentHashMap<>();
    /** Connections taken out by a running MIGRATE (Redis counts them: they stay in its dict). */
    private final ConcurrentHashMap<MigrateConnection, String> inUse = new ConcurrentHashMap<>();

    /**
     * @return the cached connection to {@code host:port}, or a new one
     * @throws IOException if a new one could not connect within {@code timeoutMs}
     */
    public MigrateConnection take(String host, int port, long timeoutMs, long nowSeconds) throws IOException {
        String name = host + ":" + port;
        MigrateConnection c = cache.remove(name);
        if (c == null) {
            if (cache.size() + inUse.size() >= MAX_ITEMS) {
                Iterator<Map.Entry<String, MigrateConnection>> it = cache.entrySet().iterator();
                if (it.hasNext()) {
                    Map.Entry<String, MigrateConnection> e = it.next();
                    if (cache.remove(e.getKey(), e.getValue())) {
                        e.getValue().close();
                    }
                }
            }
            c = MigrateConnection.connect(host, port, timeoutMs);
        }
        c.lastUseSeconds = nowSeconds;
        inUse.put(c, name);
        return c;
    }

    /** Returns a connection after a successful exchange (closed instead if one is cached meanwhile). */
    public void give(MigrateConnection c) {
        String name = inUse.remove(c);
        if (name == null || cache.putIfAbsent(name, c) != null) {
            c.close();
        }
    }

    /** Closes a connection after a failed exchange (Redis's {@code migrateCloseSocket}). */
    public void discard(MigrateConnection c) {
        inUse.remove(c);
        c.close();
    }

    /** Closes the cached connections unused for more than {@link #TTL_SECONDS}. */
    public void closeIdle(long nowSeconds) {
        for (Map.Entry<String, MigrateConnection> e : cache.entrySet()) {
            MigrateConnection c = e.getValue();
            if (nowSeconds - c.lastUseSeconds > TTL_SECONDS && cache.remove(e.getKey(), c)) {
                c.close();
            }
        }
    }

    /** @return the number of cached connections (INFO {@code migrate_cached_sockets}) */
    public int size() {
        return cache.size() + inUse.size();
    }

    @Override
    public void close() {
        for (MigrateConnection c : cache.values()) {
            c.close();
        }
        cache.clear();
    }
}
