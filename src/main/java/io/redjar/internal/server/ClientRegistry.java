package io.redjar.internal.server;

import io.redjar.spi.Peer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The clients of one store: ids (shared by network connections and embedded sessions, as
 * {@code CLIENT ID} must be unique), the connected network clients in id order (CLIENT LIST,
 * CLIENT KILL), and the connection counters INFO reports. Embedded sessions get an id but are not
 * listed.
 *
 * <p><b>Thread-safety:</b> thread-safe (a concurrent map and atomics).
 */
public final class ClientRegistry {
    private final AtomicLong ids = new AtomicLong();
    private final ConcurrentSkipListMap<Long, ClientState> connected = new ConcurrentSkipListMap<>();
    private final AtomicInteger count = new AtomicInteger();
    private final AtomicLong total = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final LongSupplier maxClients;

    /** @param maxClients the current {@code maxclients} setting */
    public ClientRegistry(LongSupplier maxClients) {
        this.maxClients = maxClients;
    }

    /**
     * Registers a network client.
     *
     * @return its state, or null when {@code maxclients} clients are connected (counted as rejected)
     */
    public ClientState connect(Peer peer, boolean authenticated) {
        if (count.incrementAndGet() > maxClients.getAsLong()) {
            count.decrementAndGet();
            rejected.incrementAndGet();
            return null;
        }
        total.incrementAndGet();
        ClientState c = new ClientState(ids.incrementAndGet(), peer, authenticated);
        connected.put(c.id(), c);
        return c;
    }

    /** @return a client for an embedded session: a fresh id, authenticated, not listed */
    public ClientState embedded() {
        return new ClientState(ids.incrementAndGet(), null, true);
    }

    /** Forgets a network client. Idempotent. */
    public void disconnect(ClientState c) {
        if (connected.remove(c.id()) != null) {
            count.decrementAndGet();
        }
    }

    /** @return the connected network client with this id, or null (Redis's {@code lookupClientByID}) */
    public ClientState byId(long id) {
        return connected.get(id);
    }

    /** @return the connected network clients, in id order (a snapshot) */
    public List<ClientState> clients() {
        return Collections.unmodifiableList(new ArrayList<>(connected.values()));
    }

    /** @return the number of connected network clients */
    public int connectedClients() {
        return count.get();
    }

    /** @return connections accepted since start */
    public long totalConnectionsReceived() {
        return total.get();
    }

    /** @return connections refused because of maxclients */
    public long rejectedConnections() {
        return rejected.get();
    }

    /** CONFIG RESETSTAT: {@code total_connections_received} and {@code rejected_connections} back to 0. */
    public void resetStats() {
        total.set(0);
        rejected.set(0);
    }
}
